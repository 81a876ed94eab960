import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { hasModelInCache } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_DBS, type ArtifactRecord } from '$lib/models/artifacts';
import { ModelDownloader } from '$lib/models/downloader';
import { blobWriter, exportModel, exportFolderName, tarSink } from '$lib/models/export';
import { IMPORTED_ORIGIN } from '$lib/models/imported';
import { checkFolder, identifyFolder, storeImport } from '$lib/models/import';
import { archiveFiles, modelFolder, type PickedFile } from '$lib/models/modelFiles';
import { storedTensorCache } from '$lib/models/inventory';
import { ArtifactStore } from '$lib/models/store';
import { ImportError } from '$lib/models/transferErrors';
import { bytes, FakeServer, serveModel, type FixtureModel } from './fake-server';

let server: FakeServer;
let store: ArtifactStore;

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	server = new FakeServer();
	store = new ArtifactStore();
});
afterEach(() => store.close());

async function allKeys(): Promise<string[]> {
	const keys: string[] = [];
	for (const db of CACHE_DBS) {
		for (const url of await store.keysWithPrefix(db, '')) keys.push(`${db} ${url}`);
	}
	return keys;
}

/** The model's files as a folder picked from disk: `<name>/<file>`, plus the library. */
function folderOf(
	m: FixtureModel,
	name: string,
	change: (files: Map<string, Blob>) => void = () => {}
) {
	const files = new Map<string, Blob>();
	for (const [url, route] of server.routes) {
		if (!url.startsWith(m.base)) continue;
		files.set(url.slice(m.base.length), new Blob([route.body as BlobPart]));
	}
	const lib = server.routes.get(m.libraryUrl);
	files.set('model.wasm', new Blob([lib?.body as BlobPart]));
	change(files);
	return [...files].map(([file, blob]): PickedFile => ({ path: `${name}/${file}`, file: blob }));
}

const context = (catalog: ArtifactRecord[] = [], custom: ArtifactRecord[] = []) => ({
	catalog,
	custom,
	storedCache: (record: ArtifactRecord) => storedTensorCache(store, record)
});

async function importPicked(picked: PickedFile[], catalog: ArtifactRecord[] = []) {
	const checked = await checkFolder(await modelFolder(picked));
	const identity = await identifyFolder(checked, context(catalog));
	await storeImport(checked, identity.record, {
		store,
		estimate: async () => ({ quota: 10e9, usage: 0 })
	});
	return identity;
}

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ImportError) return error;
		throw error;
	}
	throw new Error('expected an ImportError');
}

const webllm = (record: ArtifactRecord) =>
	hasModelInCache(record.model_id, { model_list: [record], cacheBackend: 'indexeddb' });

