// Private documents on the Documents page, with the test engine's deterministic embeddings (hashed
// words, tests/fixtures/hashed-embedding.ts): a PDF generated here holds one fact among many pages;
// it is read and indexed with progress, and the page's own search finds that page. Offline after a
// reload, with a downloaded embedding model, the search still embeds and finds it. Removing the
// document removes its passages and vectors from IndexedDB. Scanned and corrupt PDFs, a file
// larger than the space left, and a model that cannot be downloaded offline each say so.
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
	addCustomModel,
	ask,
	expect,
	lastAnswer,
	loadModel,
	modelEntry,
	openApp,
	test,
	type Page,
	type TestEngineControl,
	watchNetwork
} from './fixtures';
import type { BrowserContext } from '@playwright/test';
import { ROOT_URL } from '../../playwright.config';

const EMBEDDER = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
const FACT = 'The launch code of Project Heron is 7419, kept by the night engineer.';
const QUESTION = 'What is the launch code of Project Heron?';
const FILLER = [
	'The quarterly meeting covered budgets and travel plans for the coming months.',
	'Staff asked about parking near the new office and the cafeteria menu.',
	'Weather delayed two shipments, which arrived a week later than planned.',
	'The library added shelves for the archive of printed manuals and old maps.',
	'Volunteers painted the fence behind the warehouse over two weekends.'
];

/** A PDF of `pages` pages of ordinary text, with FACT alone on page `factPage`. */
async function reportPdf(pages: number, factPage: number): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	for (let number = 1; number <= pages; number++) {
		const page = pdf.addPage([595, 842]);
		let y = 780;
		const line = (text: string) => {
			page.drawText(text, { x: 50, y, size: 11, font });
			y -= 16;
		};
		line(`Page ${number} of the operations report.`);
		y -= 12;
		for (let p = 0; p < 3; p++) {
			for (let l = 0; l < 4; l++) line(FILLER[(number + p + l) % FILLER.length] ?? '');
			y -= 14;
		}
		if (number === factPage) line(FACT);
	}
	return Buffer.from(await pdf.save());
}

/** A PDF whose pages hold only drawings: what a scan without text recognition looks like. */
async function scannedPdf(): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	for (let i = 0; i < 3; i++) {
		const page = pdf.addPage([595, 842]);
		page.drawRectangle({ x: 40, y: 40, width: 515, height: 762, borderWidth: 2 });
	}
	return Buffer.from(await pdf.save());
}

async function pickModel(page: Page, modelId = EMBEDDER) {
	await page.getByTestId('embedding-model-select').selectOption(modelId);
	await expect(page.getByTestId('embedding-model-select')).toHaveValue(modelId);
}

function documentRow(page: Page, name: string) {
	return page.getByTestId('document').filter({ has: page.getByText(name, { exact: true }) });
}

async function search(page: Page, query: string) {
	await page.getByTestId('document-query').fill(query);
	await page.getByTestId('document-search-submit').click();
	await expect(page.getByTestId('search-hit').first()).toBeVisible();
}

/** What IndexedDB holds for documents: records, and passages (with vectors) per document id. */
async function storedDocuments(page: Page) {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((ok, fail) => {
			const open = indexedDB.open('lantern');
			open.onsuccess = () => ok(open.result);
			open.onerror = () => fail(open.error);
		});
		const all = <T>(store: string) =>
			new Promise<T[]>((ok, fail) => {
				const request = db.transaction(store).objectStore(store).getAll();
				request.onsuccess = () => ok(request.result as T[]);
				request.onerror = () => fail(request.error);
			});
		const documents = await all<{ id: string; status: string }>('documents');
		const passages = await all<{ documentId: string; vector: Float32Array | null }>('passages');
		db.close();
		return {
			documents: documents.map((d) => ({ id: d.id, status: d.status })),
			passages: passages.length,
			vectors: passages.filter((p) => p.vector instanceof Float32Array).length
		};
	});
}

const embedCalls = (engine: TestEngineControl) =>
	engine.events.filter((e) => e.type === 'embed').length;

/**
 * Serves the production build through routing, as the service worker would offline (these tests
 * block service workers so that the test engine can stand in for WebLLM). The test engine's own
 * routes are left to the fixture.
 */
