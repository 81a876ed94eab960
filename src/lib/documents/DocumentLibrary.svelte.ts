// The documents service (created in the root layout): the user's documents and collections, the
// embedding model they picked, indexing (indexer.ts) and search over what is indexed
// (retrieval.ts). Pages read its getters and call its intention-named methods. Phase 2's chat
// calls `retrieve` to find the passages for a question.
//
// Search reads the stored passages into memory on first use, a few hundred per task so the page
// stays free, and keeps them there; a document that changes is read again at the next search.
// Other tabs hear of every change on the BroadcastChannel 'lantern-documents' and show it.
import { embedBeside, wouldUnload, type EmbedUnavailable } from '$lib/embedding/beside';
import type { Engine, LoadProgress, ModelRecord } from '$lib/engine/types';
import type { ChangeEvent } from '$lib/storage/broadcast';
import type { SettingsRepository } from '$lib/storage/settings';
import { Indexer, type IndexingBlock } from './indexer';
import { kindFromName, looksLikeText } from './kinds';
import type { SourcePassage } from './prompt';
import type { DocumentReader } from './reader';
import type { DocumentRepository } from './repository';
import type { Hit } from './retrieval';
import { DocumentIndex } from './searchIndex';
import type { Collection, DocumentKind, StoredDocument } from './types';

/** The settings key of the picked embedding model. */
export const MODEL_SETTING = 'documents.embeddingModel';
const CHANNEL = 'lantern-documents';
const LOCK = 'lantern-documents-indexing';

/** What the documents need to know of models (the Models page's library, adapted in the layout). */
export interface ModelSource {
	/** Every model Lantern knows (catalog and custom). */
	records(): readonly ModelRecord[];
	/** Everything a load reads is stored: it loads with no network. */
	readyOffline(modelId: string): boolean;
	online(): boolean;
	/** Resolves once the models (custom ones too) and their stored state are known. */
	ready(): Promise<void>;
}

export interface DocumentLibraryDeps {
	repository: DocumentRepository;
	settings: SettingsRepository;
	engine: Engine;
	reader: Pick<DocumentReader, 'read'>;
	models: ModelSource;
	/** GPU memory models may use, in MB, or undefined when unknown. */
	memoryBudgetMB?: () => number | undefined;
	/** navigator.storage.estimate, or a stand-in. */
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

export type Refusal = { name: string } & (
	{ code: 'unsupported' } | { code: 'too-big'; size: number; needed: number; available: number }
);

export interface SearchResult {
	query: string;
	hits: Array<Hit & { documentName: string }>;
	/** True when the question could not be embedded: words alone were matched. */
	wordsOnly: boolean;
}

/** What `retrieve` found: the best passages, and why words alone were matched, if they were. */
export interface Retrieved {
	hits: Array<Hit & { documentName: string }>;
	passages: SourcePassage[];
	/** True when the question could not be embedded: words alone were matched. */
	wordsOnly: boolean;
	/** Why the question was not embedded; null when it was. */
	why: EmbedUnavailable | null;
}

/** Embedding models' recommended query prefix (snowflake-arctic-embed was trained with it). */
export function queryText(modelId: string, question: string): string {
	return /snowflake-arctic-embed/i.test(modelId)
		? `Represent this sentence for searching relevant passages: ${question}`
		: question;
}

/**
 * Bytes a file may take once stored with its index: the file, its text (UTF-16) and about one
 * vector per 800 characters (768 numbers of 4 bytes at most). PDFs hold far less text than bytes.
 */
export function storageNeed(size: number, kind: DocumentKind): number {
	return kind === 'pdf' ? size * 2 : size * 7;
}

export class DocumentLibrary {
	#deps: DocumentLibraryDeps;
	#indexer: Indexer;
	#documents = $state.raw<StoredDocument[]>([]);
	#collections = $state.raw<Collection[]>([]);
	#modelId = $state<string | null>(null);
	/** Counts the user's picks, so a read of the stored pick that started before one does not undo it. */
	#picks = 0;
	#block = $state.raw<IndexingBlock | null>(null);
	#modelLoad = $state.raw<LoadProgress | null>(null);
	#reading = $state.raw<Record<string, { done: number; total: number }>>({});
	#refusals = $state.raw<Refusal[]>([]);
	#result = $state.raw<SearchResult | null>(null);
	#searching = $state(false);
	#quota = $state.raw<{ usage: number | null; quota: number | null }>({ usage: null, quota: null });
	#loaded = $state(false);
	#index: DocumentIndex;
	#channel: BroadcastChannel | null = null;

