// A conversation's automatic title: the start of its first user message.
import { DEFAULT_TITLE } from '$lib/storage/types';
import { text } from '$lib/strings';

export const TITLE_MAX_LENGTH = 48;

/**
 * Whether `text` shows anything: not only whitespace and invisible format characters (zero-width
 * spaces and joiners, bidi controls such as U+202E). A title made of those would be an empty row.
 */
export function hasVisibleText(text: string): boolean {
	return /[^\s\p{Cf}]/u.test(text);
}

/**
 * The first line of `text` that shows something, whitespace collapsed, cut to at most `max`
 * characters (graphemes) (ellipsis included) on a word boundary when there is one in the last third. '' when no
 * line shows anything (the caller keeps its default title). Reads only what it needs, so a 1 MB
 * message costs no more than a short one.
 */
export function titleFrom(text: string, max = TITLE_MAX_LENGTH): string {
	let line = '';
	for (let start = 0; start <= text.length;) {
		const end = text.indexOf('\n', start);
		const raw = text.slice(start, end < 0 ? text.length : end);
		if (hasVisibleText(raw)) {
			// Enough characters for any title, even after whitespace is collapsed.
			line = raw
				.trimStart()
				.slice(0, max * 8)
				.replace(/[\uD800-\uDBFF]$/, '')
				.replace(/\s+/g, ' ')
				.trim();
			break;
		}
		if (end < 0) break;
		start = end + 1;
	}
	// Markdown a user might type at the start of a message (a heading, a quote, a list bullet).
	const plain = line.replace(/^(?:#{1,6}|>|[-*+]|\d+[.)])\s+/, '');
	if (!hasVisibleText(plain)) return '';
	// Whole graphemes, so that a cut never splits an emoji sequence (👩🏽‍⚕️ is five code points).
	const chars = Array.from(new Intl.Segmenter().segment(plain), (s) => s.segment);
	if (chars.length <= max) return plain;
	const cut = chars.slice(0, max - 1).join('');
	const space = cut.lastIndexOf(' ');
	const head = space >= (max * 2) / 3 ? cut.slice(0, space) : cut;
	return head.replace(/[\s.,;:!?-]+$/, '') + '…';
}

/**
 * A title as the reader sees it: a conversation not named yet is stored as `DEFAULT_TITLE` (in
 * English, the same on every device and in backups) and shown in the reader's language.
 */
export function shownTitle(title: string): string {
	return title === DEFAULT_TITLE ? text.conversations.untitled : title;
}
