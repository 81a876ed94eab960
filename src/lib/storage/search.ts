// Finding text in conversations, the way a history search box is expected to: case-insensitive,
// across line breaks, at the start of a word ("pot" finds "potassium"), in any script (searchTerms.ts
// says what a word is; in Chinese or Japanese every character starts one). The rule and the hit's
// shape; the stored index that finds the conversations to check is searchIndex.ts.
import { fold, termSpans } from './searchTerms';

/** One conversation that matched, with the first place it matched. */
export interface SearchHit {
	conversationId: string;
	/** Where the first match is: the title, or the message `messageId`. */
	in: 'title' | 'message';
	messageId?: string;
	/** The text around the match, on one line, with '…' where it was cut. */
	snippet: string;
	/** Offset and length of the match within `snippet`, for highlighting (length 0: none). */
	match: { start: number; length: number };
	/**
	 * Found by meaning (search by meaning is on, and the conversation's words did not match):
	 * the snippet is the start of its closest message.
	 */
	byMeaning?: true;
}

/** The query as text is compared: folded (searchTerms.ts), trimmed, whitespace collapsed. */
export function normalizeQuery(query: string): string {
	return fold(query).trim().replace(/\s+/g, ' ');
}

/** Text with its whitespace collapsed, as snippets show it and matches are found in it. */
export function flatten(text: string): string {
	return text.replace(/\s+/g, ' ');
}

/**
 * Where `needle` (normalized) first occurs in `folded` (flattened and folded text) at the start of
 * a word, or -1. An occurrence inside a word ("ell" in "hello") does not count.
 */
export function findMatch(folded: string, needle: string): number {
	if (!needle) return -1;
	let at = folded.indexOf(needle);
	if (at < 0) return -1;
	// Word starts are only worked out for texts that contain the needle at all.
	const spans = termSpans(folded);
	let i = 0;
	while (at >= 0) {
		while (i < spans.length && (spans[i]?.start ?? 0) + (spans[i]?.term.length ?? 0) <= at) i++;
		const span = spans[i];
		if (!span || span.start >= at) return at;
		at = folded.indexOf(needle, at + 1);
	}
	return -1;
}

/** Whether `text` contains `needle` (normalized) at the start of a word. */
export function matches(text: string, needle: string): boolean {
	return findMatch(fold(flatten(text)), needle) >= 0;
}

/**
 * The text around the first match of `needle` (normalized), or null if it does not match.
 * `radius` characters are kept on each side.
 */
export function snippet(
	haystack: string,
	needle: string,
	radius = 40
): { snippet: string; match: { start: number; length: number } } | null {
	if (!needle) return null;
	const composed = flatten(haystack).normalize('NFC');
	const lower = composed.toLowerCase();
	// Lowercasing keeps the length of nearly all text, so offsets map back; where it does not
	// (a dotted capital I, for one), the snippet is shown lowercased.
	const flat = lower.length === composed.length ? composed : lower;
	const at = findMatch(lower, needle);
	if (at < 0) return null;
	return cut(flat, at, needle.length, radius);
}

/** The start of a text, for a hit found by meaning (nothing to highlight). */
export function opening(
	text: string,
	length = 90
): { snippet: string; match: { start: number; length: number } } {
	const flat = flatten(text).trim();
	return { ...cut(flat, 0, 0, length), match: { start: 0, length: 0 } };
}

function cut(flat: string, at: number, length: number, radius: number) {
	let start = Math.max(0, at - radius);
	let end = Math.min(flat.length, at + length + radius);
	// Cut on word boundaries when one is near.
	if (start > 0) {
		const space = flat.indexOf(' ', start);
		if (space >= 0 && space < at) start = space + 1;
	}
	if (end < flat.length) {
		const space = flat.lastIndexOf(' ', end);
		if (space > at + length) end = space;
	}
	// Never cut an emoji (or any character outside the BMP) in half: half of one shows as �.
	if (/[\uDC00-\uDFFF]/.test(flat[start] ?? '')) start--;
	if (/[\uD800-\uDBFF]/.test(flat[end - 1] ?? '')) end++;
	const prefix = start > 0 ? '…' : '';
	const suffix = end < flat.length ? '…' : '';
	return {
		snippet: prefix + flat.slice(start, end) + suffix,
		match: { start: prefix.length + at - start, length }
	};
}
