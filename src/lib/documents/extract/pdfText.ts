// A PDF page's text as paragraphs, from pdf.js's text items (pure, so it is tested without pdf.js).
// Lines are rebuilt from the items (each says whether a line ends after it); a paragraph ends at an
// empty line or where the gap to the next line is clearly larger than the line height. Every block
// keeps its page.
import type { Block } from '../types';

/** The part of pdf.js's TextItem read here. */
export interface TextItemLike {
	str: string;
	hasEOL: boolean;
	/** [a, b, c, d, x, y]: y is the baseline, from the bottom of the page. */
	transform: number[];
	height: number;
}

/** A gap this many line heights between two lines starts a new paragraph. */
const PARAGRAPH_GAP = 1.6;

/** One page's text items as paragraphs. */
export function pageBlocks(items: readonly TextItemLike[], page: number): Block[] {
	const lines: Array<{ text: string; y: number; height: number }> = [];
	let text = '';
	let y: number | null = null;
	let height = 0;
	for (const item of items) {
		y ??= item.transform[5] ?? 0;
		height = Math.max(height, item.height);
		text += item.str;
		if (item.hasEOL) {
			lines.push({ text, y, height });
			text = '';
			y = null;
			height = 0;
		}
	}
	if (text || y !== null) lines.push({ text, y: y ?? 0, height });

	const blocks: Block[] = [];
	let paragraph: string[] = [];
	const flush = () => {
		const body = joinLines(paragraph);
		paragraph = [];
		if (body) blocks.push({ kind: 'text', text: body, page, line: null });
	};
	lines.forEach((line, i) => {
		const previous = lines[i - 1];
		const gap = previous ? previous.y - line.y : 0;
		const lineHeight = Math.max(previous?.height ?? 0, line.height, 1);
		if (!line.text.trim() || (previous && Math.abs(gap) > lineHeight * PARAGRAPH_GAP)) flush();
		if (line.text.trim()) paragraph.push(line.text.trim());
	});
	flush();
	return blocks;
}

/** Lines of one paragraph as running text; a word hyphenated across a line break is joined. */
function joinLines(lines: readonly string[]): string {
	let out = '';
	for (const line of lines) {
		if (!out) out = line;
		else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
		else out += ` ${line}`;
	}
	return out.replace(/\s+/g, ' ').trim();
}
