import { describe, expect, it } from 'vitest';
import { BlockSplitter } from '$lib/render/blocks';
import { splitBlocks } from '$lib/render/markdown';

const doc = [
	'# Plan',
	'',
	'Some *text* with `code`.',
	'',
	'```ts',
	'const x = 1;',
	'',
	'const y = 2;',
	'```',
	'',
	'- one',
	'- two',
	'',
	'  continued',
	'',
	'1. first',
	'2. second',
	'',
	'| a | b |',
	'| - | - |',
	'| 1 | 2 |',
	'after table',
	'',
	'> quote',
	'',
	'    indented code',
	'',
	'Last paragraph'
].join('\n');

// Display math may hold blank lines, and stays one block while it is unclosed.
const mathDoc = [
	'Intro $x$',
	'$$',
	'a &= b \\\\',
	'',
	'c &= d',
	'$$',
	'',
	'\\[ E = mc^2 \\]',
	'text $5 and $10',
	'',
	'$$x$$ inline display',
	'',
	'end'
].join('\n');

describe('BlockSplitter', () => {
	it.each([
		['a document', doc],
		['a document with math', mathDoc]
	])('gives what splitBlocks gives on the whole text, at every length of %s', (_, doc) => {
		const splitter = new BlockSplitter(splitBlocks);
		for (let n = 0; n <= doc.length; n++) {
			const text = doc.slice(0, n);
			const whole = splitBlocks(text);
			const view = splitter.split(text);
			expect(view.done.join('') + view.tail, `at ${n}`).toBe(whole.done.join('') + whole.tail);
			expect([...view.done], `at ${n}`).toEqual(whole.done);
			expect(view.tail, `at ${n}`).toBe(whole.tail);
		}
	});

	it('keeps the same finished-block array while only the tail grows', () => {
		const splitter = new BlockSplitter(splitBlocks);
		const a = splitter.split('para one\n\npara tw');
		const b = splitter.split('para one\n\npara two and more');
		expect(b.done).toBe(a.done);
		expect(b.tail).toBe('para two and more');
	});

	it('starts again when the text is replaced rather than extended', () => {
		const splitter = new BlockSplitter(splitBlocks);
		splitter.split('first block\n\nsecond block\n\nthird');
		const view = splitter.split('other block\n\nx');
		expect(view).toEqual({ done: ['other block\n\n'], tail: 'x' });
	});

	it('normalises Windows line endings', () => {
		const view = new BlockSplitter(splitBlocks).split('a\r\n\r\nb');
		expect(view.done.join('') + view.tail).toBe('a\n\nb');
	});
});
