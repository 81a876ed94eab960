import { SUBPATH_URL } from '../../playwright.config';
import { expect, openApp, test } from './fixtures';

test.use({ serviceWorkers: 'allow' });

test('Chromium finds nothing that keeps the app from being installed', async ({
	page,
	context
}) => {
	await openApp(page);
	const cdp = await context.newCDPSession(page);
	// The manifest is fetched asynchronously; poll until Chromium has read it.
	await expect
		.poll(async () => {
			const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
			// A Playwright context is incognito, which Chromium always lists.
			return installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
		})
		.toEqual([]);
	const manifest = await cdp.send('Page.getAppManifest');
	expect(manifest.errors).toEqual([]);
	expect(manifest.data).toContain('"purpose":"maskable"');
});

for (const [label, url] of [
	['at the root', '/'],
	['under a sub-path', SUBPATH_URL]
] as const) {
	test(`after one visit the app starts with the network off (${label})`, async ({
		page,
		context
	}) => {
		await openApp(page, url);
		await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
		// The first service worker claims the page at once (later ones wait for the user).
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

		await context.setOffline(true);
		await page.reload();
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expect(page.getByRole('link', { name: 'Device' })).toBeVisible();
		// Client-side routing still works, and a deep link is served from the precache too.
		await page.getByRole('link', { name: 'Device' }).click();
		await expect(page.getByTestId('device-panel')).toBeVisible();
		await page.goto(new URL('device/', page.url().replace(/device\/?$/, '')).href);
		await expect(page.getByTestId('device-panel')).toBeVisible();
		// The ~6 MB engine worker chunk is precached, so the engine can start offline.
		const workerCached = await page.evaluate(async () => {
			const keys = await caches.keys();
			for (const key of keys) {
				const cache = await caches.open(key);
				const requests = await cache.keys();
				if (requests.some((r) => /engine\.worker-[^/]+\.js/.test(r.url))) return key;
			}
			return null;
		});
		expect(workerCached).toMatch(/^lantern-precache/);
	});
}

test('the service worker leaves caches that are not its own alone', async ({ page }) => {
	await openApp(page);
	await page.evaluate(async () => {
		const cache = await caches.open('webllm/model');
		await cache.put('/some-model-shard', new Response('weights'));
	});
	await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	const stillThere = await page.evaluate(async () => {
		const cache = await caches.open('webllm/model');
		const response = await cache.match('/some-model-shard');
		return response ? await response.text() : null;
	});
	expect(stillThere).toBe('weights');
	// And a request the precache does not know (a model download) is not cached by it.
	const ownCaches = await page.evaluate(async () => {
		const names = await caches.keys();
		return names.filter((n) => n.startsWith('lantern'));
	});
	expect(ownCaches.length).toBeGreaterThan(0);
	expect(ownCaches.every((n) => n.includes('precache'))).toBe(true);
});
