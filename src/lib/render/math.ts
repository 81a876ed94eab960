// Where math is in model text: the delimiters `$…$`, `$$…$$`, `\(…\)` and `\[…\]`, by rules close
// to pandoc's, so that prices and shell variables stay text. Pure functions on strings; the Markdown
// extension that uses them is markdownMath.ts, and KaTeX (katex.ts) renders what they find.
//
// - `$…$` is math when the opening `$` is followed by a non-space and the next unescaped `$`
//   is preceded by a non-space and not followed by a digit: "$5 and $10" is text, "$x_1$" math.
//   A `$` pairs with the next one only, so a line of prices costs one scan.
// - `$$…$$`, `\(…\)`, `\[…\]` need their closer; `$$` and `\[` are display math.
// - Inside math a backslash escapes the next character (`\$` is a dollar sign in TeX too).
// - A backtick ends the search: a code span wins over math that would run into it.
// - Display math that starts a block (`$$` or `\[` at the start of a line) may hold blank lines,
//   which would otherwise split it into paragraphs.
// - Math with nothing in it is not math (`$$` alone, `\(\)`).

export interface MathSpan {
	/** The source, delimiters included. */
	raw: string;
	/** What KaTeX reads: the source without its delimiters. */
	tex: string;
	display: boolean;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * The index just past the closer `close` in `text` from `from`, skipping backslash escapes; -1 if
 * there is none. `$` closers (single) follow the pandoc rules; a backtick stops the search.
 */
function findCloser(text: string, from: number, close: string, stopAtBlankLine: boolean): number {
	for (let i = from; i < text.length; i++) {
		const c = text[i];
		if (c === '`') return -1;
		if (stopAtBlankLine && c === '\n' && /^\n[ \t]*\n/.test(text.slice(i, i + 64))) return -1;
		if (c === '\\') {
			if (close[0] === '\\' && text.startsWith(close, i)) return i + close.length;
			i++;
			continue;
		}
		if (close === '$' && c === '$') {
			const valid = !isSpace(text[i - 1]) && !isDigit(text[i + 1]);
			return valid ? i + 1 : -1;
		}
		if (close === '$$' && c === '$' && text[i + 1] === '$') return i + 2;
	}
	return -1;
}

function span(raw: string, open: string, close: string, display: boolean): MathSpan | null {
	const tex = raw.slice(open.length, raw.length - close.length);
	return tex.trim() ? { raw, tex, display } : null;
}

const PAIRS: Record<string, string> = { $$: '$$', '\\[': '\\]', '\\(': '\\)' };

/** Math starting at `text[at]`; `prev` is the character before it. */
function inlineMathIn(text: string, at: number, prev: string): MathSpan | null {
	const c = text[at];
	const next = text[at + 1];
	const open =
		c === '$'
			? next === '$'
				? '$$'
				: '$'
			: c === '\\' && (next === '[' || next === '(')
				? c + next
				: null;
	if (!open || (c === '$' && prev === '$')) return null;
	if (open === '$') {
		if (next === undefined || isSpace(next)) return null;
		const end = findCloser(text, at + 1, '$', true);
		return end < 0 ? null : span(text.slice(at, end), '$', '$', false);
	}
	const close = PAIRS[open] ?? '';
	const end = findCloser(text, at + open.length, close, true);
	return end < 0 ? null : span(text.slice(at, end), open, close, open !== '\\(');
}

/**
 * Math at the very start of `src` (inline text), or null. `prev` is the character before it (''
 * at the start): a `$` right after another `$` never opens math.
 */
export function inlineMathAt(src: string, prev: string): MathSpan | null {
	return inlineMathIn(src, 0, prev);
}

/** Where inline math may start in `src` (for the Markdown lexer to stop its plain text there); -1 if nowhere. */
export function inlineMathStart(src: string): number {
	return src.search(/\$|\\[([]/);
}

const BLOCK_OPEN = /^ {0,3}(\$\$(?!\$)|\\\[)/;

export interface BlockMath extends MathSpan {
	/** No closer yet: the block runs to the end of the text (only with `unclosed: true`). */
	unclosed: boolean;
}

/**
 * Display math that starts the block at the start of `src`: `$$` or `\[` opening a line, up to its
 * closer, which must end its line. With `unclosed`, an opener without a closer yet takes the rest
 * of the text (for splitting a streaming text: that block is not finished). Otherwise null.
 */
export function blockMathAt(src: string, options: { unclosed?: boolean } = {}): BlockMath | null {
	const match = BLOCK_OPEN.exec(src);
	if (!match) return null;
	const open = match[1] ?? '';
	const close = PAIRS[open] ?? '';
	const start = match[0].length;
	const end = findCloser(src, start, close, false);
	if (end < 0) {
		if (!options.unclosed) return null;
		return { raw: src, tex: src.slice(start), display: true, unclosed: true };
	}
	const rest = /^[ \t]*(?:\n|$)/.exec(src.slice(end));
	if (!rest) return null;
	const tex = src.slice(start, end - close.length);
	if (!tex.trim()) return null;
	return { raw: src.slice(0, end + rest[0].length), tex, display: true, unclosed: false };
}

/**
 * Where a display block may start in `src`, for the lexer to end a paragraph there; -1 if nowhere.
 * Only the paragraph at the start of `src` matters (it ends at a blank line), so the search stops
 * there: the lexer asks before every paragraph, and a search to the end of a long answer each
 * time would cost its length squared.
 */
export function blockMathStart(src: string): number {
	if (BLOCK_OPEN.test(src)) return 0;
	const blank = /\n[ \t]*\n/.exec(src);
	const paragraph = blank ? src.slice(0, blank.index) : src;
	const match = /\n {0,3}(?:\$\$(?!\$)|\\\[)/.exec(paragraph);
	return match ? match.index + 1 : -1;
}

/**
 * `masked` (the Markdown lexer's copy of a text, of which `src` is the end, used to find where
 * emphasis closes) with every `*`, `_` and `~` inside the math of `src` hidden: "*note $a*b$*"
 * emphasises the note and the math, and never pairs a star outside math with one inside it.
 * Code spans are skipped like the lexer skips them.
 */
export function maskMath(src: string, masked: string): string {
	const offset = masked.length - src.length;
	if (offset < 0) return masked;
	let out: string[] | null = null;
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (c === '`') {
			let n = i;
			while (src[n] === '`') n++;
			const run = src.slice(i, n);
			const close = src.indexOf(run, i + run.length);
			i = close < 0 ? i + run.length - 1 : close + run.length - 1;
			continue;
		}
		if (c !== '$' && c !== '\\') continue;
		const math = inlineMathIn(src, i, src[i - 1] ?? '');
		if (!math) {
			if (c === '\\') i++;
			continue;
		}
		out ??= masked.split('');
		for (let j = i; j < i + math.raw.length; j++) {
			const ch = src[j];
			if (ch === '*' || ch === '_' || ch === '~') out[offset + j] = 'a';
		}
		i += math.raw.length - 1;
	}
	return out ? out.join('') : masked;
}