async function serveBuildOffline(context: BrowserContext, origin: string, { offline = true } = {}) {
	const root = resolve('build');
	await context.route(`${origin}/**`, (route) => {
		const url = new URL(route.request().url());
		if (url.pathname.includes('/__test-engine/') || /engine\.worker-/.test(url.pathname)) {
			return route.fallback();
		}
		const target = normalize(join(root, decodeURIComponent(url.pathname)));
		const file = [target, join(target, 'index.html')].find(
			(f) => f.startsWith(root) && existsSync(f) && statSync(f).isFile()
		);
		return file
			? route.fulfill({ path: file })
			: route.fulfill({ status: 404, path: join(root, '404.html') });
	});
	if (offline) await context.setOffline(true);
}

test('a 40-page PDF is read and indexed with progress, its one fact is found on its page, and removing it removes its passages and vectors', async ({
	page,
	testEngine
}) => {
	test.setTimeout(90_000);
	testEngine.script({ embed: { delayMs: 60 } });
	await openApp(page, '/documents/');
	await pickModel(page);
	await page.getByTestId('document-files').setInputFiles({
		name: 'heron-report.pdf',
		mimeType: 'application/pdf',
		buffer: await reportPdf(40, 23)
	});
	const row = documentRow(page, 'heron-report.pdf');
	await expect(row).toHaveAttribute('data-status', 'embedding');
	await expect(row.getByTestId('document-progress')).toContainText(/Indexing: \d+ of \d+ passages/);
	await expect(row).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await expect(row.getByTestId('document-facts')).toContainText('PDF');
	await expect(row.getByTestId('document-facts')).toContainText('40 pages');
	const embedded = embedCalls(testEngine);
	expect(embedded).toBeGreaterThan(2);
	expect(testEngine.events).toContainEqual(
		expect.objectContaining({ type: 'reload', modelIds: [EMBEDDER] })
	);

	await search(page, QUESTION);
	const best = page.getByTestId('search-hit').first();
	await expect(best.getByTestId('hit-source')).toHaveText('heron-report.pdf, page 23');
	await best.getByTestId('hit-toggle').click();
	await expect(best.getByTestId('hit-passage')).toContainText(FACT);
	await expect(page.getByTestId('words-only')).toHaveCount(0);
	// The question itself was embedded (one more call than indexing made).
	expect(embedCalls(testEngine)).toBe(embedded + 1);

	const stored = await storedDocuments(page);
	expect(stored.documents).toHaveLength(1);
	expect(stored.passages).toBeGreaterThan(40);
	expect(stored.vectors).toBe(stored.passages);
	await expect(page.getByTestId('documents-bytes')).toContainText('Documents use');

	await row.getByTestId('document-remove').click();
	await expect(row).toHaveCount(0);
	await expect
		.poll(() => storedDocuments(page))
		.toEqual({ documents: [], passages: 0, vectors: 0 });
	// A search no longer finds it.
	await page.getByTestId('document-search-submit').click();
	await expect(page.getByTestId('no-hits')).toBeVisible();
});

test('offline after a reload, a downloaded embedding model still embeds the question and finds the passage', async ({
	page,
	context,
	testEngine,
	modelServer
}) => {
	test.setTimeout(90_000);
	const model = modelServer.addModel('Arctic-Embed-Mini-q0f32-MLC', {
		modelType: 'bert',
		contextWindow: 512
	});
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download', exact: true }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 30_000 });

	await page.getByRole('link', { name: 'Documents' }).click();
	await pickModel(page, model.modelId);
	await page.getByTestId('paste-name').fill('field-notes.md');
	await page
		.getByTestId('paste-text')
		.fill(`# Field notes\n\n${FILLER.join('\n\n')}\n\n## Secrets\n\n${FACT}\n\n${FILLER[0]}`);
	await page.getByTestId('paste-add').click();
	const row = documentRow(page, 'field-notes.md');
	await expect(row).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });

	await serveBuildOffline(context, new URL(page.url()).origin);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(row).toHaveAttribute('data-status', 'ready');
	const before = embedCalls(testEngine);
	await search(page, QUESTION);
	const best = page.getByTestId('search-hit').first();
	await expect(best.getByTestId('hit-source')).toHaveText('field-notes.md › Field notes › Secrets');
	await expect(best.getByTestId('hit-snippet')).toContainText('7419');
	await expect(page.getByTestId('words-only')).toHaveCount(0);
	expect(embedCalls(testEngine)).toBe(before + 1);
});

