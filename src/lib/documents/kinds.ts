// Which files Lantern reads, and how: by extension first (what people name files by), then by the
// MIME type the browser reported, then by looking at the bytes (text is text, whatever its name).
import type { DocumentKind } from './types';

const BY_EXTENSION: Record<string, DocumentKind> = {
	pdf: 'pdf',
	md: 'markdown',
	markdown: 'markdown',
	mdx: 'markdown',
	html: 'html',
	htm: 'html',
	xhtml: 'html',
	txt: 'text',
	text: 'text',
	log: 'text',
	csv: 'text',
	tsv: 'text',
	rst: 'text',
	adoc: 'text',
	tex: 'text'
};

/** Source code and configuration: read as text, split on blank lines, never on sentences. */
const CODE = new Set(
	(
		'js mjs cjs jsx ts tsx svelte vue py rb go rs java kt kts scala swift c h cc cpp cxx hpp cs ' +
		'fs php pl lua r jl dart ex exs erl hs ml clj sh bash zsh fish ps1 bat sql graphql proto ' +
		'css scss less json jsonc yaml yml toml ini cfg conf xml gradle cmake make mk dockerfile tf'
	).split(' ')
);

/** The file types the pickers offer (others can still be dropped, and are read if they are text). */
export const ACCEPTED_FILES = [
	'.pdf',
	'.md',
	'.markdown',
	'.html',
	'.htm',
	'.txt',
	'.csv',
	...[...CODE].map((ext) => `.${ext}`),
	'text/*',
	'application/pdf'
].join(',');

export function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : name.toLowerCase();
}

/** The kind named by the file's extension or MIME type; null when neither says. */
export function kindFromName(name: string, type: string): DocumentKind | null {
	const ext = extensionOf(name);
	const byExt = BY_EXTENSION[ext] ?? (CODE.has(ext) ? 'code' : undefined);
	if (byExt) return byExt;
	if (type === 'application/pdf') return 'pdf';
	if (type === 'text/markdown') return 'markdown';
	if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
	if (type.startsWith('text/')) return 'text';
	return null;
}

/**
 * Whether these first bytes look like text: no NUL byte (every binary format has them early,
 * UTF-8 and legacy 8-bit text never do), unless a UTF-16 byte-order mark says why.
 */
export function looksLikeText(head: Uint8Array): boolean {
	if (head[0] === 0xff && head[1] === 0xfe) return true;
	if (head[0] === 0xfe && head[1] === 0xff) return true;
	return !head.includes(0);
}

/** Bytes as text: UTF-16 when its byte-order mark says so, else UTF-8 (invalid bytes become �). */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
	return new TextDecoder('utf-8').decode(bytes);
}
