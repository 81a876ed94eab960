// From a document's blocks to passages: the unit that is embedded, retrieved and cited.
//
// Structure first. A heading ends the passage before it and becomes part of the heading path of
// the passages under it; a passage never spans two PDF pages (a citation names one page); whole
// blocks (paragraphs, lists, tables, code blocks) are gathered into a passage until the next one
// would pass TARGET tokens. A short passage may take one more block up to MAX rather than leave a
// scrap behind.
//
// A block longer than MAX is cut: prose on sentence ends, code, lists and tables on line ends (a
// statement or a row is never halved; a single unit longer than MAX is cut at a space). Only there
// do passages overlap: each piece after the first starts with the last sentences or lines of the
// piece before, up to OVERLAP tokens, so a fact that straddles the cut is whole in one of them.
// Whole blocks need no overlap: a paragraph or heading boundary is where a topic ends, and the
// heading path carries the context.
//
// Sizes: 200 tokens (about 800 characters, 150 words) is large enough to hold a fact with its
// context and small enough that several fit a small model's window next to the conversation; it
// also stays well within the 512 tokens an embedding model such as snowflake-arctic-embed reads.
import { estimateTokens, type TokenEstimator } from '$lib/text/tokens';
import type { Block, PassageDraft } from './types';

export interface SplitOptions {
	targetTokens: number;
	maxTokens: number;
	overlapTokens: number;
	/** A passage shorter than this takes one more block, up to maxTokens. */
	minTokens: number;
	estimate: TokenEstimator;
}

export const SPLIT: SplitOptions = {
	targetTokens: 200,
	maxTokens: 300,
	overlapTokens: 40,
	minTokens: 60,
	estimate: estimateTokens
};

interface Open {
	parts: string[];
	tokens: number;
	page: number | null;
	line: number | null;
	headings: string[];
}

export function splitBlocks(
	blocks: readonly Block[],
	options: SplitOptions = SPLIT
): PassageDraft[] {
	const { targetTokens, maxTokens, minTokens, estimate } = options;
	const passages: PassageDraft[] = [];
	const path: Array<{ depth: number; text: string }> = [];
	// In an object: the compiler does not follow assignments made inside `flush`.
	const state: { open: Open | null } = { open: null };

	const headings = () => path.map((h) => h.text);
	const flush = () => {
		const open = state.open;
		if (open?.parts.length) {
			passages.push({
				text: open.parts.join('\n\n'),
				page: open.page,
				headings: open.headings,
				line: open.line
			});
		}
		state.open = null;
	};

	for (const block of blocks) {
		if (block.kind === 'heading') {
			flush();
			const depth = block.depth ?? 1;
			while ((path.at(-1)?.depth ?? 0) >= depth) path.pop();
			path.push({ depth, text: block.text });
			continue;
		}
		if (state.open && state.open.page !== block.page) flush();
		const cost = estimate(block.text);
		if (cost > maxTokens) {
			flush();
			for (const piece of cutBlock(block, options)) {
				passages.push({ ...piece, page: block.page, headings: headings() });
			}
			continue;
		}
		if (state.open) {
			const { tokens } = state.open;
			const fits = tokens + cost <= targetTokens;
			const scrap = tokens < minTokens && tokens + cost <= maxTokens;
			if (!fits && !scrap) flush();
		}
		const open = (state.open ??= {
			parts: [],
			tokens: 0,
			page: block.page,
			line: block.line,
			headings: headings()
		});
		open.parts.push(block.text);
		open.tokens += cost;
	}
	flush();
	return passages;
}

interface Unit {
	text: string;
	/** Offset of the unit in the block's text. */
	at: number;
}

/** A long block as pieces of about TARGET tokens, overlapping by up to OVERLAP tokens. */
export function cutBlock(
	block: Block,
	options: SplitOptions = SPLIT
): Array<{ text: string; line: number | null }> {
	const { targetTokens, overlapTokens, estimate } = options;
	const byLine = block.kind !== 'text';
	const units = splitUnits(block.text, byLine).flatMap((u) => hardCut(u, targetTokens, estimate));
	const joiner = byLine ? '\n' : ' ';
	const pieces: Array<{ text: string; line: number | null }> = [];
	let start = 0;
	while (start < units.length) {
		let end = start;
		let tokens = 0;
		while (end < units.length) {
			const cost = estimate((units[end] as Unit).text);
			if (end > start && tokens + cost > targetTokens) break;
			tokens += cost;
			end++;
		}
		const taken = units.slice(start, end);
		const first = taken[0] as Unit;
		pieces.push({
			text: taken.map((u) => u.text).join(joiner),
			line: block.line === null ? null : block.line + countNewlines(block.text, first.at)
		});
		if (end >= units.length) break;
		// The next piece starts with the tail of this one, as much as fits the overlap.
		let back = end;
		let overlap = 0;
		while (back - 1 > start) {
			const cost = estimate((units[back - 1] as Unit).text);
			if (overlap + cost > overlapTokens) break;
			overlap += cost;
			back--;
		}
		start = back;
	}
	return pieces;
}

function countNewlines(text: string, upTo: number): number {
	let n = 0;
	for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) n++;
	return n;
}

/** Sentences (prose) or lines (code, lists, tables), with their offsets. */
function splitUnits(text: string, byLine: boolean): Unit[] {
	const pattern = byLine ? /[^\n]+/g : /[^.!?。！？\n]+(?:[.!?。！？]+["'”’)\]]*|\n|$)/g;
	const units: Unit[] = [];
	for (const match of text.matchAll(pattern)) {
		const piece = byLine ? match[0].replace(/\s+$/, '') : match[0].trim();
		if (piece) units.push({ text: piece, at: match.index });
	}
	return units;
}

/** A unit longer than the target (a line with no end, a sentence of a thousand words) cut at spaces. */
function hardCut(unit: Unit, targetTokens: number, estimate: TokenEstimator): Unit[] {
	if (estimate(unit.text) <= targetTokens) return [unit];
	const out: Unit[] = [];
	let rest = unit.text;
	let at = unit.at;
	const size = targetTokens * 4;
	while (rest.length > size) {
		let cut = rest.lastIndexOf(' ', size);
		if (cut < size / 2) cut = size;
		out.push({ text: rest.slice(0, cut), at });
		at += cut;
		rest = rest.slice(cut).trimStart();
	}
	if (rest) out.push({ text: rest, at });
	return out;
}
