import { describe, expect, it } from 'vitest';
import { fitPassages, sourceLabel, type SourcePassage } from '$lib/documents/prompt';
import { dotRows, RetrievalIndex } from '$lib/documents/retrieval';
import type { Passage } from '$lib/documents/types';
import { cosine } from '$lib/embedding/vectors';
import { hashedEmbedding } from '../../fixtures/hashed-embedding';

const MODEL = 'embedder';

function passage(
	documentId: string,
	index: number,
	text: string,
	model: string | null = MODEL
): Passage {
	return {
		id: `${documentId}:${String(index).padStart(6, '0')}`,
		documentId,
		index,
		text,
		page: index + 1,
		headings: [],
		line: null,
		vector: model ? hashedEmbedding(text) : null,
		model
	};
}

const FILLER = [
	'The quarterly meeting covered budgets and travel plans for the coming months.',
	'Staff asked about parking near the new office and the cafeteria menu.',
	'Weather delayed two shipments, which arrived a week later than planned.',
	'The library added shelves for the archive of printed manuals.'
];

function corpus() {
	const index = new RetrievalIndex(MODEL);
	index.setDocument('a', [
		...FILLER.map((t, i) => passage('a', i, t)),
		passage('a', 4, 'Project Heron launch code is 7419, kept by the night engineer.')
	]);
	index.setDocument(
		'b',
		FILLER.map((t, i) => passage('b', i, `${t} Again.`))
	);
	return index;
}

describe('RetrievalIndex', () => {
	it('finds the passage that shares the question’s meaning (its words, with the test embeddings)', () => {
		const index = corpus();
		const question = 'What is the launch code of Project Heron?';
		const [best] = index.search({ text: question, vector: hashedEmbedding(question) });
		expect(best?.passage.text).toContain('7419');
		expect(best?.similarity).toBeGreaterThan(0.3);
		expect(best?.wordScore).toBeGreaterThan(0);
	});

	it('compares directions, not lengths: a model’s vectors need not be of length 1', () => {
		const index = new RetrievalIndex(MODEL);
		const scaled = (p: Passage, by: number) => ({
			...p,
			vector: p.vector?.map((x) => x * by) ?? null
		});
		index.setDocument('a', [
			scaled(passage('a', 0, 'zebra yak quokka'), 40),
			scaled(passage('a', 1, 'Project Heron launch code'), 0.5)
		]);
		const [best] = index.search({
			text: '',
			vector: hashedEmbedding('Heron launch').map((x) => x * 7)
		});
		expect(best?.passage.index).toBe(1);
		expect(best?.similarity).toBeCloseTo(Math.sqrt(2 / 4), 5);
	});

	it('ranks by meaning exactly as comparing the question with every passage and sorting would', () => {
		// Random vectors (a deterministic generator), rows not a multiple of four, a length not a
		// multiple of four, and passages without a vector: the fast scan must change no result.
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
		const random = (dims: number) => Float32Array.from({ length: dims }, next);
		const dims = 10;
		const all: Passage[] = [];
		const index = new RetrievalIndex(MODEL);
		for (const [documentId, count] of [
			['a', 1003],
			['b', 6]
		] as const) {
			const passages = Array.from({ length: count }, (_, i) => ({
				...passage(documentId, i, ''),
				vector: i % 97 === 3 ? null : random(dims)
			}));
			index.setDocument(documentId, passages);
			all.push(...passages);
		}
		for (let q = 0; q < 5; q++) {
			const question = random(dims);
			const expected = all
				.flatMap((p) => (p.vector ? [{ id: p.id, similarity: cosine(p.vector, question) }] : []))
				.sort((x, y) => y.similarity - x.similarity)
				.slice(0, 20);
			const hits = index.search({ text: '', vector: question, limit: 20 });
			expect(hits.map((h) => h.passage.id)).toEqual(expected.map((e) => e.id));
			hits.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i]?.similarity ?? 0, 5));
		}
	});

	it('computes each row’s product as a plain sum would, four rows at a time or not', () => {
		const dims = 7;
		const rows = 6;
		const matrix = Float32Array.from({ length: rows * dims }, (_, i) => Math.sin(i) * 3);
		const vector = Float32Array.from({ length: dims }, (_, i) => Math.cos(i));
		const out = new Float64Array(rows);
		dotRows(matrix, rows, vector, out);
		for (let row = 0; row < rows; row++) {
			let sum = 0;
			for (let i = 0; i < dims; i++) sum += (matrix[row * dims + i] ?? 0) * (vector[i] ?? 0);
			expect(out[row]).toBe(sum);
		}
	});

	it('finds an exact number by words alone, where no vector helps', () => {
		const index = new RetrievalIndex(MODEL);
		index.setDocument('a', [
			...FILLER.map((t, i) => passage('a', i, t, null)),
			passage('a', 4, 'Invoice 88213 was paid in full.', null)
		]);
		const hits = index.search({ text: 'invoice number 88213', vector: null });
		expect(hits[0]?.passage.text).toBe('Invoice 88213 was paid in full.');
		expect(hits[0]?.similarity).toBeNull();
	});

	it('ranks a passage that both measures find above one found by either alone', () => {
		const index = new RetrievalIndex(MODEL);
		index.setDocument('a', [
			passage('a', 0, 'Heron'),
			// Found by words only: its vector says something else entirely.
			{ ...passage('a', 1, 'Heron code 7419'), vector: hashedEmbedding('zebra yak quokka') },
			passage('a', 2, 'the code for the Heron is 7419')
		]);
		const hits = index.search({
			text: 'Heron code 7419',
			vector: hashedEmbedding('Heron code 7419')
		});
		expect(hits[0]?.passage.index).toBe(2);
	});

	it('searches only the documents asked for, and ignores vectors of another model', () => {
		const index = corpus();
		const question = 'Project Heron launch code';
		const onlyB = index.search({
			text: question,
			vector: hashedEmbedding(question),
			documentIds: new Set(['b'])
		});
		expect(onlyB.every((h) => h.passage.documentId === 'b')).toBe(true);

		const other = new RetrievalIndex('another-model');
		other.setDocument('a', [passage('a', 0, 'Project Heron launch code')]);
		const [hit] = other.search({ text: 'zzz', vector: hashedEmbedding(question) });
		expect(hit).toBeUndefined();
	});

	it('forgets a removed document: no hit, and word statistics as if it was never there', () => {
		const index = corpus();
		index.deleteDocument('a');
		expect(index.passageCount).toBe(4);
		const hits = index.search({ text: 'Heron 7419', vector: hashedEmbedding('Heron 7419') });
		expect(hits.every((h) => h.passage.documentId === 'b')).toBe(true);
		const fresh = new RetrievalIndex(MODEL);
		fresh.setDocument(
			'b',
			FILLER.map((t, i) => passage('b', i, `${t} Again.`))
		);
		const q = { text: 'shipments weather', vector: null };
		expect(index.search(q).map((h) => h.wordScore)).toEqual(
			fresh.search(q).map((h) => h.wordScore)
		);
	});
});

