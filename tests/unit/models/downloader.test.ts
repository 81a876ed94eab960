import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { deleteModelAllInfoInCache, hasModelInCache } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_DBS, type ArtifactRecord, type CacheDb } from '$lib/models/artifacts';
import {
	ModelDownloader,
	QUOTA_HEADROOM_BYTES,
	sleepUnlessAborted,
	type DownloadProgress
} from '$lib/models/downloader';
import { DownloadError } from '$lib/models/errors';
import { FixedConnections } from '$lib/models/parallel';
import type { ShardWriter } from '$lib/models/shardStore';
import { ArtifactStore } from '$lib/models/store';
import { FakeServer, serveModel } from './fake-server';

let server: FakeServer;
let store: ArtifactStore;

beforeEach(() => {
	// A fresh, empty IndexedDB for every test.
	globalThis.indexedDB = new IDBFactory();
	server = new FakeServer();
	store = new ArtifactStore();
});

afterEach(() => store.close());

/** The waits before automatic retries, in order (no real time passes). */
let slept: number[] = [];

function downloader(
	options: {
		quota?: number;
		usage?: number;
		now?: () => number;
		sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
		connections?: number;
		writer?: ShardWriter;
	} = {}
) {
	slept = [];
	return new ModelDownloader({
		fetch: server.fetch,
		store,
		estimate: async () => ({ quota: options.quota ?? 10e9, usage: options.usage ?? 0 }),
		now: options.now,
		progressIntervalMs: 0,
		retryDelaysMs: [100, 300],
		// One connection unless a test asks for more: the adaptive policy depends on timing.
		connections: () => new FixedConnections(options.connections ?? 1),
		writer: options.writer,
		sleep:
			options.sleep ??
			(async (ms) => {
				slept.push(ms);
			})
	});
}

function webllmConfig(record: ArtifactRecord) {
	return { model_list: [record], cacheBackend: 'indexeddb' as const };
}

async function allKeys(): Promise<string[]> {
	const keys: string[] = [];
	for (const db of CACHE_DBS) {
		for (const url of await store.keysWithPrefix(db, '')) keys.push(`${db} ${url}`);
	}
	return keys;
}

async function rejection(promise: Promise<unknown>): Promise<DownloadError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DownloadError) return error;
		throw error;
	}
	throw new Error('expected a DownloadError');
}

