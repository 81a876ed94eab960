import { describe, expect, it } from 'vitest';
import { agreementInput, agreementOf } from '$lib/embedding/agreement';
import { hashedEmbedding } from '../../fixtures/hashed-embedding';

function measure(answers: string[]) {
	const { texts, owners } = agreementInput(answers);
	return agreementOf(
		answers.length,
		texts.map((t) => hashedEmbedding(t)),
		owners
	);
}

describe('agreement', () => {
	it('is 100% for the same answer and lower for answers about different things', () => {
		const same = measure(['Paris is the capital of France.', 'Paris is the capital of France.']);
		expect(same?.mean).toBeCloseTo(1, 5);
		const different = measure([
			'Paris is the capital of France.',
			'Bananas are yellow and rich in potassium.'
		]);
		expect(different?.mean).toBeLessThan(0.5);
	});

	it('gives every pair of three answers, and their mean', () => {
		const result = measure([
			'Paris is the capital of France.',
			'The capital of France is Paris.',
			'Bananas are yellow.'
		]);
		expect(result?.pairs.map((p) => [p.a, p.b])).toEqual([
			[0, 1],
			[0, 2],
			[1, 2]
		]);
		const [ab, ac, bc] = result?.pairs.map((p) => p.score) ?? [];
		expect(ab).toBeGreaterThan(ac ?? 1);
		expect(ab).toBeGreaterThan(bc ?? 1);
		expect(result?.mean).toBeCloseTo(((ab ?? 0) + (ac ?? 0) + (bc ?? 0)) / 3, 6);
	});

	it('reads a long answer in pieces, one vector for the whole', () => {
		const long = 'Paris is the capital of France. '.repeat(200);
		const { texts, owners } = agreementInput([long, 'Paris is the capital of France.']);
		expect(texts.length).toBeGreaterThan(2);
		expect(owners.filter((o) => o === 0).length).toBe(texts.length - 1);
		expect(measure([long, 'Paris is the capital of France.'])?.mean).toBeGreaterThan(0.9);
	});

	it('has no figure for fewer than two answers or an empty one', () => {
		expect(measure(['Only one.'])).toBeNull();
		expect(measure(['Something.', ''])).toBeNull();
	});
});