test('indexing with an embedding model that is not downloaded, while offline, says so and waits; online again, it goes on', async ({
	page,
	context,
	testEngine
}) => {
	// The app's files come from the build, as the service worker would serve them offline.
	await serveBuildOffline(context, new URL(ROOT_URL).origin, { offline: false });
	testEngine.script({});
	await openApp(page, '/documents/');
	await pickModel(page);
	await context.setOffline(true);
	await page.getByTestId('paste-name').fill('offline.txt');
	await page.getByTestId('paste-text').fill(`${FILLER.join('\n\n')}\n\n${FACT}`);
	await page.getByTestId('paste-add').click();
	const notice = page.getByTestId('indexing-blocked');
	await expect(notice).toHaveAttribute('data-error-code', 'offline');
	await expect(notice).toContainText(
		`The embedding model ${EMBEDDER} is not downloaded, and this device is offline.`
	);
	await expect(notice).toContainText('goes on by itself once you are online');
	const row = documentRow(page, 'offline.txt');
	await expect(row).toHaveAttribute('data-status', 'embedding');
	// Its words are already searchable.
	await search(page, 'Heron 7419');
	await expect(page.getByTestId('search-hit').first().getByTestId('hit-snippet')).toContainText(
		'7419'
	);
	await expect(page.getByTestId('words-only')).toBeVisible();

	await context.setOffline(false);
	await expect(row).toHaveAttribute('data-status', 'ready');
	await expect(notice).toHaveCount(0);
});

test('a scanned PDF without text and a corrupt PDF each say why they cannot be read', async ({
	page
}) => {
	await openApp(page, '/documents/');
	await pickModel(page);
	await page.getByTestId('document-files').setInputFiles([
		{ name: 'scan.pdf', mimeType: 'application/pdf', buffer: await scannedPdf() },
		{
			name: 'broken.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF')
		}
	]);
	const scan = documentRow(page, 'scan.pdf');
	await expect(scan).toHaveAttribute('data-status', 'failed');
	await expect(scan.getByTestId('document-error')).toHaveAttribute(
		'data-error-code',
		'pdf-no-text'
	);
	await expect(scan.getByTestId('document-error')).toContainText(
		'This PDF has no text to read: it is probably a scan or pictures of pages.'
	);
	const broken = documentRow(page, 'broken.pdf');
	await expect(broken).toHaveAttribute('data-status', 'failed');
	await expect(broken.getByTestId('document-error')).toHaveAttribute(
		'data-error-code',
		'pdf-corrupt'
	);
	await expect(broken.getByTestId('document-error')).toContainText(
		'This PDF is damaged and cannot be read.'
	);
});

test('a file larger than the space left is refused with its size and the space left, and nothing is stored', async ({
	page
}) => {
	await page.addInitScript(() => {
		Object.defineProperty(StorageManager.prototype, 'estimate', {
			value: async () => ({ quota: 20_000_000, usage: 15_000_000 })
		});
	});
	await openApp(page, '/documents/');
	await page.getByTestId('document-files').setInputFiles({
		name: 'huge-log.txt',
		mimeType: 'text/plain',
		buffer: Buffer.alloc(2_000_000, 'log line\n')
	});
	const refused = page.getByTestId('document-refused');
	await expect(refused).toHaveAttribute('data-error-code', 'too-big');
	await expect(refused).toContainText(
		'huge-log.txt was not added: it is 2.0 MB, and with its index it needs about 14 MB; this browser lets Lantern store about 5.0 MB more.'
	);
	await expect(refused).toContainText('Nothing was stored.');
	await expect(page.getByTestId('document')).toHaveCount(0);
	expect((await storedDocuments(page)).documents).toEqual([]);
});

test('collections are named, filled and deleted; their documents stay', async ({ page }) => {
	await openApp(page, '/documents/');
	for (const name of ['a.txt', 'b.txt']) {
		await page.getByTestId('paste-name').fill(name);
		await page.getByTestId('paste-text').fill(`Text of ${name}.`);
		await page.getByTestId('paste-add').click();
		await expect(documentRow(page, name)).toBeVisible();
	}
	await page.getByTestId('collection-name').fill('Contracts');
	await page.getByTestId('collection-create').click();
	const collection = page.getByTestId('collection').filter({ hasText: 'Contracts' });
	await expect(collection.getByTestId('collection-count')).toHaveText('0 documents');
	await page.getByRole('checkbox', { name: 'a.txt in Contracts' }).check();
	await expect(collection.getByTestId('collection-count')).toHaveText('1 document');
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByRole('checkbox', { name: 'a.txt in Contracts' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: 'b.txt in Contracts' })).not.toBeChecked();
	await collection.getByTestId('collection-delete').click();
	await expect(page.getByTestId('collection')).toHaveCount(0);
	await expect(page.getByTestId('document')).toHaveCount(2);
});

