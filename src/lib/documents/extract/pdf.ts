// PDF text through pdf.js, loaded only when a PDF is read (this module is imported on demand by
// the documents worker, so neither the page nor a worker that only reads text ever loads it).
//
// pdf.js runs here, inside the documents worker: its parser (pdf.worker) is handed over as
// `globalThis.pdfjsWorker`, which pdf.js uses in place of spawning a worker of its own, so the
// whole PDF is parsed off the main thread with no second worker to start or precache. Text only:
// nothing is rendered, no font is loaded, and `isEvalSupported: false` keeps pdf.js from compiling
// code (the Content-Security-Policy forbids it).
import * as pdfjs from 'pdfjs-dist';
import * as pdfjsWorker from 'pdfjs-dist/build/pdf.worker.mjs';
import { ReadError } from '../errors';
import type { Block } from '../types';
import { pageBlocks, type TextItemLike } from './pdfText';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker;

function textItems(items: readonly object[]): TextItemLike[] {
	return items.filter((item): item is TextItemLike => 'str' in item && 'transform' in item);
}

export interface PdfText {
	pages: number;
	blocks: Block[];
}

export async function pdfBlocks(
	data: Uint8Array,
	onPage: (done: number, total: number) => void = () => undefined
): Promise<PdfText> {
	let document: pdfjs.PDFDocumentProxy;
	try {
		document = await pdfjs.getDocument({
			data,
			isEvalSupported: false,
			disableFontFace: true,
			useSystemFonts: false,
			isOffscreenCanvasSupported: false,
			isImageDecoderSupported: false,
			useWasm: false,
			enableXfa: false,
			verbosity: 0
		}).promise;
	} catch (error) {
		const name = error instanceof Error ? error.name : '';
		const message = error instanceof Error ? error.message : String(error);
		if (name === 'PasswordException') throw new ReadError('pdf-encrypted', message);
		throw new ReadError('pdf-corrupt', `${name}: ${message}`);
	}
	try {
		const blocks: Block[] = [];
		let failedPages = 0;
		for (let number = 1; number <= document.numPages; number++) {
			try {
				const page = await document.getPage(number);
				const content = await page.getTextContent();
				blocks.push(...pageBlocks(textItems(content.items), number));
				page.cleanup();
			} catch {
				// A damaged page does not take the rest of the document with it.
				failedPages++;
			}
			onPage(number, document.numPages);
		}
		if (failedPages === document.numPages) {
			throw new ReadError('pdf-corrupt', `none of its ${document.numPages} pages could be read`);
		}
		if (blocks.length === 0) throw new ReadError('pdf-no-text', `${document.numPages} pages`);
		return { pages: document.numPages, blocks };
	} finally {
		await document.destroy();
	}
}
