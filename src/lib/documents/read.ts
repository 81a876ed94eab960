// A file's bytes to passages, by kind. Runs in the documents worker (documents.worker.ts); pure
// apart from pdf.js, which is imported only when a PDF comes.
import { ReadError } from './errors';
import { htmlBlocks } from './extract/html';
import { markdownBlocks } from './extract/markdown';
import { lineBlocks } from './extract/text';
import { decodeText, looksLikeText } from './kinds';
import { splitBlocks } from './split';
import type { Block, DocumentKind, PassageDraft } from './types';

export interface ReadResult {
	/** PDFs: their page count; null for other kinds. */
	pages: number | null;
	passages: PassageDraft[];
}

/** Blocks of a text format (everything but PDF). */
export function textFormatBlocks(text: string, kind: Exclude<DocumentKind, 'pdf'>): Block[] {
	switch (kind) {
		case 'markdown':
			return markdownBlocks(text);
		case 'html':
			return htmlBlocks(text);
		case 'code':
			return lineBlocks(text, 'code');
		case 'text':
			return lineBlocks(text, 'text');
	}
}

export async function readDocument(
	bytes: Uint8Array,
	kind: DocumentKind,
	onPage?: (done: number, total: number) => void
): Promise<ReadResult> {
	if (kind === 'pdf') {
		const { pdfBlocks } = await import('./extract/pdf');
		const { pages, blocks } = await pdfBlocks(bytes, onPage);
		return { pages, passages: splitBlocks(blocks) };
	}
	if (!looksLikeText(bytes.subarray(0, 4096))) throw new ReadError('unsupported');
	const passages = splitBlocks(textFormatBlocks(decodeText(bytes), kind));
	if (passages.length === 0) throw new ReadError('empty');
	return { pages: null, passages };
}