describe('download', () => {
	it('stores every file under the key and in the form WebLLM reads', async () => {
		const m = serveModel(server, 'tiny');
		const result = await downloader().download(m.record);
		expect(result.totalBytes).toBe(m.totalBytes);
		expect(result.fetchedFiles).toBe(7);

		expect((await allKeys()).sort()).toEqual(
			[
				`webllm/config ${m.configUrl}`,
				`webllm/wasm ${m.libraryUrl}`,
				`webllm/model ${m.tokenizerUrl}`,
				`webllm/model ${m.tensorCacheUrl}`,
				...m.shardUrls.map((u) => `webllm/model ${u}`)
			].sort()
		);
		// The config and tokenizer as bytes, tensor-cache.json parsed.
		expect(await store.get('webllm/config', m.configUrl)).toBeInstanceOf(ArrayBuffer);
		expect(await store.get('webllm/model', m.tokenizerUrl)).toBeInstanceOf(ArrayBuffer);
		expect(await store.get('webllm/model', m.tensorCacheUrl)).toMatchObject({
			records: [{ dataPath: 'params_shard_0.bin', nbytes: 1000 }, {}, {}]
		});
		const shard = await store.get('webllm/model', m.shardUrls[1] ?? '');
		expect(shard).toBeInstanceOf(ArrayBuffer);
		expect((shard as ArrayBuffer).byteLength).toBe(2000);
	});

	it('leaves the model where WebLLM itself finds it, with no network request', async () => {
		const m = serveModel(server, 'tiny');
		const appConfig = { model_list: [m.record], cacheBackend: 'indexeddb' as const };
		const realFetch = globalThis.fetch;
		globalThis.fetch = () => Promise.reject(new Error('WebLLM must not fetch'));
		try {
			expect(await hasModelInCache(m.record.model_id, appConfig)).toBe(false);
			await downloader().download(m.record);
			expect(await hasModelInCache(m.record.model_id, appConfig)).toBe(true);
		} finally {
			globalThis.fetch = realFetch;
		}
	});

	it('hands shards to the shard writer (a worker in the app), which stores them where WebLLM finds them', async () => {
		const m = serveModel(server, 'tiny');
		// Its own connection to the same databases, as shardStore.worker.ts has.
		const own = new ArtifactStore();
		const written: string[] = [];
		const prepared: string[] = [];
		const writer: ShardWriter = {
			put: async (db, url, body) => {
				written.push(url);
				await own.put(db, url, body);
			},
			prepare: (db) => void prepared.push(db)
		};
		try {
			await downloader({ writer }).download(m.record);
		} finally {
			own.close();
		}
		expect(written).toEqual(m.shardUrls);
		// Told once, before the first shard, to get ready for WebLLM's model database.
		expect(prepared).toEqual(['webllm/model']);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('fetches the small files a few at once, and the first shard while they are stored, never storing a shard before them', async () => {
		const m = serveModel(server, 'tiny');
		const small = [m.configUrl, m.tensorCacheUrl, m.libraryUrl, m.tokenizerUrl];
		const serve = server.fetch;
		let inFlight = 0;
		let mostSmallAtOnce = 0;
		const events: string[] = [];
		// Each answer comes a little later, as over a network: what is asked for meanwhile is
		// asked for at once.
		const fetchSlowly: typeof server.fetch = async (url, init) => {
			const isSmall = small.includes(url);
			if (isSmall) mostSmallAtOnce = Math.max(mostSmallAtOnce, ++inFlight);
			if (url === m.shardUrls[0]) events.push('first shard asked for');
			await new Promise((resolve) => setTimeout(resolve, 5));
			if (isSmall) inFlight--;
			return serve(url, init);
		};
		// Small files are written slowly, so that a shard could overtake them.
		class SlowStore extends ArtifactStore {
			override async put(db: CacheDb, url: string, data: unknown): Promise<void> {
				await new Promise((resolve) => setTimeout(resolve, 20));
				await super.put(db, url, data);
				if (url === m.tensorCacheUrl) events.push('small files stored');
			}
		}
		const slow = new SlowStore();
		const writer: ShardWriter = {
			put: async (db, url, body) => {
				events.push(`shard stored`);
				await slow.put(db, url, body);
			},
			prepare: () => undefined
		};
		try {
			await new ModelDownloader({
				fetch: fetchSlowly,
				store: slow,
				writer,
				estimate: async () => ({ quota: 10e9, usage: 0 }),
				connections: () => new FixedConnections(1)
			}).download(m.record);
			expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
		} finally {
			slow.close();
		}
		// The config and tensor-cache.json together, then the library and the tokenizer.
		expect(mostSmallAtOnce).toBe(2);
		// The first shard was on its way before the small files were stored, and stored after.
		expect(events.slice(0, 3)).toEqual([
			'first shard asked for',
			'small files stored',
			'shard stored'
		]);
	});

	it('a shard write that fails in the writer (a full disk) stops the download with a quota error, keeping what was stored', async () => {
		const m = serveModel(server, 'tiny');
		let puts = 0;
		const writer: ShardWriter = {
			put: async (db, url, body) => {
				if (++puts > 1) throw new DownloadError('quota', 'QuotaExceededError', url);
				await store.put(db, url, body);
			},
			prepare: () => undefined
		};
		const failure = await rejection(downloader({ writer }).download(m.record));
		expect(failure.code).toBe('quota');
		expect(await store.has('webllm/model', m.shardUrls[0] ?? '')).toBe(true);
		expect(await store.has('webllm/model', m.shardUrls[1] ?? '')).toBe(false);
	});

	it('reports progress in bytes, up to the exact total, with speed and time left', async () => {
		const m = serveModel(server, 'tiny');
		let clock = 0;
		const reports: DownloadProgress[] = [];
		const d = downloader({ now: () => (clock += 100) });
		await d.download(m.record, { onProgress: (p) => reports.push(p) });
		const downloading = reports.filter((r) => r.phase === 'downloading');
		expect(downloading.length).toBeGreaterThan(3);
		for (const [i, r] of downloading.entries()) {
			expect(r.totalBytes).toBe(m.totalBytes);
			expect(r.doneBytes).toBeGreaterThanOrEqual(downloading[i - 1]?.doneBytes ?? 0);
		}
		const last = reports.at(-1);
		expect(last).toMatchObject({
			phase: 'done',
			doneBytes: m.totalBytes,
			filesDone: 7,
			filesTotal: 7
		});
		expect(last?.etaSeconds).toBe(0);
		expect(downloading.some((r) => (r.bytesPerSecond ?? 0) > 0 && r.etaSeconds !== null)).toBe(
			true
		);
	});

	it('resumes after a failure, fetching only what is missing', async () => {
		const m = serveModel(server, 'tiny');
		const [s0 = '', s1 = '', s2 = ''] = m.shardUrls;
		server.fail(s1, { kind: 'network' });
		const d = downloader();
		expect((await rejection(d.download(m.record))).code).toBe('network');
		expect((await d.modelStatus(m.record)).state).toBe('partial');

		server.calls = [];
		const result = await d.download(m.record);
		expect(server.calls).toEqual([s1, s2]);
		expect(result.fetchedFiles).toBe(2);
		expect(server.count(s0)).toBe(0);
		expect((await d.modelStatus(m.record)).readyOffline).toBe(true);
	});

	it('replaces a stale tensor-cache.json whose shards are all gone', async () => {
		const m = serveModel(server, 'tiny');
		// Left behind by WebLLM's own delete of an older revision with other shards.
		await store.put('webllm/model', m.tensorCacheUrl, {
			records: [{ dataPath: 'old_shard.bin', format: 'raw-shard', nbytes: 7, records: [] }]
		});
		await downloader().download(m.record);
		expect(server.count(m.tensorCacheUrl)).toBe(1);
		expect(server.count(`${m.base}old_shard.bin`)).toBe(0);
		expect((await downloader().modelStatus(m.record)).readyOffline).toBe(true);
	});

	it('fetches nothing when the model is already stored', async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		await d.download(m.record);
		server.calls = [];
		const result = await d.download(m.record);
		expect(server.calls).toEqual([]);
		expect(result).toMatchObject({ fetchedFiles: 0, totalBytes: m.totalBytes });
	});

	it('refuses an HTML answer for a shard and stores nothing in its place', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[0] ?? '';
		server.fail(url, { kind: 'html' });
		const error = await rejection(downloader().download(m.record));
		expect(error.code).toBe('not-a-model-file');
		expect(error.url).toBe(url);
		expect(await store.has('webllm/model', url)).toBe(false);
	});

	it('refuses a captive portal page for the config before storing anything', async () => {
		const m = serveModel(server, 'tiny');
		server.fail(m.configUrl, { kind: 'html' });
		expect((await rejection(downloader().download(m.record))).code).toBe('not-a-model-file');
		expect(await allKeys()).toEqual([]);
	});

	it('refuses a config that is not JSON even when it is not labelled HTML', async () => {
		const m = serveModel(server, 'tiny');
		server.set(m.configUrl, {
			body: '<html>portal</html>',
			headers: { 'content-type': 'text/plain' }
		});
		expect((await rejection(downloader().download(m.record))).code).toBe('not-a-model-file');
		expect(await allKeys()).toEqual([]);
	});

	it('refuses a library that is not WebAssembly', async () => {
		const m = serveModel(server, 'tiny');
		server.set(m.libraryUrl, {
			body: 'Rate limit exceeded',
			headers: { 'content-type': 'text/plain' }
		});
		expect((await rejection(downloader().download(m.record))).code).toBe('not-a-model-file');
		expect(await allKeys()).toEqual([]);
	});

	it('refuses a truncated shard and a too-long one', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[1] ?? '';
		server.fail(url, { kind: 'truncate', bytes: 1 });
		const short = await rejection(downloader().download(m.record));
		expect(short.code).toBe('size-mismatch');
		expect(short.facts).toEqual({ expected: 2000, received: 1999 });
		expect(await store.has('webllm/model', url)).toBe(false);

		server.fail(url, { kind: 'extend', bytes: 10 });
		expect((await rejection(downloader().download(m.record))).code).toBe('size-mismatch');
		expect(await store.has('webllm/model', url)).toBe(false);
	});

	it('refuses a shard of the right size whose MD5 differs, names it, and stores nothing in its place', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[1] ?? '';
		server.fail(url, { kind: 'corrupt', at: 1234 });
		const error = await rejection(downloader().download(m.record));
		expect([error.code, error.url]).toEqual(['checksum-mismatch', url]);
		expect(error.facts.expected).toMatch(/^[0-9a-f]{32}$/);
		expect(error.facts.received).not.toBe(error.facts.expected);
		expect(await store.has('webllm/model', url)).toBe(false);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(false);
		// Resume fetches it again, and only it.
		server.calls = [];
		await downloader().download(m.record);
		expect(server.calls).toEqual([url, m.shardUrls[2]]);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('over several connections, a server error retries that shard alone while the others go on', async () => {
		const m = serveModel(server, 'many', { shardSizes: [1000, 1000, 1000, 1000, 1000, 1000] });
		const url = m.shardUrls[1] ?? '';
		server.fail(url, { kind: 'status', status: 503 });
		const progress: DownloadProgress[] = [];
		await downloader({ connections: 3 }).download(m.record, {
			onProgress: (p) => progress.push(p)
		});
		expect(m.shardUrls.map((u) => server.count(u))).toEqual([1, 2, 1, 1, 1, 1]);
		expect(slept).toEqual([100]);
		expect(progress.at(-1)).toMatchObject({ doneBytes: m.totalBytes, filesDone: 10 });
		expect(progress.every((p) => p.doneBytes <= m.totalBytes)).toBe(true);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('over several connections, a 404 stops the run; shards that arrived whole are kept', async () => {
		const m = serveModel(server, 'many', { shardSizes: [1000, 1000, 1000, 1000, 1000, 1000] });
		const url = m.shardUrls[2] ?? '';
		server.fail(url, { kind: 'status', status: 404 });
		const error = await rejection(downloader({ connections: 3 }).download(m.record));
		expect([error.code, error.url]).toEqual(['not-found', url]);
		expect(server.count(url)).toBe(1);
		expect(await store.has('webllm/model', url)).toBe(false);
		server.calls = [];
		await downloader({ connections: 3 }).download(m.record);
		// Only shards not stored before were fetched again.
		for (const u of m.shardUrls) {
			if (server.count(u) > 0) expect(server.calls.filter((c) => c === u)).toHaveLength(1);
		}
		expect(server.count(url)).toBe(1);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('refuses a shard whose Content-Length disagrees, before reading its body', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[0] ?? '';
		server.set(url, { body: new Uint8Array(1000), headers: { 'content-length': '999' } });
		expect((await rejection(downloader().download(m.record))).code).toBe('size-mismatch');
	});

	it('reports a file the server does not have (404) at once, without retrying it', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[1] ?? '';
		server.fail(url, { kind: 'status', status: 404 });
		const error = await rejection(downloader().download(m.record));
		expect([error.code, error.facts.status, error.url]).toEqual(['not-found', 404, url]);
		expect(server.count(url)).toBe(1);
		expect(slept).toEqual([]);
		// The shard before it is kept; the missing one is not stored in any form.
		expect(await store.has('webllm/model', m.shardUrls[0] ?? '')).toBe(true);
		expect(await store.has('webllm/model', url)).toBe(false);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(false);

		await downloader().download(m.record);
		expect(m.shardUrls.map((u) => server.count(u))).toEqual([1, 2, 1]);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('retries a server error twice, waiting longer each time, then reports it', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[2] ?? '';
		for (let i = 0; i < 3; i++) server.fail(url, { kind: 'status', status: 500 });
		const error = await rejection(downloader().download(m.record));
		expect([error.code, error.facts.status, error.url]).toEqual(['server-error', 500, url]);
		expect(server.count(url)).toBe(3);
		expect(slept).toEqual([100, 300]);
		expect(await store.has('webllm/model', m.shardUrls[1] ?? '')).toBe(true);
		expect(await store.has('webllm/model', url)).toBe(false);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(false);
	});

	it('gets past a passing server error (503) by itself, fetching that file again only', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[0] ?? '';
		server.fail(url, { kind: 'status', status: 503 });
		const progress: DownloadProgress[] = [];
		await downloader().download(m.record, { onProgress: (p) => progress.push(p) });
		expect(slept).toEqual([100]);
		expect(m.shardUrls.map((u) => server.count(u))).toEqual([2, 1, 1]);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
		// The failed attempt counted no bytes: progress never runs past the total.
		expect(progress.every((p) => p.doneBytes <= m.totalBytes)).toBe(true);
		expect(progress.at(-1)?.doneBytes).toBe(m.totalBytes);
	});

	it('waits as long as a busy server asks (Retry-After) before fetching that file again', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[0] ?? '';
		server.fail(url, { kind: 'status', status: 503, headers: { 'retry-after': '7' } });
		await downloader().download(m.record);
		expect(slept).toEqual([7_000]);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('stops waiting to retry when the download is cancelled', async () => {
		const m = serveModel(server, 'tiny');
		const url = m.shardUrls[0] ?? '';
		server.fail(url, { kind: 'status', status: 502 });
		const controller = new AbortController();
		const d = downloader({
			// The user cancels during the first wait; the real timer-based sleep must give up.
			sleep: (ms, signal) => {
				const wait = sleepUnlessAborted(ms, signal);
				controller.abort();
				return wait;
			}
		});
		const error = await rejection(d.download(m.record, { signal: controller.signal }));
		expect(error.code).toBe('aborted');
		expect(server.count(url)).toBe(1);
	});

	it('refuses to start when the quota cannot hold the model, leaving nothing stored', async () => {
		const m = serveModel(server, 'tiny');
		const quota = m.totalBytes + QUOTA_HEADROOM_BYTES - 1;
		const error = await rejection(downloader({ quota }).download(m.record));
		expect(error.code).toBe('quota');
		expect(error.facts.needed).toBe(m.totalBytes);
		expect(await allKeys()).toEqual([]);
		// No shard was fetched either: only the small files needed to know the size.
		expect(m.shardUrls.length).toBeGreaterThan(0);
		for (const url of m.shardUrls) expect(server.count(url)).toBe(0);
	});

	it('counts only the missing bytes against the quota when resuming', async () => {
		const m = serveModel(server, 'tiny');
		server.fail(m.shardUrls[2] ?? '', { kind: 'network' });
		await rejection(downloader().download(m.record));
		const quota = 500 + QUOTA_HEADROOM_BYTES;
		const result = await downloader({ quota }).download(m.record);
		// Only the shard that failed was fetched, and the model is whole.
		expect(result).toMatchObject({ fetchedFiles: 1, fetchedBytes: 500, totalBytes: m.totalBytes });
		expect(m.shardUrls.map((u) => server.count(u))).toEqual([1, 1, 2]);
		expect(await hasModelInCache(m.record.model_id, webllmConfig(m.record))).toBe(true);
	});

	it('stops when cancelled, keeping finished shards for later', async () => {
		const m = serveModel(server, 'tiny');
		const controller = new AbortController();
		server.fail(m.shardUrls[1] ?? '', { kind: 'abort', controller });
		const d = downloader();
		const error = await rejection(d.download(m.record, { signal: controller.signal }));
		expect(error.code).toBe('aborted');
		expect(await store.has('webllm/model', m.shardUrls[0] ?? '')).toBe(true);
		expect(await store.has('webllm/model', m.shardUrls[1] ?? '')).toBe(false);
		expect(server.count(m.shardUrls[2] ?? '')).toBe(0);
	});

	it('does not start when the signal is already aborted', async () => {
		const m = serveModel(server, 'tiny');
		const error = await rejection(downloader().download(m.record, { signal: AbortSignal.abort() }));
		expect(error.code).toBe('aborted');
		expect(server.calls).toEqual([]);
	});

	it('does not fetch or store a library WebLLM never caches (localhost)', async () => {
		const m = serveModel(server, 'tiny', { library: 'http://localhost:5173/tiny.wasm' });
		await downloader().download(m.record);
		expect(server.count(m.libraryUrl)).toBe(0);
		const status = await downloader().modelStatus(m.record);
		expect(status.state).toBe('complete');
		expect(status.readyOffline).toBe(false);
	});
});

describe('modelStatus', () => {
	it('is absent, then partial, then ready offline', async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		expect(await d.modelStatus(m.record)).toMatchObject({
			state: 'absent',
			readyOffline: false,
			storedBytes: 0,
			totalBytes: null
		});
		server.fail(m.shardUrls[2] ?? '', { kind: 'network' });
		await rejection(d.download(m.record));
		const partial = await d.modelStatus(m.record);
		expect(partial).toMatchObject({
			state: 'partial',
			readyOffline: false,
			totalBytes: m.totalBytes
		});
		expect(partial.storedBytes).toBe(m.totalBytes - 500);
		expect(partial.artifacts.filter((a) => !a.stored).map((a) => a.artifact.url)).toEqual([
			m.shardUrls[2]
		]);
		await d.download(m.record);
		expect(await d.modelStatus(m.record)).toMatchObject({
			state: 'complete',
			readyOffline: true,
			storedBytes: m.totalBytes
		});
	});

	it('is not ready offline without the tokenizer, the config or the library', async () => {
		for (const missing of ['tokenizer', 'config', 'library'] as const) {
			globalThis.indexedDB = new IDBFactory();
			store = new ArtifactStore();
			const m = serveModel(server, 'tiny');
			const d = downloader();
			await d.download(m.record);
			const target = {
				tokenizer: ['webllm/model', m.tokenizerUrl],
				config: ['webllm/config', m.configUrl],
				library: ['webllm/wasm', m.libraryUrl]
			} as const;
			await store.delete(target[missing][0], target[missing][1]);
			const status = await d.modelStatus(m.record);
			expect(status.readyOffline, missing).toBe(false);
			expect(status.state, missing).toBe('partial');
		}
	});
});

describe('repair', () => {
	it('finds and replaces a shard of the wrong size that someone else stored', async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		await d.download(m.record);
		const bad = m.shardUrls[1] ?? '';
		// What WebLLM stores when a proxy cut the response short.
		await store.put('webllm/model', bad, new ArrayBuffer(10));
		expect((await d.modelStatus(m.record)).readyOffline).toBe(true); // keys only: looks fine
		const verified = await d.modelStatus(m.record, { verify: true });
		expect(verified.readyOffline).toBe(false);
		expect(verified.artifacts.find((a) => a.artifact.url === bad)?.sizeOk).toBe(false);

		server.calls = [];
		await d.repair(m.record);
		expect(server.calls).toEqual([bad]);
		expect((await d.modelStatus(m.record, { verify: true })).readyOffline).toBe(true);
	});

	it('finds and replaces a shard of the right size but the wrong MD5', async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		await d.download(m.record);
		const url = m.shardUrls[2] ?? '';
		const damaged = new Uint8Array(500);
		damaged.fill(7);
		await store.put('webllm/model', url, damaged.buffer);
		server.calls = [];
		// A plain download trusts stored shards; Repair reads and checks each one.
		await d.download(m.record);
		expect(server.calls).toEqual([]);
		await d.repair(m.record);
		expect(server.calls).toEqual([url]);
		const repaired = (await store.get('webllm/model', url)) as ArrayBuffer;
		expect(new Uint8Array(repaired)).not.toEqual(damaged);
	});

	it('refetches a config that does not decode', async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		await d.download(m.record);
		await store.put('webllm/config', m.configUrl, { not: 'bytes' });
		server.calls = [];
		await d.repair(m.record);
		expect(server.calls).toEqual([m.configUrl]);
		expect(await store.get('webllm/config', m.configUrl)).toBeInstanceOf(ArrayBuffer);
	});
});