test('with a chat model loaded and GPU memory unknown, indexing asks before it unloads the chat model', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Still', ' here.'] } });
	await openApp(page);
	await loadModel(page);
	await page.getByRole('link', { name: 'Documents', exact: true }).click();
	await pickModel(page);
	await page.getByTestId('paste-name').fill('notes.txt');
	await page.getByTestId('paste-text').fill(FACT);
	await page.getByTestId('paste-add').click();
	const notice = page.getByTestId('indexing-blocked');
	await expect(notice).toHaveAttribute('data-error-code', 'gpu-busy');
	await expect(notice).toContainText(
		'Indexing waits: Qwen2.5-0.5B-Instruct-q4f32_1-MLC is loaded for chat'
	);
	const row = documentRow(page, 'notes.txt');
	await expect(row).toHaveAttribute('data-status', 'embedding');
	expect(testEngine.events.filter((e) => e.type === 'unload')).toHaveLength(0);

	await notice.getByTestId('indexing-make-way').click();
	await expect(row).toHaveAttribute('data-status', 'ready');
	// The chat model made way: it was unloaded before the embedding model loaded.
	const order = testEngine.events
		.filter((e) => e.type === 'unload' || e.type === 'reload')
		.map((e) => (e.type === 'unload' ? 'unload' : `load ${(e.modelIds as string[]).join()}`));
	expect(order).toEqual(['load Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'unload', `load ${EMBEDDER}`]);
});

test('when the device says both fit, the embedding model loads beside the chat model, which keeps answering', async ({
	page,
	testEngine
}) => {
	// 4 GB of RAM: Lantern assumes 2 GB of it for models, and both estimates fit (about 1.6 GB).
	await page.addInitScript(() =>
		Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 4 })
	);
	testEngine.script({ chat: { tokens: ['Still', ' here.'] } });
	await openApp(page);
	await loadModel(page);
	await page.getByRole('link', { name: 'Documents', exact: true }).click();
	await pickModel(page);
	await page.getByTestId('paste-name').fill('notes.txt');
	await page.getByTestId('paste-text').fill(FACT);
	await page.getByTestId('paste-add').click();
	await expect(documentRow(page, 'notes.txt')).toHaveAttribute('data-status', 'ready');
	await expect(page.getByTestId('indexing-blocked')).toHaveCount(0);
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await ask(page, 'Are you still loaded?');
	await expect(await lastAnswer(page)).toContainText('Still here.');
	expect(testEngine.events.filter((e) => e.type === 'unload')).toHaveLength(0);
	expect(testEngine.events.filter((e) => e.type === 'reload').map((e) => e.modelIds)).toEqual([
		['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'],
		[EMBEDDER]
	]);
});

test.describe('offline, from the service worker', () => {
	test.use({ serviceWorkers: 'allow' });

	test('after one visit, a PDF is read offline: pdf.js and its worker come from the precache', async ({
		page,
		context
	}) => {
		await openApp(page);
		await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
		await context.setOffline(true);
		const network = watchNetwork(context);
		await page.reload();
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await page.getByRole('link', { name: 'Documents', exact: true }).click();
		await page.getByTestId('document-files').setInputFiles({
			name: 'offline.pdf',
			mimeType: 'application/pdf',
			buffer: await reportPdf(2, 2)
		});
		const row = documentRow(page, 'offline.pdf');
		// Read into passages; it then waits for an embedding model (none was picked).
		await expect(row).toHaveAttribute('data-status', 'embedding', { timeout: 20_000 });
		await expect(row.getByTestId('document-facts')).toContainText('2 pages');
		await expect(page.getByTestId('indexing-blocked')).toHaveAttribute(
			'data-error-code',
			'no-model'
		);
		expect(await network.reached()).toEqual([]);
	});
});
