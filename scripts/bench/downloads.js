// Download manager and imports: throughput against simpler ways of moving the same bytes, in one
// run and the same page (one real browser profile, IndexedDB on disk as for a user), with the
// models and folders synthetic (tests/fixtures/model-server.ts, on 127.0.0.1; folders in a temp
// dir, removed afterwards). The app is driven only through its interface: add a custom model,
// press Download; pick a folder to import.
//
// Figures, each in MB/s over a 512 MiB model in 32 MiB shards:
//   - plain fetch: the shards fetched one after the other and thrown away (no storing);
//   - bare loop: fetch the next shard while storing the last in a scratch IndexedDB database (the
//     simplest loop that pays for storing, as the manager must; one connection);
//   - the download manager (MD5 checked, connections adaptive);
// once unpaced (the local server is as fast as it goes: storing is the limit) and with the
// server capping each connection (each response paced, like a CDN or a long link): at 40 MB/s
// (on a machine whose disk stores less than 80 MB/s, the disk is the limit there); at 10 MB/s,
// where four connections together carry less than the disk stores on a fast machine and about as
// much on a slow one; and at 15% of the bare loop's rate, where four connections together carry
// 60% of what the disk stores on any machine, so that the link alone is the limit.
// Also: the MD5 check's share of the manager's time (hashing the model's bytes in the same page),
// the connections the manager used, seen by the server (the most sending together for 100 ms or
// more, which the aims count: a part cut short by another connection has its socket closed up to
// 80 ms after the connection that took over opened, measured here; also the most at any instant,
// and the average over the download), the import's throughput and peak heap, and the download's
// peak heap (sampled during the 40 MB/s download, which holds the most shards at once; sampling
// the unpaced one would cost its page tasks the bare loop does not pay). BENCH_TIMELINE=1 also
// prints the connections in use, every 250 ms, over each capped download.
// Aims are printed next to the figures; it fails if the heap ever holds half the model.
import { chromium } from '@playwright/test';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { buildTestModule } from '../build-test-module.js';
import { serveBuild } from '../serve.js';

const MIB = 1024 * 1024;
const SHARD_BYTES = 32 * MIB;
const SHARDS = 16;
const CAP = 40e6;
/**
 * A lower cap: 4 x 10 MB/s against a bare loop of 40 to 220 MB/s on the machines measured, so the
 * link is the limit on a fast machine, and the link and the disk are about equal on a slow one.
 */
const LINK_CAP = 10e6;
/** The last cap, as a share of the bare loop's rate: four connections carry 60% of it. */
const FAR_SHARE = 0.15;
/** A connection counts when it was sending with the others this long (see `sustainedPeak`). */
const SUSTAINED_MS = 100;
const MD5_PROBE = 'tests/.cache/md5-probe.js';

/** @param {number} bytes */
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
/** @param {number} bytes @param {number} ms */
const rate = (bytes, ms) => bytes / 1e6 / (ms / 1000);

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
 * Fetches every shard, one after the other, reading and dropping the bytes.
 * @param {Page} page @param {string[]} urls
 */
