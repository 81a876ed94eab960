// Model output to safe HTML.
//
// Safety comes in two layers. Here, while rendering Markdown: raw HTML in the text is shown as
// text (never interpreted), links survive only with an http(s) or mailto target, and images become
// plain links (loading them would send a request the user did not ask for). Then the injected
// `sanitize` (DOMPurify in the browser, see sanitize.ts) cleans whatever HTML came out.
//
// Speed: the last message is rendered again on every token. `MarkdownRenderer` splits the text into
// top-level blocks; every block but the last is finished (appending text cannot change it), so its
// HTML is cached by its text and only the trailing block is rendered again. An unfinished code fence
// is simply a code block running to the end of the text, and unfinished display math a block
// running to the end (markdownMath.ts). (One thing per-block rendering loses: reference-style
// links whose definition sits in another block. Models rarely write them.)
import { Marked, type Tokens } from 'marked';
import type { Highlighter } from './highlight';
import { escapeHtml } from './escape';
import type { MathRenderer } from './katex';
import { mathBlocks, mathMarkdown } from './markdownMath';
import type { Sanitize } from './sanitize';

export { escapeHtml };

export interface RenderOptions {
	sanitize: Sanitize;
	/** Syntax highlighting; without it (or before a language loads) code shows plain. */
	highlighter?: Highlighter;
	/** The copy button's label. */
	copyLabel?: string;
	/** Typesets math (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`, see math.ts); without it, math shows as its source. */
	math?: MathRenderer;
}

const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	colon: ':',
	tab: '\t',
	newline: '\n',
	lpar: '(',
	rpar: ')',
	sol: '/',
	period: '.',
	nbsp: '\u00a0'
};

/** Decodes the character references a browser would decode in an attribute. */
function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
		if (ref[0] === '#') {
			const code =
				ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
		}
		return NAMED[ref.toLowerCase()] ?? whole;
	});
}

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The link target as the browser would read it, if it is a web or mail address; otherwise null.
 * Relative links are refused too: in Lantern they would lead into the app itself.
 */
export function safeHref(href: string): string | null {
	let url: URL;
	try {
		url = new URL(decodeEntities(href).trim());
	} catch {
		return null;
	}
	return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** Fence info strings become a class name; anything unusual is dropped. */
function langClass(lang: string): string {
	const name = lang.trim().split(/\s+/)[0] ?? '';
	return /^[\w+#.-]{1,32}$/.test(name) ? name : '';
}

interface RenderState {
	highlighter: Highlighter | undefined;
	copyLabel: string;
	math: MathRenderer | undefined;
}

function createMarked(state: RenderState): Marked {
	const marked = new Marked({
		gfm: true,
		renderer: {
			html({ text, block }: Tokens.HTML | Tokens.Tag) {
				return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
			},
			link({ href, title, tokens }) {
				const inner = this.parser.parseInline(tokens);
				const url = safeHref(href);
				if (!url) return inner;
				const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
				return `<a href="${escapeHtml(url)}"${titleAttr} target="_blank" rel="noopener noreferrer">${inner}</a>`;
			},
			image({ href, text }) {
				const url = safeHref(href);
				const label = escapeHtml(text || href);
				if (!url) return label;
				return `<a class="image-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
			},
			code({ text, lang }) {
				const name = langClass(lang ?? '');
				const highlighted = name ? state.highlighter?.highlight(text, name) : null;
				const body = highlighted ?? escapeHtml(text);
				const codeClass = name ? `hljs language-${name}` : 'hljs';
				return (
					`<div class="code-block"><div class="code-header">` +
					`<span class="code-lang">${escapeHtml(name)}</span>` +
					`<button type="button" class="copy-code">${escapeHtml(state.copyLabel)}</button>` +
					`</div><pre><code class="${codeClass}">${body}</code></pre></div>\n`
				);
			}
		}
	});
	return marked.use(mathMarkdown((tex, display) => state.math?.render(tex, display) ?? null));
}

const lexer = new Marked({ gfm: true }).use(mathBlocks);

/**
 * The tail is only the start of a line that may still turn out to continue the block before it: a
 * list marker without its text yet ("2", "-"), or indentation (a list item's continuation, indented
 * code). Once the line has text after that, the lexer's verdict on it is final.
 */
const MAY_CONTINUE = /^[ \t]*(?:[-*+]|\d{1,9}[.)]?)?$/;

/**
 * Splits Markdown into top-level blocks (paragraph, list, code block, table ...), each with the
 * blank lines after it. `done` blocks cannot change as text is appended; `tail` (the last block,
 * sometimes the last two) still can. Joined, they give back the text (line endings normalised).
 */
export function splitBlocks(markdown: string): { done: string[]; tail: string } {
	const blocks: string[] = [];
	for (const token of lexer.lexer(markdown)) {
		if (token.type === 'space' && blocks.length > 0) blocks[blocks.length - 1] += token.raw;
		else blocks.push(token.raw);
	}
	let tail = blocks.pop() ?? '';
	if (blocks.length > 0 && MAY_CONTINUE.test(tail)) tail = (blocks.pop() ?? '') + tail;
	return { done: blocks, tail };
}

/** Renders Markdown to sanitised HTML in one go. */
export function renderMarkdown(markdown: string, options: RenderOptions): string {
	const state: RenderState = {
		highlighter: options.highlighter,
		copyLabel: options.copyLabel ?? 'Copy',
		math: options.math
	};
	return options.sanitize(createMarked(state).parse(markdown, { async: false }));
}

/**
 * Renders Markdown block by block with a cache, for text that grows (a streaming answer) or is
 * rendered again unchanged (a conversation shown again). One renderer can serve every message.
 */
export class MarkdownRenderer {
	#state: RenderState;
	#marked: Marked;
	#sanitize: Sanitize;
	#cache = new Map<string, string>();
	#cacheSize: number;

	constructor(options: RenderOptions, cacheSize = 1000) {
		this.#state = {
			highlighter: options.highlighter,
			copyLabel: options.copyLabel ?? 'Copy',
			math: options.math
		};
		this.#marked = createMarked(this.#state);
		this.#sanitize = options.sanitize;
		this.#cacheSize = cacheSize;
	}

	#renderBlock(raw: string): string {
		return this.#sanitize(this.#marked.parse(raw, { async: false }));
	}

	#cached(raw: string): string {
		// Highlighting or math that became available makes earlier HTML stale.
		const key = `${this.version}:${raw}`;
		const hit = this.#cache.get(key);
		if (hit) {
			// Refresh its place in the eviction order.
			this.#cache.delete(key);
			this.#cache.set(key, hit);
			return hit;
		}
		const block = this.#renderBlock(raw);
		this.#cache.set(key, block);
		if (this.#cache.size > this.#cacheSize) {
			const oldest = this.#cache.keys().next();
			if (!oldest.done) this.#cache.delete(oldest.value);
		}
		return block;
	}

	/** Changes when highlighting or math improves, i.e. when HTML rendered before is stale. */
	get version(): number {
		return (this.#state.highlighter?.version ?? 0) + (this.#state.math?.version ?? 0);
	}

	/**
	 * One finished top-level block (from `splitBlocks`), cached by its text. A code block's copy
	 * button finds its code through the DOM (render/copyCode.ts), so blocks need no numbering.
	 */
	block(raw: string): string {
		return this.#cached(raw);
	}

	/** The unfinished trailing block of a streaming text: rendered every time, never cached. */
	tail(raw: string): string {
		return this.#renderBlock(raw);
	}
}
