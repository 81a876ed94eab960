import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRepository } from '$lib/models/customModels';
import { ModelDownloader } from '$lib/models/downloader';
import type { OnlineSource } from '$lib/models/ModelLibrary.svelte';
import { createModelServices } from '$lib/models/services';
import { customModelProblemText } from '$lib/models/strings';
import type { StorageManagerLike } from '$lib/models/StorageQuota.svelte';
import { ArtifactStore } from '$lib/models/store';
import { connect } from '$lib/storage/db';
import { FakeServer, serveModel, type FixtureModel } from './fake-server';

/** navigator.onLine and its events, switched by the test. */
class FakeConnection implements OnlineSource {
	navigator = { onLine: true };
	#listeners = new Set<() => void>();
	addEventListener(_type: string, listener: () => void) {
		this.#listeners.add(listener);
	}
	removeEventListener(_type: string, listener: () => void) {
		this.#listeners.delete(listener);
	}
	set(online: boolean) {
		this.navigator.onLine = online;
		for (const l of this.#listeners) l();
	}
}

async function until(condition: () => boolean, what: string) {
	for (let i = 0; i < 200; i++) {
		if (condition()) return;
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	throw new Error(`timed out waiting for ${what}`);
}

let server: FakeServer;
let store: ArtifactStore;
let connection: FakeConnection;
let catalogModel: FixtureModel;
let n = 0;
let stop: (() => void) | null = null;

function makeLibrary(
	options: {
		storage?: StorageManagerLike;
		now?: () => number;
		db?: string;
		repository?: ModelRepository;
	} = {}
) {
	const { services, start } = createModelServices({
		catalog: [catalogModel.record],
		downloader: new ModelDownloader({
			fetch: server.fetch,
			store,
			estimate: async () => ({ quota: 10e9, usage: 0 }),
			progressIntervalMs: 0
		}),
		repository: options.repository ?? new ModelRepository(connect(options.db ?? `library-${++n}`)),
		fetch: server.fetch,
		storage: () => options.storage ?? { estimate: async () => ({ quota: 1e9, usage: 5 }) },
		online: () => connection,
		now: options.now
	});
	stop = start();
	return services;
}

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	server = new FakeServer();
	store = new ArtifactStore();
	connection = new FakeConnection();
	catalogModel = serveModel(server, 'listed');
});

afterEach(() => {
	stop?.();
	store.close();
});

