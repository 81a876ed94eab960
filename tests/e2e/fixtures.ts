// The one import point for e2e specs: `test` with a scripted engine, and helpers.
import { test as base, expect, type BrowserContext, type Page, type Route } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBLLM_PROBE } from '../../scripts/build-webllm-probe.js';
import {
	startModelServer,
	writeModelFolder,
	type ModelFolder,
	type ModelServer,
	type ServedModel
} from '../fixtures/model-server';
import {
	startOpenAiServer,
	type OpenAiServer,
	type OpenAiServerOptions
} from '../fixtures/openai-server';
import type { Scenario } from '../fixtures/TestEngine';

export { expect };
export { originalValue, parseCsv } from '../fixtures/csv';
export { writeModelFolder };
export type {
	ModelFolder,
	ModelServer,
	OpenAiServer,
	OpenAiServerOptions,
	Route,
	Scenario,
	ServedModel
};

/** Starts OpenAI-compatible servers on 127.0.0.1 (tests/fixtures/openai-server.ts); all are closed after the test. */
export type StartOpenAiServer = (options: OpenAiServerOptions) => Promise<OpenAiServer>;

/** The production worker chunk, wherever the build put it (base path included). */
const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;

export interface TestEngineControl {
	/** What the next load and chat will do. */
	script(scenario: Scenario): void;
	/** Lets an answer held by `holdAfterTokens` go on (scripting again holds the next one). */
	release(): void;
	/** Events the engine reported (setAppConfig, reload, chat requests, interrupt, unload). */
	readonly events: Array<Record<string, unknown> & { type: string }>;
}

export const test = base.extend<{
	testEngine: TestEngineControl;
	modelServer: ModelServer;
	diskPage: Page;
	openaiServer: StartOpenAiServer;
}>({
	// eslint-disable-next-line no-empty-pattern
	openaiServer: async ({}, use) => {
		const started: OpenAiServer[] = [];
		await use(async (options) => {
			const server = await startOpenAiServer(options);
			started.push(server);
			return server;
		});
		await Promise.all(started.map((s) => s.close()));
	},
	// A local server of synthetic MLC models on 127.0.0.1 (see tests/fixtures/model-server.ts).
	// eslint-disable-next-line no-empty-pattern
	modelServer: async ({}, use) => {
		const server = await startModelServer();
		await use(server);
		await server.close();
	},
	// A page in a browser profile kept on disk, as a user's is. Playwright's own contexts are
	// incognito: their IndexedDB lives in memory, and Chromium (150 here) never lowers
	// navigator.storage.estimate() there after records are deleted; on disk it does at once.
	diskPage: async ({ browserName, launchOptions, baseURL }, use) => {
		if (browserName !== 'chromium') throw new Error('diskPage needs Chromium');
		const { chromium } = await import('@playwright/test');
		const profile = await mkdtemp(join(tmpdir(), 'lantern-profile-'));
		const context = await chromium.launchPersistentContext(profile, {
			...launchOptions,
			baseURL,
			serviceWorkers: 'block'
		});
		await use(context.pages()[0] ?? (await context.newPage()));
		await context.close();
		await rm(profile, { recursive: true, force: true });
	},
	testEngine: async ({ context }, use) => {
		const workerSource = await readFile('tests/.cache/test-engine.worker.js', 'utf8');
		let scenario: Scenario = {};
		let released = false;
		const events: TestEngineControl['events'] = [];
		// Playwright cannot route a shared worker's script, so pages that use the test engine host
		// it in a leader tab's dedicated worker (connect.ts's fallback, the one Firefox and Safari
		// use), whose script the route below swaps.
		await context.addInitScript(() => Reflect.deleteProperty(window, 'SharedWorker'));
		await context.route(ENGINE_WORKER, (route: Route) =>
			route.fulfill({ body: workerSource, contentType: 'text/javascript' })
		);
		await context.route('**/__test-engine/scenario', (route) => route.fulfill({ json: scenario }));
		await context.route('**/__test-engine/released', (route) =>
			route.fulfill({ json: { released } })
		);
		await context.route('**/__test-engine/log', (route) => {
			events.push(JSON.parse(route.request().postData() ?? '{}'));
			return route.fulfill({ status: 204 });
		});
		await use({
			script: (next) => {
				scenario = next;
				released = false;
			},
			release: () => (released = true),
			events
		});
	}
});

/** Opens a page of the app and waits until it is hydrated (earlier clicks would be lost). */
export async function openApp(page: Page, path = '') {
	await page.goto(path);
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

/**
 * Collects the page's Content-Security-Policy violations from now on (none may happen in normal
 * use); call before the page is opened. Returns a function that reads them.
 */
export async function watchCsp(page: Page) {
	await page.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __csp: string[] }).__csp = seen;
		document.addEventListener('securitypolicyviolation', (e) =>
			seen.push(`${e.effectiveDirective} ${e.blockedURI}`)
		);
	});
	return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

/** Adds a model served by `modelServer` through the Models page's form, and waits until it is kept. */
/**
 * Records every request of the context that reached the network (not answered by the service
 * worker) or failed, from now on. `reached()` waits until each finished request's response has been
 * read, so none is missed at the verdict; a read after it (a request finishing while the context
 * closes) cannot reject unhandled and fail a test that has passed.
 */