	constructor(deps: DocumentLibraryDeps) {
		this.#deps = deps;
		this.#index = new DocumentIndex(deps.repository);
		this.#indexer = new Indexer({
			repository: deps.repository,
			reader: deps.reader,
			engine: deps.engine,
			model: () => this.model,
			canLoad: (record) => deps.models.online() || deps.models.readyOffline(record.model_id),
			memoryBudgetMB: () => deps.memoryBudgetMB?.(),
			makesWay: (record) => this.#makesWay(record),
			onDocument: (document) => this.#changed(document),
			onReadProgress: (id, done, total) =>
				(this.#reading = { ...this.#reading, [id]: { done, total } }),
			onModelLoad: (progress) => (this.#modelLoad = progress),
			onBlocked: (block) => (this.#block = block),
			exclusive: (work) =>
				typeof navigator !== 'undefined' && navigator.locks
					? navigator.locks.request(LOCK, work)
					: work()
		});
	}

	get documents(): readonly StoredDocument[] {
		return this.#documents;
	}
	get collections(): readonly Collection[] {
		return this.#collections;
	}
	/** True once the stored documents have been read. */
	get loaded(): boolean {
		return this.#loaded;
	}
	get modelId(): string | null {
		return this.#modelId;
	}
	/** The picked embedding model's record, if Lantern knows it. */
	get model(): ModelRecord | null {
		const id = this.#modelId;
		return this.#deps.models.records().find((r) => r.model_id === id) ?? null;
	}
	/** Embedding models to choose from (catalog and custom). */
	get models(): ModelRecord[] {
		return this.#deps.models.records().filter((r) => r.model_type === 1);
	}
	/** Why indexing waits, or null. */
	get block(): IndexingBlock | null {
		return this.#block;
	}
	get modelLoad(): LoadProgress | null {
		return this.#modelLoad;
	}
	/** PDFs being read: pages done, by document id. */
	readingOf(id: string): { done: number; total: number } | null {
		return this.#reading[id] ?? null;
	}
	get refusals(): readonly Refusal[] {
		return this.#refusals;
	}
	get result(): SearchResult | null {
		return this.#result;
	}
	get searching(): boolean {
		return this.#searching;
	}
	/** Bytes the documents take: their files and their index. */
	get bytes(): { files: number; index: number } {
		let files = 0;
		let index = 0;
		for (const d of this.#documents) {
			files += d.size;
			index += d.indexBytes;
		}
		return { files, index };
	}
	/** Bytes this site may still store, when the browser says. */
	get available(): number | null {
		const { usage, quota } = this.#quota;
		return quota === null ? null : quota - (usage ?? 0);
	}

	/** Reads what is stored and resumes unfinished indexing; returns the function that stops. */
	start(): () => void {
		void this.#load();
		const online = () => {
			if (this.#block?.code === 'offline') this.#indexer.resume();
		};
		window.addEventListener('online', online);
		if (typeof BroadcastChannel !== 'undefined') {
			this.#channel = new BroadcastChannel(CHANNEL);
			this.#channel.onmessage = (event: MessageEvent<{ id: string | null }>) =>
				void this.#refresh(event.data?.id ?? null);
		}
		return () => {
			window.removeEventListener('online', online);
			this.#channel?.close();
			this.#channel = null;
		};
	}

	async #load() {
		await this.#deps.models.ready().catch(() => undefined);
		await this.#read();
		this.#loaded = true;
	}

	/** Reads the picked model, documents and collections, and queues what still needs indexing. */
	async #read() {
		const { repository, settings } = this.#deps;
		const isId = (x: unknown): x is string | null => x === null || typeof x === 'string';
		const picks = this.#picks;
		const modelId = await settings.get(MODEL_SETTING, isId, null);
		// A model picked while this read was under way is newer than what it read: keep the pick.
		if (picks === this.#picks) {
			if (modelId !== this.#modelId) this.#index.reset();
			this.#modelId = modelId;
		}
		this.#documents = await repository.listDocuments();
		this.#collections = await repository.listCollections();
		void this.#measure();
		this.#indexer.enqueue(...this.#unfinished());
	}

	/**
	 * What is stored changed as a whole (a backup restored here or in another tab): read it again;
	 * every document's passages are read into the search index again at the next search.
	 */
	async follow(event: ChangeEvent): Promise<void> {
		if (event.kind !== 'all') return;
		this.#index.reset();
		await this.#read();
	}

	/** Documents that still need work for the picked model. */
	#unfinished(): string[] {
		return this.#documents
			.filter(
				(d) =>
					d.status === 'reading' ||
					d.status === 'embedding' ||
					(d.status === 'ready' && this.#modelId !== null && d.embeddingModel !== this.#modelId)
			)
			.map((d) => d.id);
	}

	async #measure() {
		try {
			const estimate = this.#deps.estimate ?? (() => navigator.storage.estimate());
			const { usage, quota } = await estimate();
			this.#quota = { usage: usage ?? null, quota: quota ?? null };
		} catch {
			this.#quota = { usage: null, quota: null };
		}
	}

