import { expect, openApp, test } from './fixtures';

test('without a WebGPU adapter the app explains what to do in this browser', async ({ page }) => {
	await openApp(page);
	const help = page.getByTestId('webgpu-help');
	await expect(help).toContainText('found no usable GPU adapter');
	// Headless Chromium on Linux: the advice names the flag that turns WebGPU on.
	await expect(help).toContainText('chrome://flags/#enable-unsafe-webgpu');

	await page.getByRole('link', { name: 'Device' }).click();
	await expect(page.getByTestId('device-panel').getByTestId('webgpu-help')).toBeVisible();
	await expect(page.getByTestId('diagnostics')).toContainText('WebGPU: available, but no adapter');
});
