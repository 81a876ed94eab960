import { describe, expect, it, vi } from 'vitest';
import { loadLanguages, highlighter } from '$lib/render/highlight';
import { MarkdownRenderer, renderMarkdown, safeHref, splitBlocks } from '$lib/render/markdown';
import { unsafeInHtml, xssVectors } from '../../fixtures/xss-vectors';

// No DOM in Node: these tests check the Markdown layer on its own (identity sanitiser). The e2e
// suite runs the same vectors through DOMPurify in a real browser.
const identity = (html: string) => html;

/** What Markdown.svelte shows: the finished blocks (cached) and then the tail. */
function renderAll(renderer: MarkdownRenderer, markdown: string): string {
	const { done, tail } = splitBlocks(markdown);
	return done.map((raw) => renderer.block(raw)).join('') + renderer.tail(tail);
}

const doc = [
	'# Plan',
	'',
	'Some *text* with `code` and a [link](https://example.com).',
	'',
	'```ts',
	'const x: number = 1;',
	'```',
	'',
	'- one',
	'- two',
	'',
	'1. loose',
	'',
	'2. list',
	'',
	'| a | b |',
	'| - | - |',
	'| 1 | 2 |',
	'',
	'> quoted',
	'> text',
	'',
	'Setext',
	'======',
	'',
	'```py',
	'print("hi")',
	'```',
	'',
	'Last paragraph'
].join('\n');

// Constructs whose extent is only known later: loose lists, nested items, indented code,
// lists changing bullet, a table followed by text, raw HTML blocks.
const tricky = [
	'Intro',
	'- a',
	'',
	'  continued a',
	'',
	'    indented in item',
	'- b',
	'  1. nested',
	'',
	'  2. nested two',
	'* other bullet',
	'',
	'10) ten',
	'11) eleven',
	'',
	'    indented code',
	'',
	'    more code',
	'',
	'| x |',
	'|---|',
	'| 1 |',
	'after table',
	'',
	'<div>',
	'',
	'html block',
	'</div>',
	'',
	'> quote',
	'',
	'> another quote',
	'',
	'~~~',
	'tilde fence',
	'~~~',
	'',
	'Heading',
	'---',
	'',
	'***',
	'',
	'2023 was a year.'
].join('\n');

