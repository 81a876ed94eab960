// Indexing: from a stored file to passages with vectors, one document at a time, resumable.
//
// Each document's record says how far it got (types.ts, DocumentStatus), so a reload resumes from
// what is stored: a document still `reading` is read again from its file (reading is quick, and
// its partial passages are cleared first); one `embedding` gets vectors for the passages that lack
// one from the picked model, in batches, each batch stored with the document's count in one
// transaction. Removing a document aborts its work: the next write finds the record gone (the
// repository writes nothing then) and the loop moves on.
//
// Off the main thread: extraction and splitting run in the documents worker, embedding in the
// engine worker. The page only stores what comes back, a batch at a time.
//
// Indexing waits, without failing the document, when it cannot go on: no embedding model picked,
// the model not downloaded while offline, the engine failing (a lost GPU), or storage refusing to
// write. The caller hears why (`onBlocked`) and calls `resume()` when that may have changed.
// Several tabs share the work through a Web Lock: one indexes, the others wait for their turn.
import { EngineError } from '$lib/engine/errors';
import type { Engine, LoadProgress, ModelRecord } from '$lib/engine/types';
import { StorageError } from '$lib/storage/errors';
import { ReadError, ReaderStoppedError } from './errors';
import type { DocumentReader } from './reader';
import { passageBytes, passageId, type DocumentRepository } from './repository';
import type { Passage, StoredDocument } from './types';

export type IndexingBlock =
	| { code: 'no-model' }
	| { code: 'offline'; modelId: string }
	/**
	 * Chat models on the GPU would have to be unloaded for the embedding model, and the user has not
	 * said so: indexing never takes the GPU from the chat by itself (`resume({ makeWay: true })`).
	 */
	| { code: 'gpu-busy'; modelIds: string[] }
	| { code: 'engine'; error: EngineError }
	| { code: 'storage'; error: StorageError }
	/** The documents worker did not start or stopped (`detail` says what the browser said). */
	| { code: 'reader'; detail: string };

export interface IndexerDeps {
	repository: DocumentRepository;
	reader: Pick<DocumentReader, 'read'>;
	engine: Engine;
	/** The embedding model the user picked, or null. */
	model: () => ModelRecord | null;
	/** False when the model cannot be loaded now: it is not stored and there is no network. */
	canLoad: (record: ModelRecord) => boolean;
	/** GPU memory for models in MB (undefined: unknown), for the engine's memory rule. */
	memoryBudgetMB: () => number | undefined;
	/** Models on the GPU that loading `model` would unload (memory.ts's rule); empty when none. */
	makesWay?: (model: ModelRecord) => Promise<string[]>;
	/** Each document as it changes (status, counts). */
	onDocument: (document: StoredDocument) => void;
	/** PDFs being read: pages done. */
	onReadProgress?: (documentId: string, done: number, total: number) => void;
	/** The embedding model's load progress, and null when it ends. */
	onModelLoad?: (progress: LoadProgress | null) => void;
	/** Why indexing waits, or null when it runs (again). */
	onBlocked: (block: IndexingBlock | null) => void;
	/** Runs `work` holding the cross-tab indexing lock (default: no lock). */
	exclusive?: (work: () => Promise<void>) => Promise<void>;
	/** Passages per embedding request. */
	batchSize?: number;
}

/** Characters of a passage given to the embedding model (its window is 512 tokens). */
export const EMBED_CHARS = 2000;
/** Passages read back per page while embedding. */
const PAGE = 256;
/** Shortest text tried when a passage has to be shortened to fit the model's window. */
const MIN_EMBED_CHARS = 200;

/** What the embedding model reads of a passage: its heading path, then its text. */
export function embedText(passage: Pick<Passage, 'headings' | 'text'>): string {
	const head = passage.headings.join(' › ');
	return (head ? `${head}\n\n${passage.text}` : passage.text).slice(0, EMBED_CHARS);
}

class Blocked extends Error {
	constructor(readonly block: IndexingBlock) {
		super(block.code);
	}
}

const isAbort = (error: unknown) =>
	(error instanceof DOMException && error.name === 'AbortError') ||
	(error instanceof EngineError && error.code === 'aborted');

export class Indexer {
	#deps: IndexerDeps;
	#queue: string[] = [];
	#running = false;
	#blocked = false;
	#block: IndexingBlock | null = null;
	#current: { id: string; abort: AbortController } | null = null;
	/** The user agreed that indexing may unload the chat model, until the queue is done. */
	#mayMakeWay = false;

	constructor(deps: IndexerDeps) {
		this.#deps = deps;
	}

	/** Documents waiting or being indexed, in order. */
	get queued(): readonly string[] {
		return this.#queue;
	}