function plainFetchMs(page, urls) {
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
 * Fetches the next shard while the last is stored in a scratch database, then deletes it.
 * @param {Page} page @param {string[]} urls
 */
function bareLoopMs(page, urls) {
	return page.evaluate(async (list) => {
		const name = `bench-scratch-${Math.random()}`;
		const db = await new Promise((resolve, reject) => {
			const request = indexedDB.open(name, 1);
			request.onupgradeneeded = () => request.result.createObjectStore('urls', { keyPath: 'url' });
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		/** @param {string} url @param {ArrayBuffer} data */
		const put = (url, data) =>
			new Promise((resolve, reject) => {
				const tx = /** @type {IDBDatabase} */ (db).transaction('urls', 'readwrite');
				tx.objectStore('urls').put({ url, data });
				tx.oncomplete = () => resolve(undefined);
				tx.onerror = () => reject(tx.error);
			});
		const start = performance.now();
		/** @type {Promise<unknown>} */
		let storing = Promise.resolve();
		for (const url of list) {
			const body = await (await fetch(url)).arrayBuffer();
			await storing;
			storing = put(url, body);
		}
		await storing;
		const ms = performance.now() - start;
		/** @type {IDBDatabase} */ (db).close();
		await new Promise((resolve) => {
			const request = indexedDB.deleteDatabase(name);
			request.onsuccess = request.onerror = request.onblocked = () => resolve(undefined);
		});
		return ms;
	}, urls);
}

/**
 * Hashes `bytes` of data with the app's MD5 library, in the page, 4 MiB at a time.
 * @param {Page} page @param {string} moduleUrl @param {number} bytes
 */
function md5Ms(page, moduleUrl, bytes) {
	return page.evaluate(
		async ({ url, total }) => {
			const { createMD5 } = await import(/* @vite-ignore */ url);
			const hash = await createMD5();
			const block = new Uint8Array(4 * 1024 * 1024);
			crypto.getRandomValues(block.subarray(0, 65536));
			const start = performance.now();
			for (let done = 0; done < total; done += block.byteLength) hash.update(block);
			hash.digest('hex');
			return performance.now() - start;
		},
		{ url: moduleUrl, total: bytes }
	);
}

/**
 * @param {Page} page
 * @param {ServedModel} model
 */
async function downloadMs(page, model) {
	const entry = page.locator(`[data-testid="model-entry"][data-model-id="${model.modelId}"]`);
	await entry.getByRole('button', { name: 'Download' }).click();
	await entry.getByTestId('ready-offline').waitFor({ timeout: 600_000 });
	const marks = await page.evaluate(
		(id) =>
			/** @type {{ benchMarks: Record<string, Required<Marks>> }} */ (
				/** @type {unknown} */ (window)
			).benchMarks[id],
		model.modelId
	);
	return marks ? marks.end - marks.start : NaN;
}

/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'met' : 'NOT MET');

/**
 * Connections sending at once, every 250 ms, from the server's record of the shard responses.
 * @param {ReadonlyArray<{ start: number, end: number | null }>} responses
 */
function timeline(responses) {
	if (responses.length === 0) return '';
	const now = performance.now();
	const from = Math.min(...responses.map((r) => r.start));
	const to = Math.max(...responses.map((r) => r.end ?? now));
	const bins = [];
	for (let t = from; t < to; t += 250) {
		let busy = 0;
		for (const r of responses)
			busy += Math.max(0, Math.min(r.end ?? now, t + 250) - Math.max(r.start, t));
		bins.push((busy / 250).toFixed(1));
	}
	return bins.join(' ');
}

/**
 * How many connections the last download used, from the server's record since its
 * `resetConcurrency`: the most sending together for `SUSTAINED_MS` (what the aims count), the most
 * at any instant, the average over the download's `ms`, and the timeline.
 * @param {import('../../tests/fixtures/model-server').ModelServer} models
 * @param {number} ms
 */
function connectionsUsed(models, ms) {
	return {
		sustained: models.sustainedPeak(SUSTAINED_MS),
		instant: models.peakConcurrent,
		mean: models.connectionMs / ms,
		timeline: timeline(models.responses)
	};
}

export async function benchDownloads() {
	const { startModelServer, writeModelFolder } = await loadModelServer();
	await buildTestModule('tests/fixtures/md5-probe.ts', MD5_PROBE);
	const models = await startModelServer();
	const shardSizes = Array.from({ length: SHARDS }, () => SHARD_BYTES);
	const fast = models.addModel('Bench-q4f32_1-MLC', { shardSizes });
	const capped = models.addModel('Capped-q4f32_1-MLC', { shardSizes });
	const linkBound = models.addModel('Link-q4f32_1-MLC', { shardSizes });
	const far = models.addModel('Far-q4f32_1-MLC', { shardSizes });
	const app = await serveBuild({ port: 0, root: process.env.BUILD_DIR ?? 'build' });
	const work = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
	const folder = writeModelFolder(work, 'Imported-q4f32_1-MLC', { shardSizes });
	// A real profile: IndexedDB on disk, as for a user (incognito keeps it in memory).
	const context = await chromium.launchPersistentContext(join(work, 'profile'), {
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS],
		serviceWorkers: 'block'
	});
	let ok = true;
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		const md5Url = `${app.url}__bench/md5.js`;
		await page.route(md5Url, (route) =>
			route.fulfill({ path: MD5_PROBE, contentType: 'text/javascript' })
		);
		await page.goto(`${app.url}models/`);
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		for (const model of [fast, capped, linkBound, far]) {
			await page.getByTestId('custom-base-url').fill(model.baseUrl);
			await page.getByTestId('custom-library-url').fill(model.libraryUrl);
			await page.getByTestId('custom-add').click();
			await page
				.getByTestId('custom-added')
				.filter({ hasText: model.modelId })
				.waitFor({ timeout: 60_000 });
		}
		await page.evaluate(installMarks);
		const bytes = SHARDS * SHARD_BYTES;
		const urls = (/** @type {ServedModel} */ m) =>
			m.paths.shards.map((p) => `${models.origin}${p}`);

		// The page's heap: V8's plus ArrayBuffer backing stores, sampled while something runs.
		const cdp = await context.newCDPSession(page);
		const heapNow = async () => {
			const usage = /** @type {{ usedSize: number, backingStorageSize?: number }} */ (
				await cdp.send('Runtime.getHeapUsage')
			);
			return usage.usedSize + (usage.backingStorageSize ?? 0);
		};
		/** @template T @param {() => Promise<T>} run @returns {Promise<{ value: T, peak: number }>} */
		const sampled = async (run) => {
			await cdp.send('HeapProfiler.collectGarbage');
			let peak = await heapNow();
			let sampling = true;
			const sampler = (async () => {
				while (sampling) {
					peak = Math.max(peak, await heapNow().catch(() => 0));
					await new Promise((resolve) => setTimeout(resolve, 25));
				}
			})();
			try {
				return { value: await run(), peak };
			} finally {
				sampling = false;
				await sampler;
			}
		};

		const loadBefore = loadavg()[0] ?? 0;
		// 1. Unpaced.
		const plain = rate(bytes, await plainFetchMs(page, urls(fast)));
		const bare = rate(bytes, await bareLoopMs(page, urls(fast)));
		models.resetConcurrency();
		// Not sampled: the heap samples are tasks on the page's main thread, which the bare loop
		// does not pay for (the heap is sampled during the capped download below instead).
		const managerRate = rate(bytes, await downloadMs(page, fast));
		const managerConnections = models.peakConcurrent;
		const md5Rate = rate(bytes, await md5Ms(page, md5Url, bytes));

		// 2. Each connection capped.
		models.setRate(CAP);
		const single = rate(bytes / 4, await plainFetchMs(page, urls(capped).slice(0, 4)));
		const bareCapped = rate(bytes, await bareLoopMs(page, urls(capped)));
		models.resetConcurrency();
		// Several connections hold the most shards at once: the heap's peak is sampled here.
		const manager = await sampled(() => downloadMs(page, capped));
		const managerCappedMs = manager.value;
		const managerCapped = rate(bytes, managerCappedMs);
		const cappedUse = connectionsUsed(models, managerCappedMs);

		// 3. Each connection capped lower: the link is the limit (or as much as the disk is).
		/** One connection's rate, then the manager's and its connections, at `cap` bytes/s. */
		const linkRun = async (/** @type {ServedModel} */ model, /** @type {number} */ cap) => {
			models.setRate(cap);
			const one = rate(SHARD_BYTES, await plainFetchMs(page, urls(model).slice(0, 1)));
			models.resetConcurrency();
			const ms = await downloadMs(page, model);
			models.setRate(null);
			return { cap, one, manager: rate(bytes, ms), use: connectionsUsed(models, ms) };
		};
		const link = await linkRun(linkBound, LINK_CAP);
		const farLink = await linkRun(far, Math.max(1, Math.floor(bare * FAR_SHARE)) * 1e6);

		// 4. Import from a folder.
		const imported = await sampled(async () => {
			const start = Date.now();
			await page.getByTestId('import-folder-input').setInputFiles(folder.dir);
			await page.getByTestId('import-done').waitFor({ timeout: 600_000 });
			return Date.now() - start;
		});
		const importRate = rate(folder.totalBytes, imported.value);

		const f = (/** @type {number} */ n) => n.toFixed(0);
		const unpacedAim = 0.9 * bare;
		const cappedAim = 0.9 * Math.min(cappedUse.sustained * (CAP / 1e6), bare);
		const aimOf = (/** @type {Awaited<ReturnType<typeof linkRun>>} */ run) =>
			0.9 * Math.min(run.use.sustained * (run.cap / 1e6), bare);
		/** A capped run's figures, named `downloads_${name}_…`. */
		const linkFigures = (
			/** @type {string} */ name,
			/** @type {Awaited<ReturnType<typeof linkRun>>} */ run
		) =>
			Object.fromEntries(
				Object.entries({
					cap_mb_per_s: run.cap / 1e6,
					single_connection_mb_per_s: run.one,
					manager_mb_per_s: run.manager,
					connections: run.use.sustained,
					mean_connections: run.use.mean,
					vs_aim: run.manager / aimOf(run),
					vs_single: run.manager / run.one
				}).map(([key, value]) => [`downloads_${name}_${key}`, value])
			);
		const md5Share = managerRate / md5Rate;
		// Other work on the machine moves every figure: say how busy it was (1-minute load average).
		console.log(
			`model: ${mb(bytes)} in ${SHARDS} shards of ${mb(SHARD_BYTES)}; machine load ${loadBefore.toFixed(1)} before, ${loadavg()[0]?.toFixed(1)} after`
		);
		console.log(
			`unpaced: plain fetch ${f(plain)} MB/s, bare loop ${f(bare)} MB/s, download manager ${f(managerRate)} MB/s (MD5 checked; ${managerConnections} connection(s) at most) = ${(managerRate / bare).toFixed(2)} of the bare loop (aim: 0.90 or more: ${verdict(managerRate >= unpacedAim)})`
		);
		const over = (/** @type {ReturnType<typeof connectionsUsed>} */ use) =>
			`over ${use.sustained} connections (${use.instant} at any instant; ${use.mean.toFixed(1)} in use on average)`;
		console.log(
			`capped at ${mb(CAP)}/s per connection: one connection ${f(single)} MB/s, bare loop ${f(bareCapped)} MB/s, download manager ${f(managerCapped)} MB/s ${over(cappedUse)} (aims: 0.9 x min(${cappedUse.sustained} x ${f(CAP / 1e6)}, ${f(bare)}) = ${f(cappedAim)} MB/s: ${verdict(managerCapped >= cappedAim)}; 2 x one connection = ${f(2 * single)} MB/s: ${verdict(managerCapped >= 2 * single)}${2 * single > bare ? `, above the bare loop's ${f(bare)}: the disk is the limit` : ''})`
		);
		for (const { run, what } of [
			{ run: link, what: `4 x ${f(link.cap / 1e6)} MB/s against a bare loop of ${f(bare)}` },
			{ run: farLink, what: `${FAR_SHARE * 100}% of the bare loop: the link alone the limit` }
		]) {
			const aim = aimOf(run);
			console.log(
				`capped at ${mb(run.cap)}/s per connection (${what}): one connection ${f(run.one)} MB/s, download manager ${f(run.manager)} MB/s ${over(run.use)} (aims: 0.9 x min(${run.use.sustained} x ${f(run.cap / 1e6)}, ${f(bare)}) = ${f(aim)} MB/s: ${verdict(run.manager >= aim)}; 2 x one connection = ${f(2 * run.one)} MB/s: ${verdict(run.manager >= 2 * run.one)})`
			);
		}
		if (process.env.BENCH_TIMELINE) {
			for (const { cap, use } of [{ cap: CAP, use: cappedUse }, link, farLink])
				console.log(`connections every 250 ms at ${mb(cap)}/s: ${use.timeline}`);
		}
		console.log(
			`MD5 in the page: ${f(md5Rate)} MB/s, so checking takes ${(md5Share * 100).toFixed(0)}% of the unpaced download's time (hashed while the bytes arrive, overlapping the network and the writes)`
		);
		console.log(
			`import from a folder: ${f(importRate)} MB/s (MD5 checked), peak heap ${mb(imported.peak)}; download peak heap ${mb(manager.peak)} (model ${mb(bytes)})`
		);
		for (const [key, value] of Object.entries({
			downloads_plain_fetch_mb_per_s: plain,
			downloads_bare_loop_mb_per_s: bare,
			downloads_manager_mb_per_s: managerRate,
			downloads_manager_vs_bare_loop: managerRate / bare,
			downloads_capped_single_connection_mb_per_s: single,
			downloads_capped_bare_loop_mb_per_s: bareCapped,
			downloads_capped_manager_mb_per_s: managerCapped,
			downloads_capped_connections: cappedUse.sustained,
			downloads_capped_mean_connections: cappedUse.mean,
			downloads_capped_vs_aim: managerCapped / cappedAim,
			downloads_capped_vs_single: managerCapped / single,
			...linkFigures('link', link),
			...linkFigures('far', farLink),
			downloads_md5_mb_per_s: md5Rate,
			downloads_md5_share: md5Share,
			import_mb_per_s: importRate,
			import_peak_heap_bytes: imported.peak,
			download_peak_heap_bytes: manager.peak
		})) {
			console.log(`${key}=${Number.isInteger(value) ? value : value.toFixed(3)}`);
		}
		for (const [what, peak] of [
			['download', manager.peak],
			['import', imported.peak]
		]) {
			if (Number(peak) > bytes / 2) {
				console.error(`FAIL: the page's heap reached ${mb(Number(peak))} during the ${what}`);
				ok = false;
			}
		}
	} finally {
		await context.close();
		await app.close();
		await models.close();
		rmSync(work, { recursive: true, force: true });
	}
	return ok;
}
