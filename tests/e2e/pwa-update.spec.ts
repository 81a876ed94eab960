import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBuild } from '../../scripts/serve.js';
import { expect, openApp, test } from './fixtures';

test.use({ serviceWorkers: 'allow' });

test('a new version waits for the user, then takes over on "Reload"', async ({ page }) => {
	// A private copy of the build, so this test can "deploy" a new version of it.
	const root = await mkdtemp(join(tmpdir(), 'lantern-update-'));
	await cp('build', root, { recursive: true });
	const server = await serveBuild({ root, port: 0 });
	try {
		await openApp(page, server.url);
		await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

		// Deploy: the next service worker precaches one more file.
		await writeFile(join(root, 'version-2.txt'), 'v2');
		const sw = await readFile(join(root, 'sw.js'), 'utf8');
		// The minifier's name for workbox (`e`, `l` ...) changes with the bundle's contents.
		const next = sw.replace(
			/(\w+)\.precacheAndRoute\(\[/,
			'$1.precacheAndRoute([{url:"version-2.txt",revision:"2"},'
		);
		expect(next).not.toBe(sw);
		await writeFile(join(root, 'sw.js'), next);
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});

		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toContainText('A new version of Lantern is available');
		// Until the user agrees, the old version keeps control.
		expect(
			await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)
		).toBe(true);

		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);
		// The page is now run by the new version, whose precache has the new file.
		await expectNewPrecache(page);
	} finally {
		await server.close();
		await rm(root, { recursive: true, force: true });
	}
});

async function expectNewPrecache(page: import('@playwright/test').Page) {
	await expect
		.poll(() =>
			page.evaluate(async () => {
				const response = await caches.match(new URL('version-2.txt', location.href).href, {
					ignoreSearch: true
				});
				return response ? await response.text() : null;
			})
		)
		.toBe('v2');
}
