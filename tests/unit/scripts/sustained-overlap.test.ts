import { describe, expect, it } from 'vitest';
import { sustainedOverlap } from '../../fixtures/model-server';

describe('sustainedOverlap (the benchmark’s count of connections used)', () => {
	it('does not count a next request that opens a moment before the last response is done', () => {
		const responses = [
			{ start: 0, end: 1000 },
			{ start: 0, end: 500 },
			// Opened 2 ms before the one above was done: three at once, but only for 2 ms.
			{ start: 498, end: 1000 }
		];
		expect(sustainedOverlap(responses, 50, 1000)).toBe(2);
		expect(sustainedOverlap(responses, 1, 1000)).toBe(3);
	});

	it('counts responses still being sent up to now, and touching ones as one after the other', () => {
		expect(
			sustainedOverlap(
				[
					{ start: 0, end: 100 },
					{ start: 100, end: 200 },
					{ start: 50, end: null }
				],
				50,
				400
			)
		).toBe(2);
		expect(sustainedOverlap([], 50, 0)).toBe(0);
	});
});
