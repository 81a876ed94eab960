// The in-memory search index over stored passages, kept in step with the documents: read on first
// use, a few hundred passages per task so the page stays free, and read again per document after
// it changes. Plain TypeScript (no state): the library decides when it is used.
import { nextTask } from '$lib/nextTask';
import type { DocumentRepository } from './repository';
import { RetrievalIndex } from './retrieval';
import type { StoredDocument } from './types';

/** Passages read into the index per task. */
const INDEX_BATCH = 200;

export class DocumentIndex {
	#repository: DocumentRepository;
	#index: RetrievalIndex | null = null;
	/** Documents whose passages changed since the index read them. */
	#stale = new Set<string>();

	constructor(repository: DocumentRepository) {
		this.#repository = repository;
	}

	/** A document's passages changed (read, embedded, removed): read it again next time. */
	invalidate(documentId: string) {
		this.#stale.add(documentId);
	}

	forget(documentId: string) {
		this.#stale.delete(documentId);
		this.#index?.deleteDocument(documentId);
	}

	/** Starts over (another embedding model: other vectors count). */
	reset() {
		this.#index = null;
		this.#stale.clear();
	}

	/**
	 * The index for `modelId`'s vectors, with every searchable document read in. `current` says
	 * whether a document still exists (one removed while it was read in is dropped).
	 */
	async ready(
		modelId: string,
		documents: readonly StoredDocument[],
		current: (id: string) => boolean
	): Promise<RetrievalIndex> {
		if (this.#index?.model !== modelId) {
			this.#index = new RetrievalIndex(modelId);
			this.#stale = new Set(documents.map((d) => d.id));
		}
		const index = this.#index;
		for (const document of documents) {
			if (!this.#stale.has(document.id)) continue;
			this.#stale.delete(document.id);
			if (document.status !== 'embedding' && document.status !== 'ready') {
				index.deleteDocument(document.id);
				continue;
			}
			const builder = index.build(document.id);
			let after = -1;
			for (;;) {
				const batch = await this.#repository.passagesPage(document.id, after, INDEX_BATCH);
				builder.add(batch);
				if (batch.length < INDEX_BATCH) break;
				after = batch.at(-1)?.index ?? after;
				await nextTask();
			}
			if (current(document.id)) builder.commit();
		}
		return index;
	}
}
