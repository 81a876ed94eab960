// The last line of defence between model output and the page. markdown.ts already escapes raw
// HTML and drops unsafe links, but a model's output is untrusted text (it can be steered by a
// pasted document), so whatever HTML comes out of Markdown rendering is sanitised with DOMPurify
// before it reaches the DOM. Remote resources are refused too (no img, media or srcset): an image
// URL the model wrote could carry the conversation to someone else's server.
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
		'math',
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
	ALLOWED_URI_REGEXP: ALLOWED_ATTRIBUTE_VALUE,
	ALLOW_UNKNOWN_PROTOCOLS: false
} satisfies Config;

/** A sanitiser bound to a window (the page's, or a test DOM's). */
export function createSanitizer(window: Window & typeof globalThis): Sanitize {
	const purify = DOMPurify(window);
	purify.addHook('afterSanitizeAttributes', (node) => {
		if (!(node instanceof window.Element)) return;
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