describe('XSS vectors through the Markdown layer', () => {
	it('has enough vectors for the e2e suite', () => {
		expect(xssVectors.length).toBeGreaterThanOrEqual(25);
		expect(new Set(xssVectors.map((v) => v.name)).size).toBe(xssVectors.length);
	});

	it('the checker itself catches unsafe HTML', () => {
		expect(unsafeInHtml('<img src=x onerror=alert(1)>')).toHaveLength(3);
		expect(unsafeInHtml('<a href="&#106;avascript:alert(1)">x</a>')).toHaveLength(1);
		expect(unsafeInHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')).toEqual([]);
	});

	it.each(xssVectors)('$name renders nothing unsafe', ({ markdown }) => {
		expect(unsafeInHtml(renderMarkdown(markdown, { sanitize: identity }))).toEqual([]);
		expect(unsafeInHtml(renderAll(new MarkdownRenderer({ sanitize: identity }), markdown))).toEqual(
			[]
		);
	});
});

describe('renderMarkdown', () => {
	it('passes the HTML through the injected sanitiser', () => {
		const sanitize = vi.fn(() => '<p>clean</p>');
		expect(renderMarkdown('**hi**', { sanitize })).toBe('<p>clean</p>');
		expect(sanitize).toHaveBeenCalledWith('<p><strong>hi</strong></p>\n');
	});

	it('shows raw HTML as text', () => {
		expect(renderMarkdown('a <b>bold</b> claim', { sanitize: identity })).toBe(
			'<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>\n'
		);
	});

	it('renders GFM tables and strikethrough', () => {
		const html = renderMarkdown('| a | b |\n|---|---|\n| 1 | ~~2~~ |', { sanitize: identity });
		expect(html).toContain('<table>');
		expect(html).toContain('<td><del>2</del></td>');
	});

	it('opens safe links in a new tab without referrer', () => {
		expect(renderMarkdown('[docs](https://example.com/a?b=1&c=2)', { sanitize: identity })).toBe(
			'<p><a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a></p>\n'
		);
	});

	it('keeps the text of unsafe or relative links, without the link', () => {
		expect(renderMarkdown('[click](javascript:alert(1))', { sanitize: identity })).toBe(
			'<p>click</p>\n'
		);
		expect(renderMarkdown('[settings](/settings)', { sanitize: identity })).toBe(
			'<p>settings</p>\n'
		);
	});

	it('turns images into links instead of loading them', () => {
		const html = renderMarkdown('![a cat](https://example.com/cat.png)', { sanitize: identity });
		expect(html).not.toContain('<img');
		expect(html).toContain('href="https://example.com/cat.png"');
		expect(html).toContain('>a cat</a>');
	});

	it('gives each code block a copy button', () => {
		const md = 'a\n\n```js\nlet a;\n```\n\n- item\n\n  ```\n  nested\n  ```\n\n```\nlast\n```';
		const html = renderMarkdown(md, { sanitize: identity, copyLabel: 'Copy code' });
		expect(html.match(/<button type="button" class="copy-code">Copy code<\/button>/g)).toHaveLength(
			3
		);
		for (const code of ['let a;', 'nested', 'last']) expect(html).toContain(`${code}</code>`);
		expect(html).toContain('<code class="hljs language-js">let a;</code>');
	});

	it('tolerates an unfinished code fence while streaming', () => {
		const html = renderMarkdown('Here:\n\n```python\ndef f(x):\n    return x <', {
			sanitize: identity
		});
		expect(html).toContain('<p>Here:</p>');
		expect(html).toContain('def f(x):\n    return x &lt;</code></pre>');
	});

	it('drops fence info strings that are not language names', () => {
		const html = renderMarkdown('```" onclick="x\ncode\n```', { sanitize: identity });
		expect(html).toContain('<code class="hljs">code</code>');
	});
});

describe('safeHref', () => {
	it.each([
		['https://example.com', 'https://example.com/'],
		['HTTP://EXAMPLE.COM/a', 'http://example.com/a'],
		['mailto:me@example.com', 'mailto:me@example.com'],
		['  https://example.com/x  ', 'https://example.com/x'],
		['https://example.com/?a=1&amp;b=2', 'https://example.com/?a=1&b=2']
	])('keeps %s', (href, expected) => expect(safeHref(href)).toBe(expected));

	it.each([
		'javascript:alert(1)',
		'&#106;avascript:alert(1)',
		'java&#x09;script:alert(1)',
		'javascript&colon;alert(1)',
		'data:text/html,x',
		'vbscript:x',
		'file:///etc/passwd',
		'/relative',
		'#fragment',
		''
	])('refuses %s', (href) => expect(safeHref(href)).toBeNull());
});

describe('splitBlocks', () => {
	it('splits top-level blocks, keeping the last one as the tail', () => {
		expect(splitBlocks('one\n\n```js\nx\n```\n\n- a\n- b\n\ntail')).toEqual({
			done: ['one\n\n', '```js\nx\n```\n\n', '- a\n- b\n\n'],
			tail: 'tail'
		});
		expect(splitBlocks('')).toEqual({ done: [], tail: '' });
		expect(splitBlocks('just text')).toEqual({ done: [], tail: 'just text' });
	});

	it('keeps an unfinished fence in the tail, blank lines and all', () => {
		expect(splitBlocks('intro\n\n```py\ndef f():\n\n    pass\n')).toEqual({
			done: ['intro\n\n'],
			tail: '```py\ndef f():\n\n    pass\n'
		});
	});

	it('loses no text', () => {
		const { done, tail } = splitBlocks(doc);
		expect(done.join('') + tail).toBe(doc);
	});

	it.each([
		['a plain document', doc],
		['a tricky document', tricky]
	])('never changes a finished block as text is appended (every prefix of %s)', (_, text) => {
		const final = splitBlocks(text).done;
		for (let n = 0; n <= text.length; n++) {
			const { done } = splitBlocks(text.slice(0, n));
			expect(done, `prefix of ${n} characters`).toEqual(final.slice(0, done.length));
		}
	});
});

describe('MarkdownRenderer', () => {
	it('renders every prefix as a fresh render would, reusing finished blocks', () => {
		const streaming = new MarkdownRenderer({ sanitize: identity });
		for (let n = 0; n <= doc.length; n += 7) {
			const text = doc.slice(0, n);
			expect(renderAll(streaming, text)).toBe(
				renderAll(new MarkdownRenderer({ sanitize: identity }), text)
			);
		}
	});

	it.each([doc, tricky])(
		'renders the same HTML as renderMarkdown for a finished document',
		(text) => {
			const whole = renderMarkdown(text, { sanitize: identity });
			expect(renderAll(new MarkdownRenderer({ sanitize: identity }), text)).toBe(whole);
		}
	);

	it('only renders the tail again when text is appended', () => {
		const sanitize = vi.fn(identity);
		const renderer = new MarkdownRenderer({ sanitize });
		renderAll(renderer, doc);
		const blocks = splitBlocks(doc).done.length + 1;
		expect(sanitize).toHaveBeenCalledTimes(blocks);
		sanitize.mockClear();
		renderAll(renderer, doc + ' grows');
		expect(sanitize).toHaveBeenCalledTimes(1);
	});
});

describe('highlighting', () => {
	it('loads languages on demand and re-renders stale cached blocks', async () => {
		const md = '```ts\nconst x = 1;\n```\n\nafter';
		const renderer = new MarkdownRenderer({ sanitize: identity, highlighter });
		expect(renderAll(renderer, md)).not.toContain('hljs-keyword');
		expect(await loadLanguages(['typescript'])).toBe(true);
		expect(renderAll(renderer, md)).toContain('<span class="hljs-keyword">const</span>');
		// Already loaded, and unknown languages are ignored.
		expect(await loadLanguages(['typescript', 'brainfudge'])).toBe(false);
	});

	it('keeps highlighted code escaped', async () => {
		await loadLanguages(['html']);
		const html = renderMarkdown('```html\n<script>alert(1)</script>\n```', {
			sanitize: identity,
			highlighter
		});
		expect(html).toContain('hljs-tag');
		expect(unsafeInHtml(html)).toEqual([]);
	});
});
