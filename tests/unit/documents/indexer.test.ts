// The indexer against a real (fake-indexeddb) database, a reader stand-in and a page-side engine
// with hashed embeddings: resuming, removing, waiting, shortening.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Indexer, type IndexerDeps, type IndexingBlock } from '$lib/documents/indexer';
import type { ReadHandlers } from '$lib/documents/reader';
import { DocumentRepository } from '$lib/documents/repository';
import type { PassageDraft, StoredDocument } from '$lib/documents/types';
import { EngineError } from '$lib/engine/errors';
import type { EmbedRequest, Engine, ModelRecord } from '$lib/engine/types';
import { connect } from '$lib/storage/db';
import { hashedEmbedding } from '../../fixtures/hashed-embedding';

const MODEL: ModelRecord = {
	model: 'https://x/e/',
	model_id: 'embed',
	model_lib: 'e.wasm',
	model_type: 1
};
let count = 0;

/** A page-side engine: hashed embeddings, scripted failures, a log of what it was asked. */
class EmbedEngine implements Engine {
	loadedIds: string[] = [];
	loads = 0;
	batches: string[][] = [];
	/** Texts longer than this are refused as too long for the window. */
	maxChars = Infinity;
	failNext: EngineError | null = null;
	hold: Promise<void> | null = null;
	async load(models: ModelRecord[]) {
		this.loads++;
		this.loadedIds = models.map((m) => m.model_id);
	}
	async embed(request: EmbedRequest, options: { signal?: AbortSignal } = {}) {
		if (this.hold) await this.hold;
		if (options.signal?.aborted) throw new EngineError('aborted', '');
		if (this.failNext) {
			const error = this.failNext;
			this.failNext = null;
			throw error;
		}
		if (!this.loadedIds.includes(request.modelId)) throw new EngineError('model-not-found', '');
		if (request.input.some((t) => t.length > this.maxChars)) {
			throw new EngineError('context-window-exceeded', 'too long');
		}
		this.batches.push(request.input);
		return request.input.map((t) => hashedEmbedding(t));
	}
	async *chat() {}
	async interrupt() {}
	async unload() {
		this.loadedIds = [];
	}
	async loaded() {
		return this.loadedIds;
	}
	onLost() {
		return () => undefined;
	}
}

const drafts = (n: number, prefix = 'Passage'): PassageDraft[] =>
	Array.from({ length: n }, (_, i) => ({
		text: `${prefix} ${i} text.`,
		page: i + 1,
		headings: [],
		line: null
	}));

function reader(passages: PassageDraft[], pages: number | null = passages.length) {
	return {
		reads: 0,
		async read(_file: Blob, _kind: string, handlers: ReadHandlers) {
			this.reads++;
			for (let i = 0; i < passages.length; i += 3)
				await handlers.onPassages(passages.slice(i, i + 3));
			return { pages, count: passages.length };
		}
	};
}

function documentRecord(id: string): StoredDocument {
	return {
		id,
		name: `${id}.pdf`,
		kind: 'pdf',
		type: 'application/pdf',
		size: 10,
		pages: null,
		file: new Blob(['%PDF']),
		status: 'reading',
		passages: 0,
		embedded: 0,
		embeddingModel: null,
		indexBytes: 0,
		collectionIds: [],
		createdAt: 1,
		updatedAt: 1
	};
}

function setup(overrides: Partial<IndexerDeps> = {}, passages = drafts(10)) {
	const repository = new DocumentRepository(connect(`indexer-${++count}`));
	const engine = new EmbedEngine();
	const blocks: Array<IndexingBlock | null> = [];
	const seen: StoredDocument[] = [];
	const source = reader(passages);
	let online = true;
	const deps: IndexerDeps = {
		repository,
		reader: source,
		engine,
		model: () => MODEL,
		canLoad: () => online,
		memoryBudgetMB: () => undefined,
		onDocument: (d) => seen.push(d),
		onBlocked: (b) => blocks.push(b),
		batchSize: 4,
		...overrides
	};
	const indexer = new Indexer(deps);
	/** Waits until the document reaches `status` (or the indexer blocks). */
	const settled = async (id: string, status: StoredDocument['status']) => {
		for (let i = 0; i < 200; i++) {
			const d = await repository.getDocument(id);
			if (d?.status === status || blocks.at(-1)) return d;
			await new Promise((r) => setTimeout(r, 5));
		}
		throw new Error(`never ${status}`);
	};
	return {
		repository,
		engine,
		indexer,
		blocks,
		seen,
		source,
		settled,
		goOffline: () => (online = false),
		goOnline: () => (online = true)
	};
}

