// Opt-in: real WebLLM reads exactly what Lantern's download manager stored, with no network.
//
//   LANTERN_REAL_LIB=/path/to/snowflake-arctic-embed-s-q0f32-ctx512_cs512_batch4-webgpu.wasm \
//     npm run test:real
//
// The library comes from the public mlc-ai/binary-mlc-llm-libs repository (web-llm-models/v0_2_80/)
// and is never committed. Without LANTERN_REAL_LIB this test is skipped (so `npm test` skips it).
//
// What it does: generates a synthetic model for that library (random weights in MLC's layout, a
// WordPiece tokenizer; tests/fixtures/real-model.ts), serves it and the library from a local
// server on 127.0.0.1 that counts requests, opens the production build in real Chromium (no test
// engine, service workers blocked), stores the model with the app's download manager (through the
// Models page's custom-model form and its Download button; through ModelDownloader directly in a
// build without that form). Then the app's own embed path runs real WebLLM: the production engine
// worker (served through a route with tests/fixtures/real-engine.shim.js prepended: the stubs the
// 0.2.80 library needs are the test's, the shipped bytes follow unchanged), driven by the Documents
// page, indexes a pasted document and embeds a search question; the server must see no request.
// Then the browser restarts on the same profile with the network off, and a second document with
// the same text is indexed and searched the same way, giving the same vector. A second test imports the same synthetic model from a folder on disk
// (Models page, offline, on a fresh profile) and indexes and searches a document with it the same
// way: no request may leave the app. Each load costs 5 to 20 minutes on SwiftShader (one shader compiles slowly, and nothing caches it).
import { expect, test, chromium, type BrowserContext, type Page } from '@playwright/test';
import { cpSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { serveBuild } from '../../scripts/serve.js';
import type { ArtifactRecord } from '../../src/lib/models/artifacts';
import { readFileSync } from 'node:fs';
import type { RealEngineApi } from '../fixtures/real-engine.page';
import { generateRealModel, type GeneratedModel } from '../fixtures/real-model';

const LIB = process.env.LANTERN_REAL_LIB;
const CACHE = 'tests/.cache/real-engine';
const MODEL_PATH = '/models/synthetic-arctic-embed-s/resolve/main/';
const TEST_PATH = '__lantern-real/';
/** The production engine worker chunk, wherever the build put it. */
const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;
const FACT = 'The launch code of Project Heron is 7419.';
const QUESTION = 'What is the launch code of Project Heron?';

/** Builds the test-only page module (tests/fixtures/real-engine.page.ts: download and status). */
async function buildTestModule(): Promise<string> {
	// Imported here so that the default (skipping) run does not load Vite.
	const { buildTestModule } = await import('../../scripts/build-test-module.js');
	return buildTestModule('tests/fixtures/real-engine.page.ts', join(CACHE, 'page.js'));
}

interface FixtureServer {
	url: string;
	requests: string[];
	close(): Promise<void>;
}

/** Serves the model's files and the library on 127.0.0.1 (never "localhost"), counting requests. */
async function serveFixtures(model: GeneratedModel, libPath: string): Promise<FixtureServer> {
	const requests: string[] = [];
	const libUrlPath = `/libs/${basename(libPath)}`;
	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		requests.push(`${req.method} ${path}`);
		let file: string | null = null;
		if (path === libUrlPath) file = libPath;
		else if (path.startsWith(MODEL_PATH)) {
			const name = path.slice(MODEL_PATH.length);
			if (model.files.includes(name)) file = join(model.dir, name);
		}
		const cors = { 'access-control-allow-origin': '*' };
		if (!file) {
			res.writeHead(404, cors).end();
			return;
		}
		const type =
			extname(file) === '.json'
				? 'application/json'
				: extname(file) === '.wasm'
					? 'application/wasm'
					: 'application/octet-stream';
		res.writeHead(200, { ...cors, 'content-type': type, 'content-length': statSync(file).size });
		createReadStream(file).pipe(res);
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no server address');
	return {
		url: `http://127.0.0.1:${address.port}`,
		requests,
		close: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}

/** Serves a copy of the production build through routing: the app shell while offline. */
async function routeBuild(context: BrowserContext, appUrl: string, root: string) {
	await context.route(`${appUrl}**`, (route) => {
		const path = decodeURIComponent(new URL(route.request().url()).pathname);
		const target = normalize(join(root, path));
		const candidates = [target, join(target, 'index.html')];
		const file = candidates.find(
			(f) => f.startsWith(root) && existsSync(f) && statSync(f).isFile()
		);
		return file
			? route.fulfill({ path: file })
			: route.fulfill({ status: 404, path: join(root, '404.html') });
	});
}

/** The page's global once the test module is loaded (used inside page.evaluate only). */
type TestWindow = typeof globalThis & { lanternReal: RealEngineApi };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

test.describe('real WebLLM on files stored by the download manager', () => {
	test.skip(
		!LIB,
		'opt-in: set LANTERN_REAL_LIB to the path of snowflake-arctic-embed-s-q0f32-ctx512_cs512_batch4-webgpu.wasm from github.com/mlc-ai/binary-mlc-llm-libs (web-llm-models/v0_2_80/), then run npm run test:real'
	);

	/** Undone after the test, last first, even when it fails or times out. */
	const cleanup: Array<() => Promise<void>> = [];
	test.afterEach(async () => {
		for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
	});

	test('loads and embeds with zero network requests, online and after an offline restart', async ({
		launchOptions,
		headless
	}) => {
		test.setTimeout(60 * 60_000);
		const libPath = resolve(LIB ?? '');
		expect(existsSync(libPath), `LANTERN_REAL_LIB=${libPath} does not exist`).toBe(true);
		expect(
			existsSync('build/index.html'),
			'no production build: run npm run build first (npm run test:real does)'
		).toBe(true);

		const work = mkdtempSync(join(tmpdir(), 'lantern-real-'));
		cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
		const buildCopy = join(work, 'build');
		const profile = join(work, 'profile');
		// A private copy: another run may rebuild build/ meanwhile.
		cpSync('build', buildCopy, { recursive: true });
		const pageModule = await buildTestModule();
		const shim = readFileSync('tests/fixtures/real-engine.shim.js', 'utf8');
		const model = generateRealModel(libPath, join(work, 'model'));
		const fixtures = await serveFixtures(model, libPath);
		cleanup.push(fixtures.close);
		const app = await serveBuild({ root: buildCopy, port: 0 });
		cleanup.push(app.close);
		const record: ArtifactRecord = {
			model: `${fixtures.url}${MODEL_PATH.replace('resolve/main/', '')}`,
			model_id: 'synthetic-arctic-embed-s-q0f32-b4',
			model_lib: `${fixtures.url}/libs/${basename(libPath)}`,
			model_type: 1
		};
		const pageModuleUrl = `${app.url}${TEST_PATH}page.js`;
		console.log(
			`Synthetic model: ${model.metadata.params.length} tensors, ${(model.weightBytes / 1e6).toFixed(1)} MB in ${model.shardCount} shards, hidden size ${model.hiddenSize}`
		);

		/** A browser on `profile` with the app open, and the fixture requests it makes. */
		async function open(offline: boolean) {
			const context = await chromium.launchPersistentContext(profile, {
				executablePath: launchOptions.executablePath,
				args: launchOptions.args,
				headless,
				serviceWorkers: 'block'
			});
			cleanup.push(() => context.close());
			const seen: string[] = [];
			context.on('request', (request) => {
				if (request.url().startsWith(fixtures.url)) seen.push(request.url());
			});
			if (offline) {
				await context.setOffline(true);
				await routeBuild(context, app.url, buildCopy);
			}
			await context.route(pageModuleUrl, (route) =>
				route.fulfill({ path: pageModule, contentType: 'text/javascript' })
			);
			// The production engine worker, exactly as built, after the test's stubs.
			await context.route(ENGINE_WORKER, (route) => {
				const path = decodeURIComponent(new URL(route.request().url()).pathname);
				const body = readFileSync(join(buildCopy, path), 'utf8');
				return route.fulfill({ body: `${shim}\n${body}`, contentType: 'text/javascript' });
			});
			const page = context.pages()[0] ?? (await context.newPage());
			page.on('console', (message) => {
				const text = message.text();
				if (message.type() === 'error') console.log(`[page error] ${text}`);
				else if (text.startsWith('[webllm]')) console.log(`  ${text}`);
			});
			await openPage(page, '');
			return { context, page, seen };
		}

		async function openPage(page: Page, path: string) {
			await page.goto(`${app.url}${path}`);
			await expect(page.locator('html[data-hydrated]')).toBeAttached();
		}

		/** Loads the test-only module into the open page (a navigation drops it). */
		async function loadTestModule(page: Page) {
			await page.evaluate(async (url) => {
				await import(url);
			}, pageModuleUrl);
		}

		/**
		 * Stores the model the way a user would: the Models page's custom-model form, then its
		 * Download button, until the entry says "Ready offline". Returns null when this build has no
		 * such form; the caller then drives ModelDownloader directly.
		 */
		async function storeThroughModelsPage(page: Page) {
			await openPage(page, 'models/');
			const form = page.getByTestId('custom-models');
			if ((await form.count()) === 0) return null;
			await form.getByTestId('custom-base-url').fill(record.model);
			await form.getByTestId('custom-library-url').fill(record.model_lib);
			await form.getByTestId('custom-model-id').fill(record.model_id);
			await form.getByTestId('custom-add').click();
			await expect(form.getByTestId('custom-added')).toBeVisible({ timeout: 60_000 });
			const checkRequests = fixtures.requests.splice(0);
			const entry = page.locator(`[data-testid="model-entry"][data-model-id="${record.model_id}"]`);
			const started = Date.now();
			await entry.getByRole('button', { name: 'Download', exact: true }).click();
			await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 5 * 60_000 });
			return { ms: Date.now() - started, checkRequests };
		}

		/** The vector the app stored for the (one) passage of the document `name`. */
		async function storedVector(page: Page, name: string): Promise<number[]> {
			return page.evaluate(async (documentName) => {
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
				const documents = await all<{ id: string; name: string }>('documents');
				const id = documents.find((d) => d.name === documentName)?.id;
				const passages = await all<{ documentId: string; vector: Float32Array | null }>('passages');
				db.close();
				return Array.from(passages.find((p) => p.documentId === id)?.vector ?? []);
			}, name);
		}

		/**
		 * The app's own embed path: on the Documents page, with the stored model picked, a pasted
		 * document is indexed (real WebLLM loads the model in the production engine worker and embeds
		 * the passage), then "Search your documents" embeds the question and finds it.
		 */
		async function indexAndSearch(page: Page, name: string, label: string) {
			await openPage(page, 'documents/');
			await page.getByTestId('embedding-model-select').selectOption(record.model_id);
			await page.getByTestId('paste-name').fill(name);
			await page.getByTestId('paste-text').fill(FACT);
			const started = Date.now();
			await page.getByTestId('paste-add').click();
			const row = page.locator('[data-testid="document"]').filter({ hasText: name });
			const blocked = page.getByTestId('indexing-blocked');
			await expect(row.and(page.locator('[data-status="ready"]')).or(blocked)).toBeVisible({
				timeout: 55 * 60_000
			});
			await expect(blocked, 'indexing stopped instead of finishing').toHaveCount(0);
			const indexMs = Date.now() - started;
			const searchStarted = Date.now();
			await page.getByTestId('document-query').fill(QUESTION);
			await page.getByTestId('document-search-submit').click();
			const hit = page.getByTestId('search-hit').first();
			await expect(hit).toBeVisible({ timeout: 5 * 60_000 });
			const searchMs = Date.now() - searchStarted;
			// The question was embedded (not matched by words alone), and the fact was found.
			await expect(page.getByTestId('words-only')).toHaveCount(0);
			await expect(hit.getByTestId('hit-snippet')).toContainText('7419');
			const vector = await storedVector(page, name);
			const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
			console.log(
				`${label}: indexed (load and embedding) in ${seconds(indexMs)}, searched in ${seconds(searchMs)}, vector length ${vector.length}, norm ${norm.toFixed(3)}`
			);
			expect(vector).toHaveLength(model.hiddenSize);
			expect(vector.every((x) => Number.isFinite(x))).toBe(true);
			return vector;
		}

		async function expectStoredForOffline(page: Page) {
			expect(
				await page.evaluate((r) => (globalThis as TestWindow).lanternReal.status(r), record)
			).toEqual({ state: 'complete', readyOffline: true });
		}

		// 1. Online: the app's download manager stores the model.
		const first = await open(false);
		const viaUi = await storeThroughModelsPage(first.page);
		if (viaUi) {
			console.log(
				`Models page: adding the custom model checked it with ${viaUi.checkRequests.length} requests (${viaUi.checkRequests.join(', ')})`
			);
			console.log(
				`Download through the Models page: ${seconds(viaUi.ms)} from the click to "Ready offline" (${fixtures.requests.length} requests: ${fixtures.requests.join(', ')})`
			);
			await openPage(first.page, '');
			await loadTestModule(first.page);
		} else {
			console.log('This build has no custom-model form on /models/: driving ModelDownloader.');
			await openPage(first.page, '');
			await loadTestModule(first.page);
			const downloaded = await first.page.evaluate(
				(r) => (globalThis as TestWindow).lanternReal.download(r),
				record
			);
			console.log(
				`Download by ModelDownloader: ${downloaded.fetchedFiles} files, ${(downloaded.fetchedBytes / 1e6).toFixed(1)} MB in ${seconds(downloaded.ms)} (${fixtures.requests.length} requests: ${fixtures.requests.join(', ')})`
			);
			expect(downloaded.fetchedFiles).toBe(model.files.length + 1); // + the library
		}
		// Every file fetched exactly once.
		expect([...fixtures.requests].sort()).toEqual(
			[`GET /libs/${basename(libPath)}`, ...model.files.map((f) => `GET ${MODEL_PATH}${f}`)].sort()
		);
		await expectStoredForOffline(first.page);

		// 2. Real WebLLM, in the production engine worker, loads it from IndexedDB and embeds through
		// the app: no request at all.
		fixtures.requests.length = 0;
		first.seen.length = 0;
		const online = await indexAndSearch(first.page, 'online.txt', 'Online');
		console.log(
			`Online load: ${fixtures.requests.length} requests to the fixture server, ${first.seen.length} seen by the browser`
		);
		expect(fixtures.requests).toEqual([]);
		expect(first.seen).toEqual([]);
		await first.context.close();

		// 3. The browser restarts offline on the same profile: the same again.
		const second = await open(true);
		if (second.seen.length > 0) {
			console.log(`Offline app start tried: ${second.seen.join(', ')}`);
			second.seen.length = 0;
		}
		await loadTestModule(second.page);
		await expectStoredForOffline(second.page);
		const offline = await indexAndSearch(second.page, 'offline.txt', 'Offline restart');
		console.log(
			`Offline load: ${fixtures.requests.length} requests to the fixture server, ${second.seen.length} seen by the browser`
		);
		expect(fixtures.requests).toEqual([]);
		expect(second.seen).toEqual([]);
		// Same stored weights, same text, same GPU: the same vector as online.
		offline.forEach((x, i) => expect(x).toBeCloseTo(online[i] ?? NaN, 4));
		// The network really was off: a direct fetch of a model file fails (Chromium logs an
		// expected net::ERR_INTERNET_DISCONNECTED).
		console.log('Checking that the network is off: one fetch that must fail.');
		const direct = await second.page.evaluate(
			(url) =>
				fetch(url).then(
					() => 'reached',
					() => 'failed'
				),
			`${fixtures.url}${MODEL_PATH}tensor-cache.json`
		);
		expect(direct).toBe('failed');
		expect(fixtures.requests).toEqual([]);
		await second.context.close();
	});

	test('imported from files, it loads and embeds with zero network requests', async ({
		launchOptions,
		headless
	}) => {
		test.setTimeout(60 * 60_000);
		const libPath = resolve(LIB ?? '');
		expect(existsSync(libPath), `LANTERN_REAL_LIB=${libPath} does not exist`).toBe(true);
		const work = mkdtempSync(join(tmpdir(), 'lantern-real-import-'));
		cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
		const buildCopy = join(work, 'build');
		cpSync('build', buildCopy, { recursive: true });
		const pageModule = await buildTestModule();
		const shim = readFileSync('tests/fixtures/real-engine.shim.js', 'utf8');
		// The folder a user would carry: MLC's files and the library, side by side.
		const model = generateRealModel(libPath, join(work, 'synthetic-arctic-embed-s-q0f32-b4'));
		cpSync(libPath, join(model.dir, basename(libPath)));
		const app = await serveBuild({ root: buildCopy, port: 0 });
		cleanup.push(app.close);
		const context = await chromium.launchPersistentContext(join(work, 'profile'), {
			executablePath: launchOptions.executablePath,
			args: launchOptions.args,
			headless,
			serviceWorkers: 'block'
		});
		cleanup.push(() => context.close());
		const foreign: string[] = [];
		context.on('request', (request) => {
			if (!request.url().startsWith(app.url)) foreign.push(request.url());
		});
		// The app is served through routing, so that it still opens once the network is off (as the
		// service worker would serve it); the routes added after this one take precedence.
		await routeBuild(context, app.url, buildCopy);
		const pageModuleUrl = `${app.url}${TEST_PATH}page.js`;
		await context.route(pageModuleUrl, (route) =>
			route.fulfill({ path: pageModule, contentType: 'text/javascript' })
		);
		// The production engine worker, exactly as built, after the test's stubs.
		await context.route(ENGINE_WORKER, (route) => {
			const path = decodeURIComponent(new URL(route.request().url()).pathname);
			const body = readFileSync(join(buildCopy, path), 'utf8');
			return route.fulfill({ body: `${shim}\n${body}`, contentType: 'text/javascript' });
		});
		const page = context.pages()[0] ?? (await context.newPage());
		const violations: string[] = [];
		page.on('console', (message) => {
			const text = message.text();
			if (/Content Security Policy/i.test(text)) violations.push(text);
			if (text.startsWith('[webllm]')) console.log(`  ${text}`);
		});
		await page.goto(`${app.url}models/`);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await page.waitForLoadState('networkidle');
		await context.setOffline(true);

		const started = Date.now();
		await page.getByTestId('import-folder-input').setInputFiles(model.dir);
		await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 5 * 60_000 });
		console.log(`Import from files: ${seconds(Date.now() - started)}`);
		const entry = page.locator(
			'[data-testid="model-entry"][data-model-id="synthetic-arctic-embed-s-q0f32-b4"]'
		);
		await expect(entry).toContainText('Embedding');
		const record = await page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const request = indexedDB.open('lantern');
				request.onsuccess = () => ok(request.result);
				request.onerror = () => fail(request.error);
			});
			const entry = await new Promise<{ record: ArtifactRecord }>((ok, fail) => {
				const request = db
					.transaction('customModels')
					.objectStore('customModels')
					.get('synthetic-arctic-embed-s-q0f32-b4');
				request.onsuccess = () => ok(request.result);
				request.onerror = () => fail(request.error);
			});
			db.close();
			return entry.record;
		});
		expect(record.model_type).toBe(1);
		await page.evaluate(async (url) => {
			await import(url);
		}, pageModuleUrl);
		expect(
			await page.evaluate((r) => (globalThis as TestWindow).lanternReal.status(r), record)
		).toEqual({ state: 'complete', readyOffline: true });
		// The app's own embed path: the Documents page indexes a pasted document with the imported
		// model (real WebLLM in the production engine worker) and finds it by meaning.
		await page.goto(`${app.url}documents/`);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await page.getByTestId('embedding-model-select').selectOption(record.model_id);
		await page.getByTestId('paste-name').fill('imported.txt');
		await page.getByTestId('paste-text').fill(FACT);
		const indexStarted = Date.now();
		await page.getByTestId('paste-add').click();
		const row = page.locator('[data-testid="document"]').filter({ hasText: 'imported.txt' });
		const blocked = page.getByTestId('indexing-blocked');
		await expect(row.and(page.locator('[data-status="ready"]')).or(blocked)).toBeVisible({
			timeout: 55 * 60_000
		});
		await expect(blocked, 'indexing stopped instead of finishing').toHaveCount(0);
		const indexMs = Date.now() - indexStarted;
		await page.getByTestId('document-query').fill(QUESTION);
		await page.getByTestId('document-search-submit').click();
		const hit = page.getByTestId('search-hit').first();
		await expect(hit).toBeVisible({ timeout: 5 * 60_000 });
		await expect(page.getByTestId('words-only')).toHaveCount(0);
		await expect(hit.getByTestId('hit-snippet')).toContainText('7419');
		console.log(
			`Imported model: indexed (load and embedding) in ${seconds(indexMs)}, ${foreign.length} requests beyond the app`
		);
		expect(foreign).toEqual([]);
		expect(violations).toEqual([]);
	});
});