	#changed(document: StoredDocument) {
		const at = this.#documents.findIndex((d) => d.id === document.id);
		this.#documents =
			at < 0
				? [...this.#documents, document]
				: this.#documents.map((d) => (d.id === document.id ? document : d));
		if (document.status !== 'reading' && this.#reading[document.id]) {
			const { [document.id]: _done, ...rest } = this.#reading;
			this.#reading = rest;
		}
		this.#index.invalidate(document.id);
		this.#channel?.postMessage({ id: document.id });
	}

	/** Another tab changed a document (or collections, with null). */
	async #refresh(id: string | null) {
		this.#documents = await this.#deps.repository.listDocuments();
		this.#collections = await this.#deps.repository.listCollections();
		if (id) {
			if (this.#documents.some((d) => d.id === id)) this.#index.invalidate(id);
			else this.#index.forget(id);
		}
	}

	/**
	 * Stores the files and queues them for indexing; refused files are listed with the reason.
	 * Returns the documents stored (a conversation attaches them).
	 */
	async addFiles(files: readonly File[]): Promise<StoredDocument[]> {
		const refusals: Refusal[] = [];
		const added: StoredDocument[] = [];
		await this.#measure();
		let available = this.available;
		for (const file of files) {
			let kind = kindFromName(file.name, file.type);
			if (!kind) {
				const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
				kind = head.length > 0 && looksLikeText(head) ? 'text' : null;
			}
			if (!kind) {
				refusals.push({ name: file.name, code: 'unsupported' });
				continue;
			}
			const needed = storageNeed(file.size, kind);
			if (available !== null && needed > available) {
				refusals.push({ name: file.name, code: 'too-big', size: file.size, needed, available });
				continue;
			}
			if (available !== null) available -= needed;
			added.push(await this.#store(file, file.name || 'Untitled', kind));
		}
		this.#refusals = refusals;
		void this.#measure();
		return added;
	}

	/** Keeps pasted text as a text document; returns it (none if it was refused). */
	async addText(name: string, text: string): Promise<StoredDocument[]> {
		const title = name.trim() || `Pasted text ${this.#documents.length + 1}.txt`;
		const kind = kindFromName(title, 'text/plain') ?? 'text';
		return this.addFiles([
			new File([text], title, { type: kind === 'markdown' ? 'text/markdown' : 'text/plain' })
		]);
	}

	async #store(file: Blob, name: string, kind: DocumentKind): Promise<StoredDocument> {
		const now = Date.now();
		const document: StoredDocument = {
			id: crypto.randomUUID(),
			name,
			kind,
			type: file.type,
			size: file.size,
			pages: null,
			file,
			status: 'reading',
			passages: 0,
			embedded: 0,
			embeddingModel: null,
			indexBytes: 0,
			collectionIds: [],
			createdAt: now,
			updatedAt: now
		};
		await this.#deps.repository.putDocument(document);
		this.#changed(document);
		this.#indexer.enqueue(document.id);
		return document;
	}

	dismissRefusals() {
		this.#refusals = [];
	}

	/** Removes the document with its passages and vectors, stopping its indexing. */
	async remove(id: string): Promise<void> {
		this.#indexer.cancel(id);
		await this.#deps.repository.removeDocument(id);
		this.#documents = this.#documents.filter((d) => d.id !== id);
		this.#index.forget(id);
		this.#channel?.postMessage({ id });
		void this.#measure();
	}