describe('deleteModel', () => {
	it('removes every file, tensor-cache.json included, and keeps a library another model uses', async () => {
		const lib = 'https://libs.test/shared-webgpu.wasm';
		const a = serveModel(server, 'model-a', { library: lib });
		const b = serveModel(server, 'model-b', { library: lib });
		const d = downloader();
		await d.download(a.record);
		await d.download(b.record);
		const all = [a.record, b.record];

		const first = await d.deleteModel(a.record, all);
		expect(first.keptLibrary).toBe(lib);
		expect(first.removed).toContain(`webllm/model ${a.tensorCacheUrl}`);
		expect(await allKeys()).not.toContainEqual(expect.stringContaining('model-a'));
		expect(await store.has('webllm/wasm', lib)).toBe(true);
		expect((await d.modelStatus(b.record)).readyOffline).toBe(true);
		expect((await d.modelStatus(a.record)).state).toBe('absent');

		const second = await d.deleteModel(b.record, all);
		expect(second.keptLibrary).toBeNull();
		expect(await allKeys()).toEqual([]);
	});

	it('removes stray shards even when tensor-cache.json is gone, but not a nested model', async () => {
		const m = serveModel(server, 'tiny');
		const nested = serveModel(server, 'nested', { model: `${m.base}sub` });
		const d = downloader();
		await d.download(m.record);
		await d.download(nested.record);
		await store.delete('webllm/model', m.tensorCacheUrl);
		await d.deleteModel(m.record, [m.record, nested.record]);
		expect(m.shardUrls.length).toBeGreaterThan(0);
		for (const url of m.shardUrls) expect(await store.has('webllm/model', url)).toBe(false);
		expect((await d.modelStatus(nested.record)).readyOffline).toBe(true);
	});

	it("cleans up what WebLLM's own delete leaves behind (tensor-cache.json)", async () => {
		const m = serveModel(server, 'tiny');
		const d = downloader();
		await d.download(m.record);
		const appConfig = { model_list: [m.record], cacheBackend: 'indexeddb' as const };
		await deleteModelAllInfoInCache(m.record.model_id, appConfig);
		expect(await allKeys()).toEqual([`webllm/model ${m.tensorCacheUrl}`]);
		expect((await d.modelStatus(m.record)).state).toBe('partial');
		await d.deleteModel(m.record, [m.record]);
		expect(await allKeys()).toEqual([]);
	});

	it('names the variants that share the same files (the "-1k" builds)', async () => {
		const m = serveModel(server, 'tiny');
		const variant = { ...m.record, model_id: `${m.record.model_id}-1k` };
		const d = downloader();
		await d.download(m.record);
		const result = await d.deleteModel(m.record, [m.record, variant]);
		expect(result.alsoRemoved).toEqual([variant.model_id]);
		expect((await d.modelStatus(variant)).state).toBe('absent');
	});
});