describe('Indexer', () => {
	it('reads a document into passages, then gives each a vector in batches, counting as it goes', async () => {
		const { repository, engine, indexer, seen, settled } = setup();
		await repository.putDocument(documentRecord('a'));
		indexer.enqueue('a');
		const done = await settled('a', 'ready');
		expect(done).toMatchObject({
			status: 'ready',
			passages: 10,
			embedded: 10,
			pages: 10,
			embeddingModel: 'embed'
		});
		const passages = await repository.passagesOf('a');
		expect(passages.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(passages.every((p) => p.vector instanceof Float32Array && p.model === 'embed')).toBe(
			true
		);
		expect(engine.batches.map((b) => b.length)).toEqual([4, 4, 2]);
		// Progress was reported batch by batch.
		expect(seen.filter((d) => d.status === 'embedding').map((d) => d.embedded)).toEqual([
			0, 0, 4, 8, 10
		]);
		expect(done?.indexBytes).toBeGreaterThan(10 * 256 * 4);
	});

	it('while it waits for an embedding model, files queued before and after are still read, so their words can be searched', async () => {
		let model: ModelRecord | null = null;
		const { repository, indexer, blocks } = setup({ model: () => model });
		await repository.putDocument(documentRecord('a'));
		await repository.putDocument(documentRecord('b'));
		indexer.enqueue('a', 'b');
		await expect.poll(async () => (await repository.getDocument('b'))?.status).toBe('embedding');
		expect(blocks).toEqual([{ code: 'no-model' }]);
		expect((await repository.getDocument('a'))?.status).toBe('embedding');
		await repository.putDocument(documentRecord('c'));
		indexer.enqueue('c');
		await expect.poll(async () => (await repository.getDocument('c'))?.status).toBe('embedding');
		expect(await repository.countPassages('c')).toBe(10);
		// A model picked: all three get their vectors.
		model = MODEL;
		indexer.resume();
		for (const id of ['a', 'b', 'c'])
			await expect.poll(async () => (await repository.getDocument(id))?.status).toBe('ready');
	});

	it('resumes after a reload from the passages that still lack a vector, without reading again', async () => {
		const first = setup();
		await first.repository.putDocument(documentRecord('a'));
		first.engine.hold = new Promise(() => undefined); // the tab "closes" while embedding
		first.indexer.enqueue('a');
		await first.settled('a', 'embedding');
		const repository = first.repository;
		// Two passages got vectors before the reload (as saveVectors would have stored them).
		const stored = await repository.passagesOf('a');
		await repository.saveVectors(
			'a',
			stored.slice(0, 2).map((p) => ({ ...p, vector: hashedEmbedding(p.text), model: 'embed' })),
			'embed'
		);

		const engine = new EmbedEngine();
		const source = reader(drafts(10));
		const indexer = new Indexer({
			repository,
			reader: source,
			engine,
			model: () => MODEL,
			canLoad: () => true,
			memoryBudgetMB: () => undefined,
			onDocument: () => undefined,
			onBlocked: () => undefined,
			batchSize: 4
		});
		indexer.enqueue('a');
		await expect.poll(async () => (await repository.getDocument('a'))?.status).toBe('ready');
		expect(source.reads).toBe(0);
		expect(engine.batches.flat()).toHaveLength(8);
		expect((await repository.getDocument('a'))?.embedded).toBe(10);
	});

	it('stops when the document is removed, leaving nothing of it behind', async () => {
		const { repository, engine, indexer, settled } = setup();
		await repository.putDocument(documentRecord('a'));
		let release: () => void = () => undefined;
		engine.hold = new Promise((r) => (release = r));
		indexer.enqueue('a');
		await settled('a', 'embedding');
		indexer.cancel('a');
		await repository.removeDocument('a');
		release();
		await new Promise((r) => setTimeout(r, 30));
		expect(await repository.getDocument('a')).toBeNull();
		expect(await repository.passagesOf('a')).toEqual([]);
	});

	it('waits, without failing the document, when the model is not downloaded and the device is offline', async () => {
		const { repository, engine, indexer, blocks, settled, goOffline, goOnline } = setup();
		goOffline();
		await repository.putDocument(documentRecord('a'));
		indexer.enqueue('a');
		await settled('a', 'ready');
		expect(blocks.at(-1)).toEqual({ code: 'offline', modelId: 'embed' });
		expect((await repository.getDocument('a'))?.status).toBe('embedding');
		expect(engine.loads).toBe(0);
		goOnline();
		indexer.resume();
		await expect.poll(async () => (await repository.getDocument('a'))?.status).toBe('ready');
	});

	it('marks an unreadable file as failed with the reason, and goes on with the next', async () => {
		const failing = {
			async read(): Promise<never> {
				const { ReadError } = await import('$lib/documents/errors');
				throw new ReadError('pdf-no-text', '3 pages');
			}
		};
		const { repository, indexer } = setup({ reader: failing });
		await repository.putDocument(documentRecord('scan'));
		indexer.enqueue('scan');
		await expect.poll(async () => (await repository.getDocument('scan'))?.status).toBe('failed');
		expect(await repository.getDocument('scan')).toMatchObject({
			error: 'pdf-no-text',
			passages: 0
		});
	});

	it('shortens a passage too long for the model, and loads the model again when it was unloaded', async () => {
		const long = [{ text: 'word '.repeat(1000).trim(), page: 1, headings: [], line: null }];
		const { repository, engine, indexer } = setup({}, [...drafts(2), ...long]);
		engine.maxChars = 1200;
		await repository.putDocument(documentRecord('a'));
		indexer.enqueue('a');
		await expect.poll(async () => (await repository.getDocument('a'))?.status).toBe('ready');
		expect(engine.batches.flat().map((t) => t.length)).toEqual([15, 15, 1000]);

		// The chat took the GPU between two batches: the model is loaded again, once.
		const loadsBefore = engine.loads;
		await engine.unload();
		// Vectors of another model count for nothing: every passage is embedded again.
		const stored = await repository.passagesOf('a');
		await repository.addPassages(stored.map((p) => ({ ...p, model: 'old' })));
		await repository.updateDocument('a', (d) => ({ ...d, embeddingModel: 'old' }));
		indexer.enqueue('a');
		await expect
			.poll(async () => (await repository.passagesOf('a')).every((p) => p.model === 'embed'))
			.toBe(true);
		expect(engine.loads).toBe(loadsBefore + 1);
		expect((await repository.passagesOf('a')).every((p) => p.model === 'embed')).toBe(true);
		expect((await repository.passagesOf('a')).every((p) => p.model === 'embed')).toBe(true);
	});

	it('stops with the engine’s error and resumes where it stopped', async () => {
		const { repository, engine, indexer, blocks, settled } = setup();
		await repository.putDocument(documentRecord('a'));
		await engine.load([MODEL]);
		engine.failNext = new EngineError('device-lost', 'Device is lost');
		indexer.enqueue('a');
		await settled('a', 'ready');
		expect(blocks.at(-1)).toMatchObject({ code: 'engine', error: { code: 'device-lost' } });
		indexer.resume();
		await expect.poll(async () => (await repository.getDocument('a'))?.status).toBe('ready');
		expect((await repository.passagesOf('a')).every((p) => p.vector)).toBe(true);
	});
});

describe('Indexer and the chat model', () => {
	it('never unloads a chat model by itself: it waits until the user says so', async () => {
		let asked = 0;
		const { repository, engine, indexer, blocks, settled } = setup({
			makesWay: async () => {
				asked++;
				return ['Qwen-chat'];
			}
		});
		await repository.putDocument(documentRecord('a'));
		indexer.enqueue('a');
		await settled('a', 'ready');
		expect(blocks.at(-1)).toEqual({ code: 'gpu-busy', modelIds: ['Qwen-chat'] });
		expect(engine.loads).toBe(0);
		indexer.resume({ makeWay: true });
		await expect.poll(async () => (await repository.getDocument('a'))?.status).toBe('ready');
		expect(engine.loads).toBe(1);
		expect(asked).toBe(1);
	});
});
