// Math typesetting with KaTeX, in the chunk that brings KaTeX (about 75 KB gzip): katex.ts loads
// it the first time an answer holds math, and the service worker precaches it for offline use.
//
// KaTeX writes MathML only (`output: 'mathml'`): the browser typesets it with no stylesheet, no
// font and no `style` attribute, so the Content-Security-Policy stays as it is (KaTeX's HTML
// output would need inline styles on every glyph). The options refuse what a model's text must
// not do: `trust: false` turns \href, \url, \includegraphics and \htmlClass/\htmlStyle into plain
// red text; `maxExpand` stops macro bombs (`\def\a{\a\a}\a`); `maxSize` keeps \rule and \kern
// within a few lines' size (in em); `throwOnError` makes a formula KaTeX cannot read come back as
// its source. `strict: 'ignore'` accepts the non-standard TeX that models often write (Unicode
// letters in math) without console noise; it guards nothing that `trust` does not. sanitize.ts
// keeps exactly the MathML elements and attributes this writes.
import katex, { type KatexOptions } from 'katex';

export const KATEX_OPTIONS = {
	output: 'mathml',
	throwOnError: true,
	trust: false,
	strict: 'ignore',
	maxExpand: 500,
	maxSize: 10
} as const satisfies KatexOptions;

/** MathML's token elements: the HTML parser reads any element inside one of them as HTML. */
const TOKEN_ELEMENTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext']);

/**
 * KaTeX's MathML, made to survive the HTML parser. For a few commands (\stackrel, \overset on an
 * operator, \mathop, \operatorname with limits) KaTeX nests elements inside a token element
 * (`<mo><mover>…</mover></mo>`). Built as DOM nodes that is fine, but parsed from a string (as
 * every answer is) the inner elements become unknown HTML elements, which the sanitiser rightly
 * removes, and the math would lose them. Such a token element becomes an `mrow`, which may hold
 * elements. KaTeX's markup is well-formed and escapes `<` and `>` in text and attributes, so its
 * tags can be read with a regular expression.
 */
export function parseableMathml(markup: string): string {
	const parts = markup.split(/(<\/?[a-z]+(?:\s[^>]*)?>)/);
	const open: { name: string; at: number; holdsElements: boolean }[] = [];
	for (let i = 1; i < parts.length; i += 2) {
		const tag = /^<(\/?)([a-z]+)/.exec(parts[i] ?? '');
		if (!tag) continue;
		const [, closing, name = ''] = tag;
		if (!closing) {
			const parent = open.at(-1);
			if (parent) parent.holdsElements = true;
			open.push({ name, at: i, holdsElements: false });
			continue;
		}
		const element = open.pop();
		if (!element || element.name !== name) return markup;
		if (element.holdsElements && TOKEN_ELEMENTS.has(name)) {
			parts[element.at] = `<mrow${(parts[element.at] ?? '').slice(name.length + 1)}`;
			parts[i] = '</mrow>';
		}
	}
	return parts.join('');
}

function render(tex: string, display: boolean): string | null {
	try {
		return parseableMathml(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display }));
	} catch {
		// A ParseError (TeX it cannot read) or a limit reached.
		return null;
	}
}

/** Finished formulas, by display mode and source: a streaming answer asks for the same ones again. */
const cache = new Map<string, string | null>();
const CACHE_SIZE = 500;

/** MathML for `tex`, or null if KaTeX cannot read it (or it reaches a limit): show the source. */
export function typeset(tex: string, display: boolean): string | null {
	const key = `${display ? 'D' : 'I'}${tex}`;
	const hit = cache.get(key);
	if (hit !== undefined) return hit;
	const html = render(tex, display);
	cache.set(key, html);
	if (cache.size > CACHE_SIZE) {
		const oldest = cache.keys().next();
		if (!oldest.done) cache.delete(oldest.value);
	}
	return html;
}
