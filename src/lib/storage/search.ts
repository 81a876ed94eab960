// Finding text in conversations: plain case-insensitive substring matching, which is what people
// expect from a history search box. The rule and the hit's shape; the in-memory index that applies
// them to the whole history is chat/searchIndex.ts.

/** One conversation that matched, with the first place it matched. */
export interface SearchHit {
	conversationId: string;
	/** Where the first match is: the title, or the message `messageId`. */
	in: 'title' | 'message';
	messageId?: string;
	/** The text around the match, on one line, with '…' where it was cut. */
	snippet: string;
	/** Offset and length of the match within `snippet`, for highlighting. */
	match: { start: number; length: number };
}

/** Lowercases for matching. `toLowerCase` keeps the length for nearly all text, so offsets map back. */
export function normalizeQuery(query: string): string {
	return query.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The text around the first occurrence of `needle` (already normalized), or null if absent.
 * `radius` characters are kept on each side.
 */
export function snippet(
	haystack: string,
	needle: string,
	radius = 40
): { snippet: string; match: { start: number; length: number } } | null {
	if (!needle) return null;
	const flat = haystack.replace(/\s+/g, ' ');
	const at = flat.toLowerCase().indexOf(needle);
	if (at < 0) return null;
	let start = Math.max(0, at - radius);
	let end = Math.min(flat.length, at + needle.length + radius);
	// Cut on word boundaries when one is near.
	if (start > 0) {
		const space = flat.indexOf(' ', start);
		if (space >= 0 && space < at) start = space + 1;
	}
	if (end < flat.length) {
		const space = flat.lastIndexOf(' ', end);
		if (space > at + needle.length) end = space;
	}
	// Never cut an emoji (or any character outside the BMP) in half: half of one shows as �.
	if (/[\uDC00-\uDFFF]/.test(flat[start] ?? '')) start--;
	if (/[\uD800-\uDBFF]/.test(flat[end - 1] ?? '')) end++;
	const prefix = start > 0 ? '…' : '';
	const suffix = end < flat.length ? '…' : '';
	return {
		snippet: prefix + flat.slice(start, end) + suffix,
		match: { start: prefix.length + at - start, length: needle.length }
	};
}