describe('ModelLibrary, Downloads and StorageQuota', () => {
	it('downloads through its queue, then knows the model is complete and ready offline', async () => {
		const { library, downloads, quota } = makeLibrary();
		await library.ready;
		await quota.ready;
		const id = catalogModel.record.model_id;
		expect(library.statusOf(id).state).toBe('absent');
		expect(library.sizeOf(id).exact).toBe(false);
		expect(quota.storage).toEqual({ usage: 5, quota: 1e9 });
		expect(quota.freeBytes).toBe(1e9 - 5);

		downloads.download(id);
		await until(() => library.statusOf(id).readyOffline, 'the download');
		expect(downloads.entryOf(id)?.state).toBe('done');
		expect(library.readyOfflineCount).toBe(1);
		expect(library.sizeOf(id)).toEqual({ bytes: catalogModel.totalBytes, exact: true });
		expect(library.stored.map((s) => s.record.model_id)).toEqual([id]);

		await library.remove(id);
		expect(library.statusOf(id).state).toBe('absent');
		expect(library.readyOfflineCount).toBe(0);
		expect(await store.keysWithPrefix('webllm/model', '')).toEqual([]);
		// Its finished download no longer shows as "Downloaded".
		expect(downloads.entryOf(id)).toBeUndefined();
		expect(downloads.queue).toEqual([]);
	});

	it('offline, says that a model which is not stored cannot load', async () => {
		const { library, downloads } = makeLibrary();
		await library.ready;
		const id = catalogModel.record.model_id;
		expect(library.loadProblem(id)).toBeNull();
		connection.set(false);
		expect(library.online).toBe(false);
		expect(library.loadProblem(id)).toContain('You are offline');

		downloads.download(id);
		await until(() => library.statusOf(id).readyOffline, 'the download');
		expect(library.loadProblem(id)).toBeNull();
		connection.set(true);
		expect(library.online).toBe(true);
	});

	it('checks custom models, keeps them with their size, refuses duplicates, forgets them', async () => {
		const { library } = makeLibrary({ db: 'custom' });
		await library.ready;
		const mine = serveModel(server, 'mine', { shardSizes: [100, 200] });
		const input = { baseUrl: mine.record.model, libraryUrl: mine.libraryUrl };

		server.fail(mine.configUrl, { kind: 'status', status: 404 });
		const missing = await library.addCustom(input);
		if (missing.ok) throw new Error('a model without its config was added');
		expect(missing.problem).toMatchObject({ kind: 'check', error: { code: 'http-status' } });
		expect(customModelProblemText(missing.problem)).toContain('HTTP 404');

		const added = await library.addCustom(input);
		expect(added).toEqual({ ok: true, modelId: 'mine', bytes: mine.totalBytes });
		expect(library.isCustom('mine')).toBe(true);
		expect(library.sizeOf('mine')).toEqual({ bytes: mine.totalBytes, exact: true });
		const twice = await library.addCustom(input);
		if (twice.ok) throw new Error('a duplicate was added');
		expect(twice.problem).toEqual({ kind: 'duplicate', modelId: 'mine' });
		expect(customModelProblemText(twice.problem)).toContain('already exists');

		// Kept in IndexedDB: a new instance (a reload) knows it and its size.
		stop?.();
		const { library: again } = makeLibrary({ db: 'custom' });
		await again.ready;
		expect(again.records.map((r) => r.model_id)).toContain('mine');
		expect(again.sizeOf('mine').exact).toBe(true);

		await again.removeCustom('mine');
		expect(again.records.map((r) => r.model_id)).not.toContain('mine');
	});

	it('says in words, not raw text, when a checked custom model cannot be kept (a full disk)', async () => {
		const repository = new ModelRepository(connect(`library-${++n}`));
		repository.saveCustomModel = () =>
			Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
		const { library } = makeLibrary({ repository });
		await library.ready;
		const mine = serveModel(server, 'mine');
		const result = await library.addCustom({
			baseUrl: mine.record.model,
			libraryUrl: mine.libraryUrl
		});
		if (result.ok) throw new Error('added although it could not be saved');
		expect(result.problem).toMatchObject({ kind: 'storage', error: { code: 'quota-exceeded' } });
		const words = customModelProblemText(result.problem);
		expect(words).toContain('no room left');
		expect(words).not.toContain('QuotaExceededError');
		expect(library.isCustom('mine')).toBe(false);
	});

	it('remembers when a model was last used', async () => {
		const { library } = makeLibrary({ db: 'used', now: () => 1234 });
		await library.ready;
		const id = catalogModel.record.model_id;
		expect(library.lastUsedOf(id)).toBeNull();
		await library.markUsed(id);
		expect(library.lastUsedOf(id)).toBe(1234);
		stop?.();
		const { library: again } = makeLibrary({ db: 'used' });
		await again.ready;
		expect(again.lastUsedOf(id)).toBe(1234);
	});

	it('"keep my models" shows what the browser answered', async () => {
		for (const [answer, state] of [
			[true, 'persisted'],
			[false, 'not-persisted']
		] as const) {
			const { quota } = makeLibrary({
				storage: { persisted: async () => false, persist: async () => answer }
			});
			await quota.ready;
			expect(quota.persist).toBe('unknown');
			await quota.keepModels();
			expect(quota.persist).toBe(state);
			stop?.();
		}
		const { quota: none } = makeLibrary({ storage: {} });
		await none.ready;
		expect(none.persist).toBe('unsupported');
	});
});