	enqueue(...ids: string[]) {
		for (const id of ids) if (!this.#queue.includes(id)) this.#queue.push(id);
		void this.#drain();
	}

	/** Stops work on a document (it is being removed). */
	cancel(id: string) {
		this.#queue = this.#queue.filter((q) => q !== id);
		if (this.#current?.id === id) this.#current.abort.abort();
	}

	/**
	 * Tries again after a block (online again, a model picked, the user asked). `makeWay`: the user
	 * agreed that chat models may be unloaded for the embedding model, until the queue is done.
	 */
	resume({ makeWay = false } = {}) {
		if (makeWay) this.#mayMakeWay = true;
		this.#blocked = false;
		this.#block = null;
		this.#deps.onBlocked(null);
		void this.#drain();
	}

	async #drain() {
		if (this.#running || this.#queue.length === 0) return;
		if (this.#blocked && !this.#waitsForModel) return;
		this.#running = true;
		const exclusive = this.#deps.exclusive ?? ((work) => work());
		try {
			await exclusive(async () => {
				while (!this.#blocked && this.#queue.length > 0) {
					const id = this.#queue[0] as string;
					const done = await this.#process(id);
					if (done && this.#queue[0] === id) this.#queue.shift();
				}
				if (this.#waitsForModel) await this.#readWaiting();
			});
		} finally {
			this.#running = false;
			if (this.#queue.length === 0) this.#mayMakeWay = false;
		}
	}

	/**
	 * Indexing waits for the embedding model (none picked, offline, or the GPU busy with chat): the
	 * files queued meanwhile are still read into passages, so their words can be searched (the chat
	 * matches words alone until vectors exist). Other blocks (the reader, storage) stop everything.
	 */
	get #waitsForModel(): boolean {
		const code = this.#block?.code;
		return this.#blocked && (code === 'no-model' || code === 'offline' || code === 'gpu-busy');
	}

	/** Reads the queued documents still `reading`, until none is left; they stay queued. */
	async #readWaiting() {
		for (;;) {
			let read = false;
			for (const id of [...this.#queue]) {
				if (!this.#waitsForModel) return;
				const document = await this.#deps.repository.getDocument(id);
				if (!document || document.status !== 'reading') continue;
				const abort = new AbortController();
				this.#current = { id, abort };
				try {
					await this.#read(document, abort.signal);
				} catch {
					// A reader or storage failure: the full run reports it after the block lifts.
					return;
				} finally {
					this.#current = null;
				}
				read = true;
			}
			if (!read) return;
		}
	}

	/** False when indexing must wait (the document stays first in the queue). */
	async #process(id: string): Promise<boolean> {
		const abort = new AbortController();
		this.#current = { id, abort };
		try {
			let document = await this.#deps.repository.getDocument(id);
			if (!document || document.status === 'failed') return true;
			if (document.status === 'reading') document = await this.#read(document, abort.signal);
			if (!document) return true;
			const model = this.#deps.model();
			if (!model) throw new Blocked({ code: 'no-model' });
			if (document.status === 'ready' && document.embeddingModel === model.model_id) return true;
			await this.#embed(document, model, abort.signal);
			return true;
		} catch (error) {
			if (abort.signal.aborted || isAbort(error)) return true;
			const block =
				error instanceof Blocked
					? error.block
					: error instanceof ReaderStoppedError
						? ({ code: 'reader', detail: error.message } as const)
						: error instanceof EngineError
							? ({ code: 'engine', error } as const)
							: ({ code: 'storage', error: StorageError.from(error) } as const);
			this.#blocked = true;
			this.#block = block;
			this.#deps.onBlocked(block);
			return false;
		} finally {
			this.#current = null;
		}
	}

	/** Reads the file into passages; a file that cannot be read is marked failed, with the reason. */
	async #read(document: StoredDocument, signal: AbortSignal): Promise<StoredDocument | null> {
		const { repository } = this.#deps;
		await repository.clearPassages(document.id);
		let index = 0;
		let bytes = 0;
		let summary;
		try {
			summary = await this.#deps.reader.read(document.file, document.kind, {
				signal,
				onProgress: (done, total) => this.#deps.onReadProgress?.(document.id, done, total),
				onPassages: async (drafts) => {
					const passages: Passage[] = drafts.map((draft) => ({
						...draft,
						id: passageId(document.id, index),
						documentId: document.id,
						index: index++,
						vector: null,
						model: null
					}));
					bytes += passages.reduce((sum, p) => sum + passageBytes(p), 0);
					if (signal.aborted) return;
					await repository.addPassages(passages);
				}
			});
		} catch (error) {
			if (!(error instanceof ReadError)) throw error;
			await repository.clearPassages(document.id);
			return this.#update(document.id, (d) => ({
				...d,
				status: 'failed',
				error: error.code,
				passages: 0,
				embedded: 0,
				indexBytes: 0
			})).then(() => null);
		}
		const counted = summary;
		return this.#update(document.id, (d) => ({
			...d,
			status: 'embedding',
			pages: counted.pages,
			passages: counted.count,
			embedded: 0,
			embeddingModel: this.#deps.model()?.model_id ?? null,
			indexBytes: bytes
		}));
	}

	async #embed(document: StoredDocument, model: ModelRecord, signal: AbortSignal) {
		const { repository } = this.#deps;
		const modelId = model.model_id;
		const count = await repository.countPassages(document.id);
		let current = await this.#update(document.id, (d) => ({
			...d,
			status: 'embedding',
			embeddingModel: modelId,
			passages: count,
			embedded: d.embeddingModel === modelId ? Math.min(d.embedded, count) : 0
		}));
		if (!current) return;
		const size = this.#deps.batchSize ?? 16;
		// A page of passages at a time: a 500-page document is never read back whole at once.
		let after = -1;
		let loaded = false;
		for (;;) {
			const page = await repository.passagesPage(document.id, after, PAGE);
			const todo = page.filter((p) => !(p.vector && p.model === modelId));
			if (todo.length > 0 && !loaded) {
				await this.#ensureLoaded(model, signal);
				loaded = true;
			}
			for (let i = 0; i < todo.length; i += size) {
				const batch = todo.slice(i, i + size);
				const vectors = await this.#vectors(model, batch.map(embedText), signal);
				const updated = batch.map((p, j) => ({ ...p, vector: vectors[j] ?? null, model: modelId }));
				current = await repository.saveVectors(document.id, updated, modelId);
				if (!current) return;
				this.#deps.onDocument(current);
			}
			if (page.length < PAGE) break;
			after = page.at(-1)?.index ?? after;
		}
		await this.#update(document.id, (d) =>
			d.embeddingModel === modelId ? { ...d, status: 'ready', embedded: d.passages } : d
		);
	}

	async #ensureLoaded(model: ModelRecord, signal: AbortSignal) {
		const { engine } = this.#deps;
		if ((await engine.loaded()).includes(model.model_id)) return;
		if (!this.#deps.canLoad(model)) throw new Blocked({ code: 'offline', modelId: model.model_id });
		if (!this.#mayMakeWay) {
			const modelIds = (await this.#deps.makesWay?.(model)) ?? [];
			if (modelIds.length > 0) throw new Blocked({ code: 'gpu-busy', modelIds });
		}
		try {
			await engine.load([model], {
				signal,
				memoryBudgetMB: this.#deps.memoryBudgetMB(),
				onProgress: (p) => this.#deps.onModelLoad?.(p)
			});
		} finally {
			this.#deps.onModelLoad?.(null);
		}
	}

	/**
	 * Vectors for `texts`. A text too long for the model's window is shortened (halved until it
	 * fits); a model unloaded meanwhile (the chat took the GPU) is loaded again, if it may be.
	 */
	async #vectors(
		model: ModelRecord,
		texts: string[],
		signal: AbortSignal
	): Promise<Float32Array[]> {
		const { engine } = this.#deps;
		const modelId = model.model_id;
		try {
			return await engine.embed({ modelId, input: texts }, { signal });
		} catch (error) {
			if (!(error instanceof EngineError)) throw error;
			if (error.code === 'model-not-found') {
				await this.#ensureLoaded(model, signal);
				return engine.embed({ modelId, input: texts }, { signal });
			}
			if (error.code !== 'context-window-exceeded') throw error;
		}
		const vectors: Float32Array[] = [];
		for (const text of texts) vectors.push(await this.#shortened(modelId, text, signal));
		return vectors;
	}

	async #shortened(modelId: string, text: string, signal: AbortSignal): Promise<Float32Array> {
		let input = text;
		for (;;) {
			try {
				const [vector] = await this.#deps.engine.embed({ modelId, input: [input] }, { signal });
				if (vector) return vector;
				throw new EngineError('unknown', 'no vector came back');
			} catch (error) {
				const tooLong = error instanceof EngineError && error.code === 'context-window-exceeded';
				if (!tooLong || input.length <= MIN_EMBED_CHARS) throw error;
				input = input.slice(0, Math.max(MIN_EMBED_CHARS, Math.floor(input.length / 2)));
			}
		}
	}

	async #update(
		id: string,
		change: (document: StoredDocument) => StoredDocument
	): Promise<StoredDocument | null> {
		const next = await this.#deps.repository.updateDocument(id, (d) => ({
			...change(d),
			updatedAt: Date.now()
		}));
		if (next) this.#deps.onDocument(next);
		return next;
	}
}
