import { describe, expect, it } from 'vitest';
import { cutBlock, SPLIT, splitBlocks } from '$lib/documents/split';
import type { Block } from '$lib/documents/types';

/** One token a word: sizes in these tests are counted in words. */
const options = {
	...SPLIT,
	targetTokens: 10,
	maxTokens: 15,
	overlapTokens: 4,
	minTokens: 3,
	estimate: (text: string) => text.split(/\s+/).filter(Boolean).length
};
const text = (t: string, extra: Partial<Block> = {}): Block => ({
	kind: 'text',
	text: t,
	page: null,
	line: null,
	...extra
});
const heading = (t: string, depth: number): Block => ({ ...text(t), kind: 'heading', depth });
const words = (n: number, word = 'w') =>
	Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

describe('splitBlocks', () => {
	it('gathers whole blocks up to the target, and keeps the heading path of each passage', () => {
		const passages = splitBlocks(
			[
				heading('Guide', 1),
				text(words(4, 'a')),
				text(words(4, 'b')),
				text(words(4, 'c')),
				heading('Install', 2),
				text(words(3, 'd')),
				heading('Use', 2),
				heading('Daily', 3),
				text(words(2, 'e')),
				heading('Appendix', 1),
				text(words(2, 'f'))
			],
			options
		);
		expect(passages.map((p) => [p.text.split(/\s+/)[0], p.headings])).toEqual([
			['a0', ['Guide']],
			['c0', ['Guide']],
			['d0', ['Guide', 'Install']],
			['e0', ['Guide', 'Use', 'Daily']],
			['f0', ['Appendix']]
		]);
		expect(passages[0]?.text).toBe(`${words(4, 'a')}\n\n${words(4, 'b')}`);
	});

	it('never spans two pages, so each passage cites one page', () => {
		const passages = splitBlocks(
			[text('one two', { page: 1 }), text('three four', { page: 2 }), text('five', { page: 2 })],
			options
		);
		expect(passages.map((p) => [p.text, p.page])).toEqual([
			['one two', 1],
			['three four\n\nfive', 2]
		]);
	});

	it('lets a scrap take one more block rather than stand alone', () => {
		const passages = splitBlocks([text('tiny'), text(words(12)), text(words(9, 'x'))], options);
		expect(passages.map((p) => options.estimate(p.text))).toEqual([13, 9]);
	});

	it('cuts a long paragraph on sentence ends, each piece starting with the end of the one before', () => {
		const sentences = Array.from({ length: 8 }, (_, i) => `Sentence ${i} says a thing.`);
		// Five words a sentence: two fit the target, and one fits the overlap.
		const passages = splitBlocks([text(sentences.join(' '))], { ...options, overlapTokens: 5 });
		expect(passages.map((p) => p.text)).toEqual([
			'Sentence 0 says a thing. Sentence 1 says a thing.',
			'Sentence 1 says a thing. Sentence 2 says a thing.',
			'Sentence 2 says a thing. Sentence 3 says a thing.',
			'Sentence 3 says a thing. Sentence 4 says a thing.',
			'Sentence 4 says a thing. Sentence 5 says a thing.',
			'Sentence 5 says a thing. Sentence 6 says a thing.',
			'Sentence 6 says a thing. Sentence 7 says a thing.'
		]);
		// Every sentence is whole in at least one passage.
		for (const s of sentences) expect(passages.some((p) => p.text.includes(s))).toBe(true);
	});

	it('cuts code on line ends and says which line each piece starts on', () => {
		const code = Array.from({ length: 12 }, (_, i) => `let v${i} = f(${i});`).join('\n');
		const pieces = cutBlock({ kind: 'code', text: code, page: null, line: 40 }, options);
		// Four words a line: two lines fit the target, one the overlap.
		expect(pieces[0]).toEqual({ text: 'let v0 = f(0);\nlet v1 = f(1);', line: 40 });
		expect(pieces[1]).toEqual({ text: 'let v1 = f(1);\nlet v2 = f(2);', line: 41 });
		expect(pieces.at(-1)?.text.endsWith('let v11 = f(11);')).toBe(true);
		expect(
			pieces.every((p) => p.text.split('\n').every((l) => /^let v\d+ = f\(\d+\);$/.test(l)))
		).toBe(true);
	});

	it('cuts a single endless line at spaces', () => {
		const pieces = cutBlock(text(words(100)), {
			...options,
			estimate: (t) => Math.ceil(t.length / 4)
		});
		expect(pieces.length).toBeGreaterThan(3);
		expect(pieces.map((p) => p.text).join(' ')).toContain('w99');
		for (const piece of pieces) expect(piece.text.length).toBeLessThanOrEqual(40);
	});

	it('with the default sizes, a 500-word page is about three passages of under 1,200 characters', () => {
		const page = Array.from(
			{ length: 50 },
			(_, i) => `This is sentence number ${i} of the page.`
		).join(' ');
		const passages = splitBlocks([text(page, { page: 7 })]);
		expect(passages.length).toBeGreaterThanOrEqual(3);
		for (const p of passages) {
			expect(p.text.length).toBeLessThanOrEqual(1200);
			expect(p.page).toBe(7);
		}
	});
});
