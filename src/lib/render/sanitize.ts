// The last line of defence between model output and the page. markdown.ts already escapes raw
// HTML and drops unsafe links, but a model's output is untrusted text (it can be steered by a
// pasted document), so whatever HTML comes out of Markdown rendering is sanitised with DOMPurify
// before it reaches the DOM. Remote resources are refused too (no img, media or srcset): an image
// URL the model wrote could carry the conversation to someone else's server.
//
// Math is the one exception to "no foreign markup": the MathML that KaTeX writes for math in an
// answer (katex.ts) is kept, and only that: the elements and attributes it emits (MATHML_TAGS,
// MATHML_ATTRIBUTES, checked against KaTeX's output in tests/unit/render/sanitize.test.ts), with
// MathML attributes only on MathML elements and nothing else on them (no href, no style, no
// handler). Raw `<math>` that a model writes never gets here as markup: markdown.ts shows raw
// HTML as text.
import DOMPurify, { type Config } from 'dompurify';

export type Sanitize = (html: string) => string;

/** Only these link targets survive: web pages and mail addresses. */
export const SAFE_URL = /^(?:https?:|mailto:)/i;

/**
 * DOMPurify tests every attribute value that is not plain text (anything but class, title, alt ...)
 * against this: `type="button"` and `align="left"` must pass, a scheme other
 * than http, https or mailto must not. It is DOMPurify's default rule with fewer schemes. It still
 * lets relative URLs through, so the hook below checks link targets against SAFE_URL itself.
 */
export const ALLOWED_ATTRIBUTE_VALUE = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.:-]|$))/i;

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];

const MATHML_NAMESPACE = 'http://www.w3.org/1998/Math/MathML';

/**
 * The MathML elements KaTeX writes (its `MathNode` types), less those it writes only for what
 * `trust: false` refuses (`mglyph`, for \includegraphics) and those browsers ignore.
 */
export const MATHML_TAGS = [
	'math',
	'semantics',
	'annotation',
	'mrow',
	'mi',
	'mn',
	'mo',
	'mtext',
	'mspace',
	'msub',
	'msup',
	'msubsup',
	'mfrac',
	'msqrt',
	'mroot',
	'mover',
	'munder',
	'munderover',
	'mtable',
	'mtr',
	'mtd',
	'mstyle',
	'mpadded',
	'mphantom',
	'menclose'
];

/** The attributes KaTeX puts on them (never `style`: CSP forbids it, and DOMPurify drops it). */
export const MATHML_ATTRIBUTES = [
	'accent',
	'accentunder',
	'columnalign',
	'columnlines',
	'columnspacing',
	'depth',
	'display',
	'displaystyle',
	'encoding',
	'fence',
	'height',
	'largeop',
	'linebreak',
	'linethickness',
	'lspace',
	'mathbackground',
	'mathcolor',
	'mathsize',
	'mathvariant',
	'maxsize',
	'minsize',
	'notation',
	'rowlines',
	'rowspacing',
	'rspace',
	'scriptlevel',
	'separator',
	'stretchy',
	'voffset',
	'width'
];

const mathmlAttribute = new Set(MATHML_ATTRIBUTES);
/** Attributes a MathML element may carry besides its own: KaTeX's class names (for \tag). */
const ON_MATHML_TOO = new Set(['class']);
/** MathML's attributes that HTML elements have too (and keep, as before math was allowed). */
const HTML_TOO = new Set(['width', 'height']);

export const SANITIZE_CONFIG = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: [
		'style',
		'iframe',
		'frame',
		'frameset',
		'form',
		'object',
		'embed',
		'svg',
		'mglyph',
		'maction',
		'annotation-xml',
		'img',
		'picture',
		'video',
		'audio',
		'source',
		'track',
		'link',
		'meta',
		'base',
		'textarea',
		'select',
		'template',
		'dialog'
	],
	FORBID_ATTR: ['style', 'srcset', 'ping', 'formaction', 'action', 'background', 'poster'],
	// Event handlers (on*) are never allowed by DOMPurify, and no data-* attribute is needed.
	ALLOW_DATA_ATTR: false,
	ADD_TAGS: MATHML_TAGS,
	ADD_ATTR: MATHML_ATTRIBUTES,
	ALLOWED_URI_REGEXP: ALLOWED_ATTRIBUTE_VALUE,
	ALLOW_UNKNOWN_PROTOCOLS: false
} satisfies Config;

/** A sanitiser bound to a window (the page's, or a test DOM's). */
export function createSanitizer(window: Window & typeof globalThis): Sanitize {
	const purify = DOMPurify(window);
	purify.addHook('afterSanitizeAttributes', (node) => {
		if (!(node instanceof window.Element)) return;
		const mathml = node.namespaceURI === MATHML_NAMESPACE;
		for (const { name } of [...node.attributes]) {
			const keep = mathml
				? mathmlAttribute.has(name) || ON_MATHML_TOO.has(name)
				: !mathmlAttribute.has(name) || HTML_TOO.has(name);
			if (!keep) node.removeAttribute(name);
		}
		if (mathml) return;
		for (const name of URL_ATTRIBUTES) {
			const value = node.getAttribute(name);
			if (value !== null && !SAFE_URL.test(value.trim())) node.removeAttribute(name);
		}
		if (node.nodeName !== 'A') return;
		// Links open in a new tab and tell the target nothing about Lantern.
		if (node.hasAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		} else {
			node.removeAttribute('target');
		}
	});
	return (html) => purify.sanitize(html, SANITIZE_CONFIG);
}
