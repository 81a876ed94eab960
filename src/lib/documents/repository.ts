// Storage for documents, passages, collections and attachments, in the app's IndexedDB database
// (stores added by schema v4 in storage/db.ts). Everything read back is validated (validate.ts);
// unreadable records are skipped. Failures surface as StorageErrors.
//
// A document's passages have ids `${documentId}:${index, 6 digits}`, so they are one key range in
// order: reading, replacing or deleting them all is one range operation, not a cursor walk.
import { connect, type Connection } from '$lib/storage/db';
import { storageOp } from '$lib/storage/errors';
import { readAll } from '$lib/storage/validate';
import type { Attachment, Collection, Passage, StoredDocument } from './types';
import { readAttachment, readCollection, readDocument, readPassage } from './validate';

export function passageId(documentId: string, index: number): string {
	return `${documentId}:${String(index).padStart(6, '0')}`;
}

export function passageRange(documentId: string): IDBKeyRange {
	return IDBKeyRange.bound(`${documentId}:`, `${documentId}:\uffff`);
}

/** Bytes a passage takes, as counted for storage use: its text (UTF-16) and its vector. */
export function passageBytes(passage: Pick<Passage, 'text' | 'vector'>): number {
	return passage.text.length * 2 + (passage.vector?.byteLength ?? 0);
}

export class DocumentRepository {
	#db: Connection;

	constructor(db: Connection = connect()) {
		this.#db = db;
	}

	/** Oldest first: the order they were added, which is the order they are indexed in. */
	listDocuments(): Promise<StoredDocument[]> {
		return storageOp(async () =>
			readAll(await (await this.#db()).getAll('documents'), readDocument, 'documents').sort(
				(a, b) => a.createdAt - b.createdAt
			)
		);
	}

	getDocument(id: string): Promise<StoredDocument | null> {
		return storageOp(async () => readDocument(await (await this.#db()).get('documents', id)));
	}

	putDocument(document: StoredDocument): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('documents', document);
		});
	}

	/**
	 * Changes a stored document in one transaction; null (and nothing written) when it is gone,
	 * which is how indexing learns that the user removed it.
	 */
	updateDocument(
		id: string,
		change: (document: StoredDocument) => StoredDocument
	): Promise<StoredDocument | null> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction('documents', 'readwrite');
			const current = readDocument(await tx.store.get(id));
			const next = current ? change(current) : null;
			if (next) await tx.store.put(next);
			await tx.done;
			return next;
		});
	}

	/** The document and all its passages and vectors, in one transaction. */
	removeDocument(id: string): Promise<void> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['documents', 'passages'], 'readwrite');
			await Promise.all([
				tx.objectStore('documents').delete(id),
				tx.objectStore('passages').delete(passageRange(id)),
				tx.done
			]);
		});
	}

	/** Adds passages (a batch of a document being read) in one transaction. */
	addPassages(passages: readonly Passage[]): Promise<void> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction('passages', 'readwrite');
			await Promise.all([...passages.map((p) => tx.store.put(p)), tx.done]);
		});
	}

	/**
	 * Stores passages with their new vectors and counts them on the document, in one transaction.
	 * Returns the document as updated, or null when it was removed meanwhile (nothing is written).
	 */
	saveVectors(
		documentId: string,
		passages: readonly Passage[],
		model: string
	): Promise<StoredDocument | null> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['documents', 'passages'], 'readwrite');
			const documents = tx.objectStore('documents');
			const document = readDocument(await documents.get(documentId));
			if (!document || document.embeddingModel !== model) {
				tx.abort();
				await tx.done.catch(() => undefined);
				return null;
			}
			const store = tx.objectStore('passages');
			for (const passage of passages) void store.put(passage);
			const added = passages.reduce((sum, p) => sum + (p.vector?.byteLength ?? 0), 0);
			const next: StoredDocument = {
				...document,
				embedded: Math.min(document.passages, document.embedded + passages.length),
				indexBytes: document.indexBytes + added,
				updatedAt: Date.now()
			};
			void documents.put(next);
			await tx.done;
			return next;
		});
	}

	/** Removes a document's passages (to read it again from its file). */
	clearPassages(documentId: string): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).delete('passages', passageRange(documentId));
		});
	}

	/** A document's passages, in order. */
	passagesOf(documentId: string): Promise<Passage[]> {
		return storageOp(async () =>
			readAll(
				await (await this.#db()).getAll('passages', passageRange(documentId)),
				readPassage,
				'passages'
			)
		);
	}

	/** Up to `count` of a document's passages after position `after` (-1: from the first), in order. */
	passagesPage(documentId: string, after: number, count: number): Promise<Passage[]> {
		return storageOp(async () => {
			const range = IDBKeyRange.bound(passageId(documentId, after + 1), `${documentId}:\uffff`);
			return readAll(
				await (await this.#db()).getAll('passages', range, count),
				readPassage,
				'passages'
			);
		});
	}

	/** Up to `count` passages of any document after the key `after` (null: from the start). */
	passageBatch(after: string | null, count: number): Promise<Passage[]> {
		return storageOp(async () => {
			const range = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
			return readAll(
				await (await this.#db()).getAll('passages', range, count),
				readPassage,
				'passages'
			);
		});
	}

	/** How many passages are stored for the document (checks what the indexer wrote). */
	countPassages(documentId: string): Promise<number> {
		return storageOp(async () =>
			(await this.#db()).countFromIndex('passages', 'by-documentId', documentId)
		);
	}

	listCollections(): Promise<Collection[]> {
		return storageOp(async () =>
			readAll(await (await this.#db()).getAll('collections'), readCollection, 'collections').sort(
				(a, b) => a.name.localeCompare(b.name)
			)
		);
	}

	putCollection(collection: Collection): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('collections', collection);
		});
	}

	/** Deletes the collection and takes it off every document (the documents stay). */
	deleteCollection(id: string): Promise<void> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['collections', 'documents'], 'readwrite');
			void tx.objectStore('collections').delete(id);
			const documents = tx.objectStore('documents');
			for (const raw of await documents.getAll()) {
				const document = readDocument(raw);
				if (document?.collectionIds.includes(id)) {
					void documents.put({
						...document,
						collectionIds: document.collectionIds.filter((c) => c !== id)
					});
				}
			}
			await tx.done;
		});
	}

	getAttachment(conversationId: string): Promise<Attachment | null> {
		return storageOp(async () =>
			readAttachment(await (await this.#db()).get('attachments', conversationId))
		);
	}

	putAttachment(attachment: Attachment): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('attachments', attachment);
		});
	}

	deleteAttachment(conversationId: string): Promise<void> {
		return storageOp(async () => (await this.#db()).delete('attachments', conversationId));
	}
}
