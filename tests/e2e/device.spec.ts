import { expect, openApp, test } from './fixtures';

test('the Device panel shows the SwiftShader adapter, its features and limits', async ({
	page
}) => {
	await openApp(page, '/device/');
	const panel = page.getByTestId('device-panel');
	await expect(panel.getByTestId('adapter-architecture')).toHaveText('swiftshader');
	await expect(panel.getByTestId('adapter-vendor')).toHaveText('google');
	await expect(panel.getByTestId('fallback-note')).toBeVisible();
	// SwiftShader has no shader-f16: the panel says which models can run.
	await expect(panel.getByTestId('f16')).toContainText('use q4f32 models');
	await expect(panel.getByRole('row', { name: /maxStorageBufferBindingSize/ })).toContainText(
		'1,073,741,824'
	);
	await expect(page.getByTestId('webgpu-help')).toHaveCount(0);
});

test('"Copy diagnostics" puts a plain-text report on the clipboard', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await openApp(page, '/device/');
	await page.getByRole('button', { name: 'Copy diagnostics' }).click();
	await expect(page.getByText('Diagnostics copied')).toBeVisible();
	const report = await page.evaluate(() => navigator.clipboard.readText());
	expect(report).toMatch(/^Lantern \d+\.\d+\.\d+ \(WebLLM 0\.2\.86\)/);
	expect(report).toContain('architecture=swiftshader');
	expect(report).toContain('maxBufferSize: ');
	expect(report).toContain(await page.evaluate(() => navigator.userAgent));
});

test('a new chat offers a model that runs on this GPU (no shader-f16: an f32 model)', async ({
	page
}) => {
	await openApp(page);
	await expect(page.getByTestId('model-select')).toHaveValue(/q\d?f32/);
});
