// A document's indexing progress as a bar shows it: pages read (PDFs), then passages embedded.
// One rule for the Documents page and the documents attached in the chat.
import { documentsText } from './strings';
import type { StoredDocument } from './types';

export interface Progress {
	/** 0..1, or null when unknown (reading a file that has no pages). */
	value: number | null;
	label: string;
}

/** Null once the document is indexed or failed. */
export function documentProgress(
	document: StoredDocument,
	reading: { done: number; total: number } | null
): Progress | null {
	const t = documentsText.list;
	if (document.status === 'reading') {
		return reading
			? { value: reading.done / reading.total, label: t.readingPages(reading.done, reading.total) }
			: { value: null, label: documentsText.status.reading };
	}
	if (document.status === 'embedding') {
		return {
			value: document.embedded / Math.max(1, document.passages),
			label: t.embedding(document.embedded, document.passages)
		};
	}
	return null;
}

/** "PDF · 1.2 MB · 40 pages": what a document is, in a line. */
export function documentFacts(document: StoredDocument, formatBytes: (n: number) => string) {
	const t = documentsText.list;
	return [
		documentsText.kind[document.kind],
		formatBytes(document.size),
		document.pages === null ? null : t.pages(document.pages),
		document.passages > 0 ? t.passages(document.passages) : null
	].filter((x) => x !== null);
}