	/** Picks the embedding model; every document is indexed again with it. */
	async pickModel(modelId: string | null): Promise<void> {
		if (modelId === this.#modelId) return;
		this.#picks++;
		this.#modelId = modelId;
		await this.#deps.settings.set(MODEL_SETTING, modelId);
		this.#index.reset();
		if (this.#block) this.#indexer.resume();
		this.#indexer.enqueue(...this.#unfinished());
	}

	/** Tries indexing again after it stopped (engine or storage trouble). */
	retry() {
		this.#indexer.resume();
	}

	/** Lets indexing unload the chat model it waits for (the user pressed Index now). */
	makeWay() {
		this.#indexer.resume({ makeWay: true });
	}

	/**
	 * Chat models on the GPU that loading the embedding model would unload: those it does not fit
	 * beside by the memory rule (engine/memory.ts, as the engine applies it).
	 */
	#makesWay(model: ModelRecord): Promise<string[]> {
		return wouldUnload(
			this.#deps.engine,
			this.#deps.models.records(),
			model,
			this.#deps.memoryBudgetMB?.()
		);
	}

	async createCollection(name: string): Promise<Collection | null> {
		const trimmed = name.trim();
		if (!trimmed) return null;
		const now = Date.now();
		const collection: Collection = {
			id: crypto.randomUUID(),
			name: trimmed,
			createdAt: now,
			updatedAt: now
		};
		await this.#deps.repository.putCollection(collection);
		this.#collections = [...this.#collections, collection].sort((a, b) =>
			a.name.localeCompare(b.name)
		);
		this.#channel?.postMessage({ id: null });
		return collection;
	}

	async deleteCollection(id: string): Promise<void> {
		await this.#deps.repository.deleteCollection(id);
		this.#collections = this.#collections.filter((c) => c.id !== id);
		this.#documents = this.#documents.map((d) =>
			d.collectionIds.includes(id)
				? { ...d, collectionIds: d.collectionIds.filter((c) => c !== id) }
				: d
		);
		this.#channel?.postMessage({ id: null });
	}

	/** Puts a document in a collection, or takes it out. */
	async setInCollection(documentId: string, collectionId: string, member: boolean): Promise<void> {
		const next = await this.#deps.repository.updateDocument(documentId, (d) => ({
			...d,
			collectionIds: [
				...d.collectionIds.filter((c) => c !== collectionId),
				...(member ? [collectionId] : [])
			]
		}));
		if (next) {
			this.#documents = this.#documents.map((d) => (d.id === next.id ? next : d));
			this.#channel?.postMessage({ id: null });
		}
	}

	/** Documents in the collection. */
	documentsIn(collectionId: string): StoredDocument[] {
		return this.#documents.filter((d) => d.collectionIds.includes(collectionId));
	}

	/** Documents not yet searchable (still being read). */
	get unsearchable(): number {
		return this.#documents.filter((d) => d.status === 'reading').length;
	}

	/** Searches the documents and shows the result on the page. */
	async search(query: string): Promise<void> {
		const text = query.trim();
		if (!text) {
			this.#result = null;
			return;
		}
		this.#searching = true;
		try {
			const { hits, wordsOnly } = await this.retrieve(text, { limit: 10 });
			this.#result = { query: text, hits, wordsOnly };
		} finally {
			this.#searching = false;
		}
	}

	/**
	 * The passages that best match a question, best first, with their document's name: what the
	 * chat sends with a question (through fitPassages). `documentIds` limits the search (a
	 * conversation's attachments). The question is embedded with the picked model when it can be
	 * loaded; otherwise words alone are matched, and `wordsOnly` says so.
	 */
	async retrieve(
		question: string,
		options: { documentIds?: ReadonlySet<string>; limit?: number } = {}
	): Promise<Retrieved> {
		const index = await this.#index.ready(this.#modelId ?? '', this.#documents, (id) =>
			this.#documents.some((d) => d.id === id)
		);
		const embedded = await this.#embedQuestion(question);
		const vector = embedded.ok ? (embedded.vectors[0] ?? null) : null;
		const nameOf = (id: string) => this.#documents.find((d) => d.id === id)?.name ?? '';
		const hits = index
			.search({ text: question, vector, documentIds: options.documentIds, limit: options.limit })
			.map((h) => ({ ...h, documentName: nameOf(h.passage.documentId) }));
		return {
			hits,
			passages: hits.map((h) => ({ ...h.passage, documentName: h.documentName })),
			wordsOnly: vector === null,
			why: embedded.ok ? null : embedded.reason
		};
	}

	/** The question's embedding, when the model can be had without unloading the chat's model. */
	#embedQuestion(question: string) {
		const model = this.model;
		const { engine, models } = this.#deps;
		return embedBeside(
			{
				engine,
				records: () => models.records(),
				canLoad: (id) => models.online() || models.readyOffline(id)
			},
			model,
			model ? [queryText(model.model_id, question)] : [],
			{ budgetMB: this.#deps.memoryBudgetMB?.() }
		);
	}
}
