// Messages between the page (reader.ts) and the documents worker (documents.worker.ts).
import type { DocumentKind, PassageDraft, ReadErrorCode } from './types';

export type ReaderRequest = { kind: 'read'; id: number; file: Blob; docKind: DocumentKind };

export type ReaderResponse =
	/** PDFs: pages read so far, of `total`. */
	| { kind: 'progress'; id: number; done: number; total: number }
	/** The next passages in order (sent in batches, so no single message is large). */
	| { kind: 'passages'; id: number; passages: PassageDraft[] }
	| { kind: 'done'; id: number; pages: number | null; count: number }
	| { kind: 'error'; id: number; code: ReadErrorCode; detail: string };

/** Passages per message. */
export const PASSAGE_BATCH = 200;
