import { JSDOM } from 'jsdom';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { createMathRenderer, loadMath } from '$lib/render/katex';
import { KATEX_OPTIONS, parseableMathml } from '$lib/render/typeset';
import { renderMarkdown } from '$lib/render/markdown';
import {
	ALLOWED_ATTRIBUTE_VALUE,
	createSanitizer,
	MATHML_ATTRIBUTES,
	MATHML_TAGS,
	SAFE_URL
} from '$lib/render/sanitize';
import { hostileMath, mathCorpus } from '../../fixtures/math-corpus';
import { MATHML_ELEMENTS, unsafeInDom, xssVectors } from '../../fixtures/xss-vectors';

// The two rules DOMPurify is configured with. (The e2e suite runs the same vectors through the
// real page, in Chromium.)

describe('attribute values DOMPurify keeps', () => {
	it.each([
		'button',
		'left',
		'0',
		'12',
		'noopener noreferrer',
		'https://example.com',
		'mailto:a@b.c'
	])('keeps %s', (value) => expect(ALLOWED_ATTRIBUTE_VALUE.test(value)).toBe(true));

	it.each([
		'javascript:alert(1)',
		'JavaScript:alert(1)',
		'data:text/html,x',
		'vbscript:x',
		'tel:1'
	])('refuses %s', (value) => expect(ALLOWED_ATTRIBUTE_VALUE.test(value)).toBe(false));
});

describe('link targets the hook keeps', () => {
	it.each([
		['https://example.com', true],
		['HTTP://example.com', true],
		['mailto:a@b.c', true],
		['/relative', false],
		['#top', false],
		['javascript:alert(1)', false],
		['', false]
	])('%s → %s', (value, kept) => expect(SAFE_URL.test(value)).toBe(kept));
});

// DOMPurify on a real DOM (jsdom): what it keeps of KaTeX's MathML, and what it never lets through.

const { window } = new JSDOM('');
const sanitize = createSanitizer(window as unknown as Window & typeof globalThis);

/** Every element of an HTML fragment as `tag[attr=value,…]`, in document order. */
function shape(html: string, drop: readonly string[] = []): string[] {
	const template = window.document.createElement('template');
	template.innerHTML = html;
	return [...template.content.querySelectorAll('*')].map((el) => {
		const attrs = [...el.attributes]
			.filter((a) => !drop.includes(a.name))
			.map((a) => `${a.name}=${a.value}`)
			.sort();
		return `${el.namespaceURI === MATHML ? 'm:' : ''}${el.localName}[${attrs.join(',')}]`;
	});
}

const MATHML = 'http://www.w3.org/1998/Math/MathML';

/** What katex.ts hands to the Markdown renderer. */
const typeset = (tex: string, displayMode = true) =>
	parseableMathml(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode }));

describe('KaTeX’s MathML, parsed as HTML', () => {
	it.each(mathCorpus)('is MathML throughout for %s', (tex) => {
		const tags = shape(typeset(tex)).slice(1);
		expect(tags.length).toBeGreaterThan(2);
		expect(tags.filter((t) => !t.startsWith('m:'))).toEqual([]);
	});

	it('turns a token element holding elements into an mrow, and leaves the rest alone', () => {
		expect(
			parseableMathml('<math><mo stretchy="false"><mover><mo>=</mo><mi>x</mi></mover></mo></math>')
		).toBe('<math><mrow stretchy="false"><mover><mo>=</mo><mi>x</mi></mover></mrow></math>');
		const plain = katex.renderToString('x^2', KATEX_OPTIONS);
		expect(parseableMathml(plain)).toBe(plain);
	});
});

describe('the sanitiser and KaTeX', () => {
	it.each(mathCorpus)('keeps all of KaTeX’s MathML for %s, but its style attributes', (tex) => {
		const html = typeset(tex);
		// `style` (two rarely used commands: \pmb and \fcolorbox) is what the policy forbids;
		// `xmlns` means nothing in HTML.
		expect(shape(sanitize(html))).toEqual(shape(html, ['style', 'xmlns']));
	});

	it('lists only what KaTeX writes', () => {
		const tags = new Set<string>();
		const attrs = new Set<string>();
		for (const tex of mathCorpus) {
			const template = window.document.createElement('template');
			template.innerHTML = typeset(tex);
			for (const el of template.content.querySelectorAll('*')) {
				if (el.namespaceURI !== MATHML) continue;
				tags.add(el.localName);
				for (const a of el.attributes) attrs.add(a.name);
			}
		}
		expect([...tags].sort()).toEqual([...MATHML_TAGS].sort());
		expect([...attrs].filter((a) => !['style', 'xmlns', 'class'].includes(a)).sort()).toEqual(
			[...MATHML_ATTRIBUTES].sort()
		);
		expect(MATHML_ELEMENTS).toEqual(MATHML_TAGS);
	});

	it.each(hostileMath)('%s renders nothing unsafe', (tex) => {
		for (const displayMode of [false, true]) {
			let html: string;
			try {
				html = typeset(tex, displayMode);
			} catch {
				continue; // Refused: the page shows the source as text.
			}
			const root = window.document.createElement('div');
			root.innerHTML = sanitize(html);
			expect(unsafeInDom(root)).toEqual([]);
			const attributes = [...root.querySelectorAll('*')].flatMap((el) =>
				[...el.attributes].map((a) => `${a.name}=${a.value}`)
			);
			expect(attributes.filter((a) => /^(href|src|style|id)=|evil/.test(a))).toEqual([]);
		}
	});

	it('keeps MathML attributes on MathML only, and nothing else on MathML', () => {
		const clean = sanitize(
			'<p display="block" mathcolor="red" width="3" class="a">x</p>' +
				'<span class="katex"><math display="block" href="https://example.com" onclick="alert(1)">' +
				'<mi mathvariant="normal" title="t" id="i" style="color:red" xlink:href="javascript:alert(1)">x</mi>' +
				'<mglyph src="https://evil.example/p.png"></mglyph>' +
				'<annotation-xml encoding="text/html"><img src="x" onerror="alert(1)"></annotation-xml>' +
				'<mtext><b>bold</b></mtext></math></span>'
		);
		expect(shape(clean)).toEqual([
			'p[class=a,width=3]',
			'span[class=katex]',
			'm:math[display=block]',
			'm:mi[mathvariant=normal]',
			'm:mtext[]',
			'b[]'
		]);
	});

	it('refuses math that a model wrote as HTML, outside KaTeX’s span or with HTML inside', () => {
		const root = window.document.createElement('div');
		root.innerHTML = sanitize('<math><mi>x</mi></math><p><math><mtext><img src=x></mtext></math>');
		expect(unsafeInDom(root)).toContain('<math> that KaTeX did not write');
	});

	it.each(xssVectors)(
		'$name renders nothing unsafe through the page’s whole pipeline',
		async ({ markdown }) => {
			await loadMath();
			const math = createMathRenderer(() => {});
			const root = window.document.createElement('div');
			root.innerHTML = renderMarkdown(markdown, { sanitize, math });
			expect(unsafeInDom(root)).toEqual([]);
		}
	);
});
