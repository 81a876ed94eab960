import { describe, expect, it } from 'vitest';
import { ballotOptions, outcomeOf, paneLabel, paneOrder, parseTags } from '$lib/compare/blind';
import { seededRandom, shuffle } from '$lib/compare/random';

describe('seeded shuffling', () => {
	it('is deterministic for a seed and a permutation', () => {
		const first = shuffle([1, 2, 3, 4], seededRandom(42));
		expect(shuffle([1, 2, 3, 4], seededRandom(42))).toEqual(first);
		expect([...first].sort()).toEqual([1, 2, 3, 4]);
	});

	it('reaches every order of three panes across seeds, roughly evenly', () => {
		const counts = new Map<string, number>();
		for (let seed = 0; seed < 6000; seed++) {
			const key = paneOrder(3, true, seed).join('');
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		expect(counts.size).toBe(6);
		for (const count of counts.values()) expect(count).toBeGreaterThan(800);
	});

	it('keeps the picked order when not blind', () => {
		expect(paneOrder(4, false, 7)).toEqual([0, 1, 2, 3]);
	});
});

describe('ballots', () => {
	it('offers best-of for each pane, tie and both bad', () => {
		expect(ballotOptions(2)).toEqual([
			{ kind: 'best', position: 0 },
			{ kind: 'best', position: 1 },
			{ kind: 'tie' },
			{ kind: 'both-bad' }
		]);
		expect(ballotOptions(3)).toHaveLength(5);
		expect(paneLabel(0)).toBe('A');
		expect(paneLabel(3)).toBe('D');
	});

	it('maps the letter shown back to the model behind it', () => {
		const models = ['m0', 'm1', 'm2'];
		const order = [2, 0, 1];
		expect(outcomeOf({ kind: 'best', position: 0 }, order, models)).toEqual({
			kind: 'winner',
			modelId: 'm2'
		});
		expect(outcomeOf({ kind: 'both-bad' }, order, models)).toEqual({ kind: 'both-bad' });
		expect(() => outcomeOf({ kind: 'best', position: 5 }, order, models)).toThrow(RangeError);
	});

	it('normalises tags', () => {
		expect(parseTags(' Code, poems ,code,, ')).toEqual(['code', 'poems']);
	});
});
