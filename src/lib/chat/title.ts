// A conversation's automatic title: the start of its first user message.

export const TITLE_MAX_LENGTH = 48;

/**
 * The first non-empty line of `text`, whitespace collapsed, cut to at most `max` characters
 * (ellipsis included) on a word boundary when there is one in the last third. '' for blank text.
 */
export function titleFrom(text: string, max = TITLE_MAX_LENGTH): string {
	const line =
		text
			.split('\n')
			.map((l) => l.replace(/\s+/g, ' ').trim())
			.find((l) => l.length > 0) ?? '';
	// Markdown a user might type at the start of a message (a heading, a quote, a list bullet).
	const plain = line.replace(/^(?:#{1,6}|>|[-*+]|\d+[.)])\s+/, '');
	const chars = Array.from(plain);
	if (chars.length <= max) return plain;
	const cut = chars.slice(0, max - 1).join('');
	const space = cut.lastIndexOf(' ');
	const head = space >= (max * 2) / 3 ? cut.slice(0, space) : cut;
	return head.replace(/[\s.,;:!?-]+$/, '') + '…';
}
