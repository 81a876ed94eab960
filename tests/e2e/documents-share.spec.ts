// "Share to Lantern" (Web Share Target) under the real service worker. A system share is a POST of
// multipart/form-data to the manifest's share address, made by the browser outside any page of the
// app: here a plain page on about:blank submits the same form. The app's service worker answers it
// on the device (never the server), and the app opens a new conversation with what was shared.
import { ROOT_URL, SUBPATH_URL } from '../../playwright.config';
import { expect, openApp, test, type Page } from './fixtures';

test.use({ serviceWorkers: 'allow' });

/** Opens the app once, as an installed app has been: its service worker controls the site. */
async function install(page: Page, url = '') {
	await openApp(page, url);
	await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

interface Shared {
	title?: string;
	text?: string;
	url?: string;
	files?: Array<{ name: string; mimeType: string; buffer: Buffer }>;
}

/**
 * Shares as the system does: the form the manifest's `share_target` describes, posted to the share
 * address. Resolves once the app is shown again. Returns whether the service worker answered the POST.
 */
async function share(page: Page, shared: Shared, app = ROOT_URL): Promise<boolean> {
	await page.goto('about:blank');
	await page.setContent(`<form method="post" enctype="multipart/form-data" action="${app}share/">
		<input name="title"><textarea name="text"></textarea><input name="url">
		<input type="file" name="files" multiple><button>Share</button></form>`);
	await page.locator('input[name="title"]').fill(shared.title ?? '');
	await page.locator('textarea[name="text"]').fill(shared.text ?? '');
	await page.locator('input[name="url"]').fill(shared.url ?? '');
	if (shared.files) await page.locator('input[name="files"]').setInputFiles(shared.files);
	const posted = page.waitForResponse(
		(r) => r.request().method() === 'POST' && r.url().endsWith('/share/')
	);
	await page.getByRole('button', { name: 'Share' }).click();
	const response = await posted;
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	return response.fromServiceWorker() && response.status() === 303;
}

function attached(page: Page, name: string | RegExp) {
	return page
		.getByTestId('attached-document')
		.filter({ has: page.getByTestId('attached-name').getByText(name) });
}

const markdown = (name: string, body: string) => ({
	name,
	mimeType: 'text/markdown',
	buffer: Buffer.from(body)
});

test('a document shared from another app opens a new conversation with it attached and the shared words in the message box; a long text becomes a document', async ({
	page,
	context
}) => {
	test.setTimeout(60_000);
	await install(page);
	const cdp = await context.newCDPSession(page);
	const manifest = await cdp.send('Page.getAppManifest');
	expect(manifest.errors).toEqual([]);
	const parsed = JSON.parse(manifest.data ?? '{}') as {
		share_target?: { method: string; params: { files: Array<{ accept: string[] }> } };
	};
	expect(parsed.share_target?.method).toBe('POST');
	expect(parsed.share_target?.params.files[0]?.accept).toContain('application/pdf');

	// Words typed before the share stay in the box; the shared words follow them.
	await page.getByTestId('composer').fill('an unsent thought');
	const answered = await share(page, {
		title: 'heron.md',
		text: 'What is the launch code?',
		files: [markdown('heron.md', '# Heron\n\nThe launch code of Project Heron is 7419.\n')]
	});
	expect(answered).toBe(true);
	await expect(attached(page, 'heron.md')).toBeVisible();
	await expect(attached(page, 'heron.md').getByTestId('attached-facts')).toContainText('Markdown');
	await expect(page.getByTestId('composer')).toHaveValue(
		'an unsent thought\n\nWhat is the launch code?'
	);
	// Taken once: the address no longer names the share, and a reload attaches nothing twice.
	await expect(page).toHaveURL(ROOT_URL);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('notice')).toHaveCount(0);

	// A long text (an article shared from a reader app) is kept as a document, not as a message.
	const article = Array.from({ length: 900 }, (_, i) => `Sentence ${i} of the article.`).join(' ');
	expect(await share(page, { title: 'An article', text: article })).toBe(true);
	await expect(attached(page, /^Shared text, /)).toBeVisible();
	await expect(page.getByTestId('composer')).not.toHaveValue(/Sentence 12 of the article/);
});

test('a share with no usable file, or with a file of a type Lantern does not read, says so', async ({
	page
}) => {
	test.setTimeout(60_000);
	await install(page);
	expect(await share(page, { files: [] })).toBe(true);
	await expect(page.getByTestId('notice')).toContainText(
		'Nothing Lantern can use arrived with the share: no file and no text.'
	);

	const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
	expect(
		await share(page, { files: [{ name: 'photo.png', mimeType: 'image/png', buffer: png }] })
	).toBe(true);
	await expect(page.getByTestId('attach-refused')).toContainText(
		'photo.png was not added: Lantern reads text, Markdown, source code, HTML and PDF files.'
	);
	await expect(page.getByTestId('attached-document')).toHaveCount(0);
});

test('a share arriving while offline is attached all the same: nothing goes over the network', async ({
	page,
	context
}) => {
	test.setTimeout(60_000);
	// Under a sub-path: the share address follows the app's base (/lantern/share/).
	await install(page, SUBPATH_URL);
	await context.setOffline(true);
	const file = markdown('offline.md', '# Offline\n\nShared with no network.\n');
	expect(await share(page, { files: [file] }, SUBPATH_URL)).toBe(true);
	await expect(page).toHaveURL(SUBPATH_URL);
	await expect(attached(page, 'offline.md')).toBeVisible();
	await expect(attached(page, 'offline.md')).not.toHaveAttribute('data-status', 'failed');
});

test('a share after the site data was cleared reaches the server instead: the app says it did not arrive and sets itself up again', async ({
	page,
	context
}) => {
	test.setTimeout(60_000);
	// Under a sub-path: the server's redirect keeps the app's base.
	await install(page, SUBPATH_URL);
	// The user clears Lantern's site data (its service worker with it); the app stays installed.
	const cdp = await context.newCDPSession(page);
	await cdp.send('Storage.clearDataForOrigin', {
		origin: new URL(SUBPATH_URL).origin,
		storageTypes: 'all'
	});
	await expect
		.poll(() =>
			page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)
		)
		.toBe(0);

	const file = markdown('lost.md', '# Lost\n\nShared after clearing.\n');
	expect(await share(page, { files: [file] }, SUBPATH_URL)).toBe(false);
	await expect(page.getByTestId('notice')).toContainText(
		"The shared item did not arrive because Lantern's offline data was cleared. Lantern is set up again now; share it once more."
	);
	await expect(page).toHaveURL(SUBPATH_URL);
	await expect(page.getByTestId('attached-document')).toHaveCount(0);
	// Set up again: the service worker is back, so the next share is received on the device.
	await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	expect(await share(page, { files: [file] }, SUBPATH_URL)).toBe(true);
	await expect(attached(page, 'lost.md')).toBeVisible();
});
