// Every page opens without an uncaught error, also in a browser that refuses the service worker
// (some private windows do; the tests block it the same way): the app runs, only without offline
// start. An unhandled rejection there used to surface on every page.
import { expect, openApp, test } from './fixtures';

test('every page opens without an uncaught error where the service worker is refused', async ({
	page
}) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	for (const path of ['', 'models/', 'documents/', 'compare/', 'device/']) {
		await openApp(page, path);
		// What the app starts after hydrating (the registration among it) has had its turn.
		await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
	}
	expect(errors).toEqual([]);
});
