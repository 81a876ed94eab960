import { describe, expect, it } from 'vitest';
import {
	bradleyTerry,
	elo,
	ELO_SCALE,
	filterByTag,
	pairsFromVote,
	voteTags
} from '$lib/compare/ratings';
import type { Vote, VoteOutcome } from '$lib/compare/types';

let n = 0;
function vote(models: string[], outcome: VoteOutcome, tags: string[] = []): Vote {
	n++;
	return { id: `v${n}`, createdAt: n, models, outcome, blind: true, prompt: 'p', tags };
}
const win = (modelId: string): VoteOutcome => ({ kind: 'winner', modelId });

describe('pairsFromVote', () => {
	it('makes the winner beat every other pane, and a tie a draw between every pair', () => {
		expect(pairsFromVote(vote(['a', 'b', 'c'], win('b')))).toEqual([
			{ a: 'b', b: 'a', score: 1 },
			{ a: 'b', b: 'c', score: 1 }
		]);
		expect(pairsFromVote(vote(['a', 'b', 'c'], { kind: 'both-bad' }))).toEqual([
			{ a: 'a', b: 'b', score: 0.5 },
			{ a: 'a', b: 'c', score: 0.5 },
			{ a: 'b', b: 'c', score: 0.5 }
		]);
	});
});

describe('bradleyTerry (plain maximum likelihood)', () => {
	it('matches the closed form for two models: 3 wins to 1 is a strength ratio of 3', () => {
		const votes = [
			vote(['a', 'b'], win('a')),
			vote(['a', 'b'], win('a')),
			vote(['b', 'a'], win('a')),
			vote(['a', 'b'], win('b'))
		];
		const [first, second] = bradleyTerry(votes, { prior: 0 });
		// p_a / p_b = 3, centred: +-(400 / ln 10) * ln(3) / 2 = +-95.424.
		expect(first?.modelId).toBe('a');
		expect(first?.rating).toBeCloseTo(1095.424, 2);
		expect(second?.rating).toBeCloseTo(904.576, 2);
		// Fisher information: 4 games x 0.75 x 0.25 = 0.75 on the difference; each centred rating
		// has variance 1 / (4 x 0.75) = 1/3, so the 95% half-width is 1.96 x 173.718 x sqrt(1/3).
		const half = 1.96 * ELO_SCALE * Math.sqrt(1 / 3);
		expect(half).toBeCloseTo(196.577, 2);
		expect(first?.high).toBeCloseTo(1095.424 + half, 2);
		expect(first?.low).toBeCloseTo(1095.424 - half, 2);
		expect(first).toMatchObject({ votes: 4, wins: 3, losses: 1, ties: 0, bothBad: 0 });
	});

	it('counts a tie as half a win each: a win and a tie give the same ratio of 3, with fewer games', () => {
		const votes = [vote(['a', 'b'], win('a')), vote(['a', 'b'], { kind: 'tie' })];
		const [first] = bradleyTerry(votes, { prior: 0 });
		expect(first?.rating).toBeCloseTo(1095.424, 2);
		// 2 games: variance 1 / (4 x 2 x 0.1875) = 2/3.
		expect((first?.high ?? 0) - (first?.rating ?? 0)).toBeCloseTo(
			1.96 * ELO_SCALE * Math.sqrt(2 / 3),
			2
		);
		expect(first).toMatchObject({ votes: 2, wins: 1, ties: 1 });
	});

	it('rates a balanced cycle equally', () => {
		const votes = ['ab', 'ab', 'ba', 'bc', 'bc', 'cb', 'ca', 'ca', 'ac'].map(([w, l]) =>
			vote([w as string, l as string], win(w as string))
		);
		const ratings = bradleyTerry(votes, { prior: 0 });
		expect(ratings).toHaveLength(3);
		for (const r of ratings) expect(r.rating).toBeCloseTo(1000, 6);
	});

	it('solves the likelihood equations for an unbalanced three-way record', () => {
		const votes = [
			...Array.from({ length: 4 }, () => vote(['a', 'b'], win('a'))),
			vote(['a', 'b'], win('b')),
			...Array.from({ length: 2 }, () => vote(['b', 'c'], win('b'))),
			vote(['b', 'c'], win('c')),
			vote(['a', 'c'], win('c')),
			vote(['a', 'c'], win('a'))
		];
		const ratings = bradleyTerry(votes, { prior: 0 });
		const p = new Map(ratings.map((r) => [r.modelId, Math.exp((r.rating - 1000) / ELO_SCALE)]));
		const prob = (x: string, y: string) =>
			(p.get(x) as number) / ((p.get(x) as number) + (p.get(y) as number));
		// At the maximum, each model's expected wins equal its actual wins.
		expect(5 * prob('a', 'b') + 2 * prob('a', 'c')).toBeCloseTo(5, 9);
		expect(5 * prob('b', 'a') + 3 * prob('b', 'c')).toBeCloseTo(3, 9);
		expect(ratings.map((r) => r.modelId)).toEqual(['a', 'b', 'c']);
	});
});

describe('bradleyTerry with the default prior', () => {
	it('keeps an undefeated model finite and widens intervals with fewer votes', () => {
		const one = bradleyTerry([vote(['a', 'b'], win('a'))]);
		const [top, bottom] = one;
		expect(top?.modelId).toBe('a');
		expect(Number.isFinite(top?.rating)).toBe(true);
		// Centred on 1000, the two models symmetric around it.
		expect((top?.rating ?? 0) + (bottom?.rating ?? 0)).toBeCloseTo(2000, 6);
		const many = bradleyTerry(Array.from({ length: 20 }, () => vote(['a', 'b'], win('a'))));
		expect(many[0]?.rating).toBeGreaterThan(top?.rating ?? Infinity);
		expect(many[0]?.low).toBeLessThan(many[0]?.rating ?? 0);
		// An even record: 1-1 against 10-10.
		const even = (k: number) =>
			bradleyTerry(
				Array.from({ length: 2 * k }, (_, i) => vote(['a', 'b'], win(i % 2 ? 'a' : 'b')))
			)[0];
		const width = (r: { low: number; high: number } | undefined) => (r ? r.high - r.low : 0);
		expect(even(1)?.rating).toBeCloseTo(1000, 6);
		expect(width(even(10))).toBeLessThan(width(even(1)) / 2);
	});

	it('has nothing to rate without votes', () => {
		expect(bradleyTerry([])).toEqual([]);
	});
});

describe('elo', () => {
	it('moves 16 points each way on an even first game, then by the expected score', () => {
		const votes = [vote(['a', 'b'], win('a'))];
		expect(Object.fromEntries(elo(votes))).toEqual({ a: 1016, b: 984 });
		votes.push(vote(['a', 'b'], win('b')));
		const after = elo(votes);
		// B was expected to score 1 / (1 + 10^(32/400)) = 0.45408: it gains 32 x 0.54592.
		expect(after.get('b')).toBeCloseTo(984 + 17.4695, 3);
		expect(after.get('a')).toBeCloseTo(1016 - 17.4695, 3);
	});
});

describe('tags', () => {
	it('lists tags and filters votes by one', () => {
		const votes = [vote(['a', 'b'], win('a'), ['code']), vote(['a', 'b'], win('b'), ['poems'])];
		expect(voteTags(votes)).toEqual(['code', 'poems']);
		expect(filterByTag(votes, 'code').map((v) => v.outcome)).toEqual([win('a')]);
		expect(filterByTag(votes, null)).toHaveLength(2);
	});
});
