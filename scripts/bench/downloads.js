// Download manager: its throughput against a plain `fetch` of the same bytes in the same page, and
// the page's peak JS heap while it downloads a 512 MiB model. The models are synthetic (the e2e
// fixture server, tests/fixtures/model-server.ts, on 127.0.0.1) and the app is driven only
// through its interface: add a custom model, press Download.
//
// Two runs: one as fast as the local server goes (there, writing to IndexedDB is the limit, which
// a plain fetch never pays), and one with the server paced like a fast real link (50 MB/s), where
// storing a shard overlaps fetching the next. Fails if the heap ever holds half the model: shards
// must stream to storage, not pile up in memory.
import { chromium } from '@playwright/test';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';

const MIB = 1024 * 1024;
const SHARD_BYTES = 32 * MIB;
const PACED_RATE = 50e6;

/** @param {number} bytes */
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

/** The fixture server is TypeScript with only Node built-ins: transpile it, then import it. */
async function loadModelServer() {
	const source = readFileSync('tests/fixtures/model-server.ts', 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	mkdirSync('tests/.cache', { recursive: true });
	const out = join('tests/.cache', 'model-server.mjs');
	writeFileSync(out, outputText);
	/** @type {typeof import('../../tests/fixtures/model-server')} */
	const module = await import(pathToFileURL(out).href);
	return module;
}

/**
 * @typedef {import('../../tests/fixtures/model-server').ServedModel} ServedModel
 * @typedef {import('@playwright/test').Page} Page
 * @typedef {{ start?: number, end?: number }} Marks
 */

/** Page-side clocks: when a model's Download was clicked, when its "ready offline" appeared. */
function installMarks() {
	/** @type {Record<string, Marks>} */
	const marks = {};
	Object.assign(window, { benchMarks: marks });
	document.addEventListener(
		'click',
		(event) => {
			const entry = /** @type {Element} */ (event.target).closest('[data-model-id]');
			const id = entry?.getAttribute('data-model-id');
			if (id) (marks[id] ??= {}).start ??= performance.now();
		},
		true
	);
	new MutationObserver(() => {
		for (const [id, m] of Object.entries(marks)) {
			const ready = `[data-testid="model-entry"][data-model-id="${id}"] [data-testid="ready-offline"]`;
			if (m.start && !m.end && document.querySelector(ready)) m.end = performance.now();
		}
	}).observe(document.body, { subtree: true, childList: true });
}

/**
 * @param {Page} page
 * @param {string} origin
 * @param {ServedModel} model
 */
async function plainFetchMs(page, origin, model) {
	const urls = model.paths.shards.map((p) => `${origin}${p}`);
	return page.evaluate(async (list) => {
		const start = performance.now();
		for (const url of list) {
			const reader = (await fetch(url)).body?.getReader();
			while (reader && !(await reader.read()).done);
		}
		return performance.now() - start;
	}, urls);
}

/**
 * @param {Page} page
 * @param {ServedModel} model
 */
async function downloadMs(page, model) {
	const entry = page.locator(`[data-testid="model-entry"][data-model-id="${model.modelId}"]`);
	await entry.getByRole('button', { name: 'Download' }).click();
	await entry.getByTestId('ready-offline').waitFor({ timeout: 300_000 });
	const marks = await page.evaluate(
		(id) =>
			/** @type {{ benchMarks: Record<string, Required<Marks>> }} */ (
				/** @type {unknown} */ (window)
			).benchMarks[id],
		model.modelId
	);
	return marks ? marks.end - marks.start : NaN;
}

/**
 * @param {string} label
 * @param {number} bytes
 * @param {number} fetchMs
 * @param {number} downloadMs
 */
function report(label, bytes, fetchMs, downloadMs) {
	const fetchRate = bytes / 1e6 / (fetchMs / 1000);
	const downloadRate = bytes / 1e6 / (downloadMs / 1000);
	const ratio = downloadRate / fetchRate;
	console.log(
		`${label}: download manager ${downloadRate.toFixed(0)} MB/s, plain fetch ${fetchRate.toFixed(0)} MB/s, ratio ${ratio.toFixed(2)} (${mb(bytes)}; aim: 0.9 or better)`
	);
	const key = label.replace(/\W+/g, '_');
	console.log(`${key}_download_mb_per_s=${downloadRate.toFixed(1)}`);
	console.log(`${key}_fetch_mb_per_s=${fetchRate.toFixed(1)}`);
	console.log(`${key}_ratio=${ratio.toFixed(3)}`);
}

export async function benchDownloads() {
	const { startModelServer } = await loadModelServer();
	const models = await startModelServer();
	const big = models.addModel('Bench-q4f32_1-MLC', {
		shardSizes: Array.from({ length: 16 }, () => SHARD_BYTES)
	});
	const paced = models.addModel('Paced-q4f32_1-MLC', {
		shardSizes: Array.from({ length: 8 }, () => SHARD_BYTES)
	});
	const app = await serveBuild({ port: 0 });
	// A real profile: IndexedDB on disk, as for a user (incognito keeps it in memory).
	const profile = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS],
		serviceWorkers: 'block'
	});
	let ok = true;
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`${app.url}models/`);
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		for (const model of [big, paced]) {
			await page.getByTestId('custom-base-url').fill(model.baseUrl);
			await page.getByTestId('custom-library-url').fill(model.libraryUrl);
			await page.getByTestId('custom-add').click();
			await page
				.getByTestId('custom-added')
				.filter({ hasText: model.modelId })
				.waitFor({ timeout: 60_000 });
		}
		await page.evaluate(installMarks);
		const shardBytes = (/** @type {ServedModel} */ m) => m.shardSizes.reduce((a, b) => a + b, 0);

		// 1. As fast as it goes, sampling the heap (V8's heap plus ArrayBuffer backing stores).
		const cdp = await context.newCDPSession(page);
		const heapNow = async () => {
			const usage = /** @type {{ usedSize: number, backingStorageSize?: number }} */ (
				await cdp.send('Runtime.getHeapUsage')
			);
			return { js: usage.usedSize, buffers: usage.backingStorageSize ?? 0 };
		};
		const fastFetch = await plainFetchMs(page, models.origin, big);
		await cdp.send('HeapProfiler.collectGarbage');
		const baseline = await heapNow();
		let peakJs = baseline.js;
		let peak = baseline.js + baseline.buffers;
		let sampling = true;
		const sampler = (async () => {
			while (sampling) {
				const now = await heapNow();
				peakJs = Math.max(peakJs, now.js);
				peak = Math.max(peak, now.js + now.buffers);
				await new Promise((resolve) => setTimeout(resolve, 25));
			}
		})();
		const fastDownload = await downloadMs(page, big);
		sampling = false;
		await sampler;

		// 2. Paced like a fast real connection.
		models.setRate(PACED_RATE);
		const pacedFetch = await plainFetchMs(page, models.origin, paced);
		const pacedDownload = await downloadMs(page, paced);

		report('local server, unpaced', shardBytes(big), fastFetch, fastDownload);
		report(`server paced at ${mb(PACED_RATE)}/s`, shardBytes(paced), pacedFetch, pacedDownload);
		console.log(
			`peak JS heap while downloading ${mb(big.totalBytes)}: ${mb(peak)} with ArrayBuffers, ${mb(peakJs)} without (before: ${mb(baseline.js + baseline.buffers)})`
		);
		console.log(`peak_js_heap_bytes=${peak}`);
		console.log(`peak_js_heap_without_buffers_bytes=${peakJs}`);
		if (peak > big.totalBytes / 2) {
			console.error(
				`FAIL: the page's JS heap reached ${mb(peak)} for a ${mb(big.totalBytes)} model`
			);
			ok = false;
		}
	} finally {
		await context.close();
		await app.close();
		await models.close();
		rmSync(profile, { recursive: true, force: true });
	}
	return ok;
}
