// Private documents: what Lantern keeps of a file the user added, the passages it is split into
// (each with its embedding vector), named collections of documents, and what a conversation has
// attached. Every record read back from IndexedDB goes through validate.ts first.

/** How a file is read: its text as it is, or parsed (Markdown, HTML, PDF). */
export type DocumentKind = 'text' | 'markdown' | 'code' | 'html' | 'pdf';

/**
 * - `reading`: its text is being extracted and split into passages (in the documents worker).
 *   Found on load, the reading was cut short: it starts again from the file.
 * - `embedding`: every passage is stored; those without a vector from `embeddingModel` get one.
 *   Found on load, indexing resumes from the passages that still lack one.
 * - `ready`: every passage has a vector from `embeddingModel`.
 * - `failed`: it could not be read (`error` says why); the file is kept so the user sees what failed.
 */
export type DocumentStatus = 'reading' | 'embedding' | 'ready' | 'failed';

/** Why a document could not be read. Wording in strings.ts. */
export type ReadErrorCode =
	/** Not text, Markdown, code, HTML or PDF. */
	| 'unsupported'
	/** No text in it at all (an empty file). */
	| 'empty'
	/** A PDF with pages but no text layer: a scan, or pictures of pages. */
	| 'pdf-no-text'
	/** Not a valid PDF (damaged, cut short, or another format named .pdf). */
	| 'pdf-corrupt'
	/** A PDF that needs a password. */
	| 'pdf-encrypted'
	/** The browser could not read the stored file back. */
	| 'unreadable';

export interface StoredDocument {
	/** Random UUID; never changes. */
	id: string;
	/** The file's name as the user added it (never empty). */
	name: string;
	kind: DocumentKind;
	/** The MIME type the browser reported ('' when it did not know). */
	type: string;
	/** Bytes of the original file. */
	size: number;
	/** PDFs: how many pages; null for other kinds, and before a PDF is read. */
	pages: number | null;
	/** The original file, kept so it can be read again (another embedding model, a backup). */
	file: Blob;
	status: DocumentStatus;
	/** Passages stored so far. */
	passages: number;
	/** Passages that have a vector from `embeddingModel`. */
	embedded: number;
	/** The model whose vectors the passages carry or are being given; null before embedding. */
	embeddingModel: string | null;
	/** Status `failed` only. */
	error?: ReadErrorCode;
	/** Bytes of the passages' text and vectors (an estimate of what the index takes on disk). */
	indexBytes: number;
	/** Collections this document belongs to. */
	collectionIds: string[];
	createdAt: number;
	updatedAt: number;
}

export interface Passage {
	/** `${documentId}:${index, 6 digits}`: a document's passages are one key range, in order. */
	id: string;
	documentId: string;
	/** Position in the document, from 0. */
	index: number;
	/** The passage as written in the file (Markdown stays Markdown; never rendered). */
	text: string;
	/** PDFs: the 1-based page it is on; null for other kinds. */
	page: number | null;
	/** The headings above it, outermost first (Markdown and HTML); empty when none. */
	headings: string[];
	/** The 1-based line it starts on (text, Markdown, code); null for PDF and HTML. */
	line: number | null;
	/** Its embedding as the model returned it (retrieval normalises); null until made. */
	vector: Float32Array | null;
	/** The model that made `vector`; null without one. */
	model: string | null;
}

/** A named set of documents, attached to a conversation as a whole. */
export interface Collection {
	id: string;
	/** Never empty. */
	name: string;
	createdAt: number;
	updatedAt: number;
}

/** What a conversation has attached: documents, and collections (all their documents). */
export interface Attachment {
	conversationId: string;
	documentIds: string[];
	collectionIds: string[];
	updatedAt: number;
}

/** A passage before it is stored: what the documents worker makes of a file. */
export type PassageDraft = Pick<Passage, 'text' | 'page' | 'headings' | 'line'>;

/** A piece of a document's structure, in reading order (what extraction gives splitting). */
export interface Block {
	kind: 'heading' | 'text' | 'code' | 'list' | 'table';
	text: string;
	/** Headings: 1 (outermost) to 6. */
	depth?: number;
	page: number | null;
	line: number | null;
}
