import { describe, expect, it } from 'vitest';
import { htmlBlocks } from '$lib/documents/extract/html';
import { markdownBlocks } from '$lib/documents/extract/markdown';
import { pageBlocks } from '$lib/documents/extract/pdfText';
import { lineBlocks } from '$lib/documents/extract/text';
import { decodeText, kindFromName, looksLikeText } from '$lib/documents/kinds';
import { readDocument } from '$lib/documents/read';
import { xssVectors } from '../../fixtures/xss-vectors';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('kinds', () => {
	it.each([
		['report.PDF', '', 'pdf'],
		['notes.md', '', 'markdown'],
		['page.htm', '', 'html'],
		['main.rs', '', 'code'],
		['Dockerfile', '', 'code'],
		['data.csv', '', 'text'],
		['readme', 'text/plain', 'text'],
		['scan', 'application/pdf', 'pdf'],
		['photo.jpg', 'image/jpeg', null]
	])('%s (%s) is %s', (name, type, kind) => expect(kindFromName(name, type)).toBe(kind));

	it('tells text from binary, and decodes UTF-16 by its byte-order mark', () => {
		expect(looksLikeText(bytes('plain text ✓'))).toBe(true);
		expect(looksLikeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))).toBe(false);
		const utf16 = new Uint8Array([0xff, 0xfe, 0x68, 0, 0x69, 0]);
		expect(looksLikeText(utf16)).toBe(true);
		expect(decodeText(utf16)).toBe('hi');
	});
});

describe('plain text and code', () => {
	it('makes a block of each run of lines, with the line it starts on', () => {
		const blocks = lineBlocks('First para\ncontinues.\n\n\nSecond.\r\n\r\nThird', 'text');
		expect(blocks).toEqual([
			{ kind: 'text', text: 'First para\ncontinues.', page: null, line: 1 },
			{ kind: 'text', text: 'Second.', page: null, line: 5 },
			{ kind: 'text', text: 'Third', page: null, line: 7 }
		]);
	});

	it('keeps code indentation', () => {
		const blocks = lineBlocks('def f(x):\n    return x\n\nclass A:\n    pass\n', 'code');
		expect(blocks.map((b) => [b.kind, b.text, b.line])).toEqual([
			['code', 'def f(x):\n    return x', 1],
			['code', 'class A:\n    pass', 4]
		]);
	});
});

describe('Markdown', () => {
	it('keeps headings, paragraphs, lists, tables and code blocks, with their lines', () => {
		const source = [
			'# Guide',
			'',
			'Intro text.',
			'',
			'## Install',
			'',
			'- one',
			'- two',
			'',
			'```sh',
			'npm ci',
			'```',
			'',
			'| a | b |',
			'| - | - |',
			'| 1 | 2 |'
		].join('\n');
		expect(markdownBlocks(source).map((b) => [b.kind, b.text, b.depth, b.line])).toEqual([
			['heading', 'Guide', 1, 1],
			['text', 'Intro text.', undefined, 3],
			['heading', 'Install', 2, 5],
			['list', '- one\n- two', undefined, 7],
			['code', '```sh\nnpm ci\n```', undefined, 10],
			['table', '| a | b |\n| - | - |\n| 1 | 2 |', undefined, 14]
		]);
	});
});

describe('HTML, text only', () => {
	it('takes the text, headings, preformatted code and table rows; drops scripts and styles', () => {
		const html = `<!doctype html><html><head><title>Manual</title><style>p{color:red}</style>
			<script>alert('head')</script></head><body>
			<h1>Setup</h1><p>Plug it <b>in</b> &amp; wait.</p>
			<script>document.title = 'pwned'</script>
			<ul><li>First</li><li>Second</li></ul>
			<pre>line 1
  line 2</pre>
			<table><tr><th>Part</th><th>Code</th></tr><tr><td>Bolt</td><td>B-7</td></tr></table>
			<h2>Care</h2><div>Keep dry.<br>Store cold.</div>
			<template><p>never shown</p></template><noscript>no script</noscript>
			</body></html>`;
		expect(htmlBlocks(html).map((b) => [b.kind, b.text, b.depth])).toEqual([
			['heading', 'Manual', 1],
			['heading', 'Setup', 1],
			['text', 'Plug it in & wait.', undefined],
			['list', '- First', undefined],
			['list', '- Second', undefined],
			['code', 'line 1\n  line 2', undefined],
			['table', 'Part | Code', undefined],
			['table', 'Bolt | B-7', undefined],
			['heading', 'Care', 2],
			['text', 'Keep dry.', undefined],
			['text', 'Store cold.', undefined]
		]);
	});

	it('turns every XSS vector into plain text: script bodies never survive, nothing is parsed into a DOM', () => {
		for (const vector of xssVectors) {
			const html = `<p>Before</p>${vector.markdown}<p>After</p>`;
			const blocks = htmlBlocks(html);
			const text = blocks.map((b) => b.text).join('\n');
			expect(text, vector.name).toContain('Before');
			// A <script> element's body is code, not text a reader sees.
			if (/^(Hello )?<script>/.test(vector.markdown)) {
				expect(text, vector.name).not.toMatch(/alert\(1\)/);
			}
			expect(
				blocks.every((b) => typeof b.text === 'string'),
				vector.name
			).toBe(true);
		}
	});
});

describe('PDF page text', () => {
	const item = (str: string, y: number, hasEOL = true) => ({
		str,
		hasEOL,
		transform: [10, 0, 0, 10, 72, y],
		height: 10
	});

	it('joins lines into paragraphs, starts a new one after a larger gap, and mends hyphenation', () => {
		const blocks = pageBlocks(
			[
				item('The launch code of Project', 700, false),
				item(' Heron is 7419. It was chos-', 700),
				item('en in March.', 688),
				item('A new paragraph', 650),
				item('continues here.', 638)
			],
			3
		);
		expect(blocks).toEqual([
			{
				kind: 'text',
				text: 'The launch code of Project Heron is 7419. It was chosen in March.',
				page: 3,
				line: null
			},
			{ kind: 'text', text: 'A new paragraph continues here.', page: 3, line: null }
		]);
	});
});

describe('readDocument', () => {
	it('reads text formats into passages, and refuses binary and empty files', async () => {
		const result = await readDocument(bytes('# Title\n\nHello there.'), 'markdown');
		expect(result).toEqual({
			pages: null,
			passages: [{ text: 'Hello there.', page: null, headings: ['Title'], line: 3 }]
		});
		await expect(readDocument(new Uint8Array([1, 0, 2, 0]), 'text')).rejects.toMatchObject({
			code: 'unsupported'
		});
		await expect(readDocument(bytes('   \n\n  '), 'text')).rejects.toMatchObject({
			code: 'empty'
		});
	});

	it('keeps every XSS vector in a text or Markdown file as the exact characters written', async () => {
		for (const vector of xssVectors) {
			for (const kind of ['text', 'markdown'] as const) {
				const { passages } = await readDocument(bytes(`Intro.\n\n${vector.markdown}\n`), kind);
				const all = passages.map((p) => p.text).join('\n');
				expect(all, `${vector.name} (${kind})`).toContain(vector.markdown.trim());
			}
		}
	});
});