export function watchNetwork(context: BrowserContext) {
	const reachedNetwork: string[] = [];
	const reads: Promise<void>[] = [];
	context.on('requestfinished', (request) => {
		reads.push(
			request.response().then(
				(response) => {
					if (response && !response.fromServiceWorker()) reachedNetwork.push(request.url());
				},
				() => {
					reachedNetwork.push(`${request.url()} (response unreadable)`);
				}
			)
		);
	});
	context.on('requestfailed', (request) => reachedNetwork.push(request.url()));
	return {
		async reached(): Promise<string[]> {
			await Promise.all(reads);
			return [...reachedNetwork];
		}
	};
}

export async function addCustomModel(page: Page, model: ServedModel) {
	await page.getByTestId('custom-base-url').fill(model.baseUrl);
	await page.getByTestId('custom-library-url').fill(model.libraryUrl);
	await page.getByTestId('custom-add').click();
	await expect(page.getByTestId('custom-added')).toContainText(model.modelId);
}

/** Adds a server on the Models page (“Your servers”) and waits for the outcome: added, or a message. */
export async function addServer(page: Page, baseUrl: string, apiKey?: string) {
	await page.getByTestId('server-base-url').fill(baseUrl);
	if (apiKey !== undefined) await page.getByTestId('server-api-key').fill(apiKey);
	await page.getByTestId('server-add').click();
	await expect(page.getByTestId('server-added').or(page.getByTestId('server-error'))).toBeVisible();
}

/** The catalog entry of a model on the Models page. */
export function modelEntry(page: Page, modelId: string) {
	return page.locator(`[data-testid="model-entry"][data-model-id="${modelId}"]`);
}

const PROBE_URL = '/__test/webllm-cache.js';

/**
 * Asks WebLLM itself (its `hasModelInCache`, with the app's cache backend) whether the model is
 * stored. The module is test-only: Playwright serves it on the app's origin.
 */
export async function webllmHasModel(page: Page, model: ModelAddress): Promise<boolean> {
	await page.route(`**${PROBE_URL}`, async (route) =>
		route.fulfill({ body: await readFile(WEBLLM_PROBE, 'utf8'), contentType: 'text/javascript' })
	);
	const record = { model: model.baseUrl, model_id: model.modelId, model_lib: model.libraryUrl };
	return page.evaluate(
		async ({ url, record }) => {
			const probe = (await import(/* @vite-ignore */ url)) as {
				hasModelInCache(id: string, config: unknown): Promise<boolean>;
			};
			return probe.hasModelInCache(record.model_id, {
				model_list: [record],
				cacheBackend: 'indexeddb'
			});
		},
		{ url: new URL(PROBE_URL, page.url()).href, record }
	);
}

/** The addresses the app keeps for a model: enough for `webllmHasModel`. */
export type ModelAddress = Pick<ServedModel, 'baseUrl' | 'libraryUrl' | 'modelId'>;

/** A custom model's record as the app stored it (in its own database), as a `ModelAddress`. */
export async function customModelAddress(page: Page, modelId: string): Promise<ModelAddress> {
	const record = await page.evaluate(async (id) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('lantern');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise<{ record: { model: string; model_lib: string } } | undefined>(
				(resolve, reject) => {
					const request = db.transaction('customModels').objectStore('customModels').get(id);
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				}
			);
		} finally {
			db.close();
		}
	}, modelId);
	if (!record) throw new Error(`no custom model ${modelId}`);
	return { baseUrl: record.record.model, libraryUrl: record.record.model_lib, modelId };
}

/** Imports a folder through the Models page's folder input, and waits for the outcome. */
export async function importFolder(page: Page, dir: string) {
	await page.getByTestId('import-folder-input').setInputFiles(dir);
}

/** Every key in WebLLM's three IndexedDB caches (databases that do not exist are not created). */
export async function storedKeys(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const existing = new Set((await indexedDB.databases()).map((d) => d.name));
		const keys: string[] = [];
		for (const name of ['webllm/config', 'webllm/wasm', 'webllm/model']) {
			if (!existing.has(name)) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			if (db.objectStoreNames.contains('urls')) {
				const all = await new Promise<IDBValidKey[]>((resolve, reject) => {
					const request = db.transaction('urls').objectStore('urls').getAllKeys();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				for (const key of all) keys.push(`${name} ${String(key)}`);
			}
			db.close();
		}
		return keys;
	});
}

/** The pinned WebLLM's prebuilt model ids, read in Node. */
export async function prebuiltModelIds(): Promise<string[]> {
	const webllm = await import('@mlc-ai/web-llm');
	return webllm.prebuiltAppConfig.model_list.map((r) => r.model_id);
}

export type { Page };

/** The chat requests the test engine received, oldest first. */
export interface ChatRequestEvent {
	model: string;
	messages: Array<{
		role: string;
		content: string | Array<{ type: string; text?: string; image_url?: { url: string } }>;
	}>;
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	seed?: number;
	extra_body?: { enable_thinking?: boolean };
}

export function chatRequests(control: TestEngineControl): ChatRequestEvent[] {
	return control.events
		.filter((e) => e.type === 'chat')
		.map((e) => (e as unknown as { request: ChatRequestEvent }).request);
}

/** Picks a model on the chat page and loads it. */
export async function loadModel(page: Page, modelId = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC') {
	await page.getByTestId('model-select').selectOption(modelId);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toContainText(modelId);
}

/** Sends a message from the composer. */
export async function ask(page: Page, message: string) {
	await page.getByTestId('composer').fill(message);
	await page.getByTestId('composer').press('Enter');
}

/** The last answer, once it finished (its stats line is shown). */
export async function lastAnswer(page: Page) {
	const answer = page.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('stats')).toBeVisible();
	return answer;
}
