import { describe, expect, it } from 'vitest';
import { normalizeQuery, snippet } from '$lib/storage/search';

describe('normalizeQuery', () => {
	it('trims, collapses spaces and lowercases', () => {
		expect(normalizeQuery('  Sour   DOUGH ')).toBe('sour dough');
	});
});

describe('snippet', () => {
	it('returns the whole text when it is short, with the match located', () => {
		expect(snippet('Bake the Bread at 220°C', 'bread')).toEqual({
			snippet: 'Bake the Bread at 220°C',
			match: { start: 9, length: 5 }
		});
	});

	it('returns null when absent or when the query is empty', () => {
		expect(snippet('nothing here', 'bread')).toBeNull();
		expect(snippet('anything', '')).toBeNull();
	});

	it('cuts long text around the match on word boundaries, with ellipses', () => {
		const text =
			'In the beginning there was a long preamble about many things, and then the word needle appeared, followed by a long tail of other words that go on and on.';
		const found = snippet(text, 'needle', 20);
		expect(found?.snippet).toBe('…and then the word needle appeared, followed…');
		const start = found?.match.start ?? -1;
		expect(found?.snippet.slice(start, start + 6)).toBe('needle');
	});

	it('flattens line breaks so the snippet fits on one line', () => {
		expect(snippet('line one\n\nline two', 'two')?.snippet).toBe('line one line two');
	});
});

describe('search in any script', () => {
	it('finds Arabic, Hebrew and emoji words and locates them exactly', () => {
		const text = 'قال: مرحبا بالعالم ثم שלום 👩🏽‍⚕️ done';
		for (const word of ['بالعالم', 'שלום', '👩🏽‍⚕️']) {
			const hit = snippet(text, normalizeQuery(word));
			expect(hit?.snippet.slice(hit.match.start, hit.match.start + hit.match.length)).toBe(word);
		}
	});

	it('never cuts an emoji in half at the edge of a snippet', () => {
		const hit = snippet(`${'😀'.repeat(30)}needle${'😀'.repeat(30)}`, 'needle', 5);
		expect(hit?.snippet).not.toMatch(
			/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
		);
		expect(hit?.snippet).toContain('needle');
	});
});