describe('fitPassages', () => {
	const source = (text: string, extra: Partial<SourcePassage> = {}): SourcePassage => ({
		id: text,
		documentId: 'd',
		index: 0,
		text,
		page: null,
		headings: [],
		line: null,
		documentName: 'notes.md',
		...extra
	});
	const chars = (n: number) => 'x'.repeat(n);

	it('labels a source by page, section or line', () => {
		expect(sourceLabel(source('t', { page: 12, documentName: 'report.pdf' }))).toBe(
			'report.pdf, page 12'
		);
		expect(sourceLabel(source('t', { headings: ['Setup', 'Install'] }))).toBe(
			'notes.md › Setup › Install'
		);
		expect(sourceLabel(source('t', { line: 40, documentName: 'main.ts' }))).toBe(
			'main.ts, line 40'
		);
	});

	it('takes the best passages that fit half the room left, numbered in order, and says how many it left', () => {
		// Room: 4096 - 1024 - 72 = 3000 tokens; passages may take 1500.
		const ranked = [
			source(chars(1800)),
			source(chars(8000)),
			source(chars(1800)),
			source(chars(1800)),
			source(chars(1800))
		];
		const fitted = fitPassages(ranked, { contextWindow: 4096, maxTokens: 1024, promptTokens: 72 });
		// 450 tokens each: three fit; the long one and the fourth short one do not.
		expect(fitted.sources.map((s) => [s.marker, s.text.length])).toEqual([
			[1, 1800],
			[2, 1800],
			[3, 1800]
		]);
		expect(fitted.left).toBe(2);
		expect(fitted.tokens).toBeLessThanOrEqual(1500);
		expect(fitted.text).toMatch(/cite each source you use by its number, like \[1\]/);
		expect(fitted.text).toContain(`[2] notes.md\n${chars(1800)}`);
	});

	it('sends nothing when the question alone fills the window, and more with a larger share', () => {
		const ranked = [source(chars(400))];
		expect(
			fitPassages(ranked, { contextWindow: 1024, maxTokens: 512, promptTokens: 600 })
		).toMatchObject({ sources: [], text: '', tokens: 0, left: 1 });
		const tight = { contextWindow: 1024, maxTokens: 512, promptTokens: 200 };
		expect(fitPassages(ranked, tight).sources).toHaveLength(0);
		expect(fitPassages(ranked, { ...tight, share: 1 }).sources).toHaveLength(1);
	});
});