describe('import from a folder', () => {
	it('stores a folder from elsewhere as a custom model at a made-up address that WebLLM finds', async () => {
		const m = serveModel(server, 'tiny');
		const identity = await importPicked(folderOf(m, 'Tiny-q4f32_1-MLC'));
		expect(identity.custom).toBe(true);
		expect(identity.record.model_id).toBe('Tiny-q4f32_1-MLC');
		expect(identity.record.model.startsWith(IMPORTED_ORIGIN)).toBe(true);
		expect(await webllm(identity.record)).toBe(true);
		const status = await new ModelDownloader({ store }).modelStatus(identity.record, {
			verify: true
		});
		expect(status.readyOffline).toBe(true);
		// The same files again: the same address.
		const again = await identifyFolder(
			await checkFolder(await modelFolder(folderOf(m, 'Tiny-q4f32_1-MLC'))),
			context([], [identity.record])
		);
		expect(again).toMatchObject({ existing: true, record: identity.record });
	});

	it('stores the files of a catalog model under that model, so it is simply downloaded', async () => {
		const m = serveModel(server, 'tiny');
		const catalogRecord = {
			...m.record,
			model_lib: 'https://raw.githubusercontent.com/x/model.wasm'
		};
		const identity = await importPicked(folderOf(m, 'tiny'), [catalogRecord]);
		expect(identity).toMatchObject({ custom: false, record: catalogRecord });
		expect(await webllm(catalogRecord)).toBe(true);
	});

	it('does not mix revisions: with another tensor-cache.json stored for that model, it becomes a custom one', async () => {
		const m = serveModel(server, 'tiny');
		const catalogRecord = {
			...m.record,
			model_lib: 'https://raw.githubusercontent.com/x/model.wasm'
		};
		await store.put('webllm/model', m.tensorCacheUrl, {
			records: [
				{
					dataPath: 'params_shard_0.bin',
					format: 'raw-shard',
					nbytes: 1000,
					md5sum: 'f'.repeat(32),
					records: []
				}
			]
		});
		const identity = await importPicked(folderOf(m, 'tiny'), [catalogRecord]);
		expect(identity.custom).toBe(true);
		expect(identity.record.model_id).toBe('tiny');
		expect(identity.record.model.startsWith(IMPORTED_ORIGIN)).toBe(true);
	});

	it('gives a custom model whose name is taken another name', async () => {
		const m = serveModel(server, 'tiny');
		const checked = await checkFolder(await modelFolder(folderOf(m, 'Taken')));
		const other = { model: 'https://x/y', model_id: 'Taken', model_lib: 'https://x/y.wasm' };
		const identity = await identifyFolder(checked, context([other]));
		expect(identity.record.model_id).toBe('Taken-2');
	});

	it('refuses a shard with the wrong MD5, naming it, and stores nothing', async () => {
		const m = serveModel(server, 'tiny', { shardSizes: [1000, 2000, 500] });
		const picked = folderOf(m, 'Tiny', (files) => {
			const bad = bytes(2000, 1);
			bad[10] = (bad[10] ?? 0) ^ 1;
			files.set('params_shard_1.bin', new Blob([bad]));
		});
		const error = await refusal(importPicked(picked));
		expect([error.code, error.file]).toEqual(['checksum-mismatch', 'params_shard_1.bin']);
		expect(await allKeys()).toEqual([]);
	});

	it('refuses a shard of the wrong size, a missing file, a folder that is no model, a library that is no wasm', async () => {
		const m = serveModel(server, 'tiny');
		let error = await refusal(
			importPicked(
				folderOf(m, 'T', (f) => f.set('params_shard_2.bin', new Blob([new Uint8Array(499)])))
			)
		);
		expect([error.code, error.file, error.facts]).toEqual([
			'size-mismatch',
			'params_shard_2.bin',
			{ expected: 500, received: 499 }
		]);
		error = await refusal(importPicked(folderOf(m, 'T', (f) => f.delete('tokenizer.json'))));
		expect([error.code, error.file]).toEqual(['missing-file', 'tokenizer.json']);
		error = await refusal(importPicked([{ path: 'Photos/cat.jpg', file: new Blob(['x']) }]));
		expect(error.code).toBe('not-a-model-folder');
		error = await refusal(
			importPicked(folderOf(m, 'T', (f) => f.set('model.wasm', new Blob(['<html>']))))
		);
		expect([error.code, error.file]).toEqual(['not-wasm', 'model.wasm']);
		error = await refusal(importPicked(folderOf(m, 'T', (f) => f.delete('model.wasm'))));
		expect(error.code).toBe('no-library');
		expect(await allKeys()).toEqual([]);
	});

	it('refuses when the quota cannot hold the model, before storing anything', async () => {
		const m = serveModel(server, 'tiny');
		const checked = await checkFolder(await modelFolder(folderOf(m, 'T')));
		const identity = await identifyFolder(checked, context());
		const error = await refusal(
			storeImport(checked, identity.record, {
				store,
				estimate: async () => ({ quota: 1000, usage: 0 })
			})
		);
		expect(error.code).toBe('quota');
		expect(await allKeys()).toEqual([]);
	});

	it('removes what it stored when the disk fills up half-way', async () => {
		const m = serveModel(server, 'tiny');
		const checked = await checkFolder(await modelFolder(folderOf(m, 'T')));
		const identity = await identifyFolder(checked, context());
		let puts = 0;
		const full = new Proxy(store, {
			get(target, key) {
				if (key === 'put') {
					return async (...args: Parameters<ArtifactStore['put']>) => {
						if (++puts === 2) throw new DOMException('disk full', 'QuotaExceededError');
						return target.put(...args);
					};
				}
				const value = Reflect.get(target, key);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		const error = await refusal(storeImport(checked, identity.record, { store: full }));
		expect(error.code).toBe('quota');
		expect(await allKeys()).toEqual([]);
	});
});

describe('export, then import elsewhere', () => {
	it('round-trips a downloaded model through one archive file, as the same model', async () => {
		const m = serveModel(server, 'tiny');
		await new ModelDownloader({ fetch: server.fetch, store, estimate: async () => ({}) }).download(
			m.record
		);
		const writer = blobWriter();
		const progress: number[] = [];
		await exportModel(store, m.record, tarSink(writer, exportFolderName(m.record)), {
			kind: 'chat',
			custom: true,
			onProgress: (p) => progress.push(p.doneBytes)
		});
		const archive = writer.result();
		expect(progress.at(-1)).toBeGreaterThan(m.totalBytes);

		// Another browser: an empty IndexedDB.
		store.close();
		globalThis.indexedDB = new IDBFactory();
		store = new ArtifactStore();
		const picked = await archiveFiles(archive);
		const identity = await importPicked([{ path: 'model.tar', file: archive }]);
		expect(picked.map((p) => p.path)).toContain(`${m.record.model_id}/lantern-model.json`);
		// A custom model added by URL keeps its name and addresses.
		expect(identity.record).toMatchObject({ model_id: m.record.model_id, model: m.record.model });
		expect(await webllm(identity.record)).toBe(true);
	});

	it('refuses to export a model that is not completely stored', async () => {
		const m = serveModel(server, 'tiny');
		await expect(
			exportModel(store, m.record, tarSink(blobWriter(), 'x'), { kind: 'chat', custom: true })
		).rejects.toMatchObject({ code: 'incomplete' });
	});

	it('refuses an archive that is cut short', async () => {
		const m = serveModel(server, 'tiny');
		await new ModelDownloader({ fetch: server.fetch, store, estimate: async () => ({}) }).download(
			m.record
		);
		const writer = blobWriter();
		await exportModel(store, m.record, tarSink(writer, 'x'), { kind: 'chat', custom: true });
		const cut = writer.result().slice(0, 3000);
		const error = await refusal(importPicked([{ path: 'x.tar', file: cut }]));
		expect(error.code).toBe('bad-archive');
	});
});
