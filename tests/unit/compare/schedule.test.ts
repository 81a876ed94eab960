import { describe, expect, it } from 'vitest';
import { groupByMemory, planRound, totalEstimateMB, type MemoryNeed } from '$lib/compare/schedule';

const need = (modelId: string, estimateMB: number | null): MemoryNeed => ({ modelId, estimateMB });
const a = need('a', 1000);
const b = need('b', 1500);
const c = need('c', 2000);

describe('groupByMemory', () => {
	it('keeps models together when their sum fits the budget', () => {
		expect(groupByMemory([a, b], 2500)).toEqual([[0, 1]]);
		expect(groupByMemory([a, b, c], 4500)).toEqual([[0, 1, 2]]);
	});

	it('splits into turns when the sum is over the budget', () => {
		expect(groupByMemory([a, b], 2499)).toEqual([[0], [1]]);
		// 4500 > 4000: two groups; {a, c} = 3000 and {a, b} = 2500 both fit, the earliest panes win.
		expect(groupByMemory([a, b, c], 4000)).toEqual([[0, 1], [2]]);
	});

	it('finds the split with the fewest groups, not just the first fit', () => {
		// In pane order, first-fit gives {a,b}, {c}, {d}; pairing big with small needs two groups.
		const needs = [need('a', 600), need('b', 600), need('c', 1400), need('d', 1400)];
		expect(groupByMemory(needs, 2000)).toEqual([
			[0, 2],
			[1, 3]
		]);
	});

	it('runs every model alone when the budget or an estimate is unknown', () => {
		expect(groupByMemory([a, b], undefined)).toEqual([[0], [1]]);
		expect(groupByMemory([a, need('x', null), b], 10_000)).toEqual([[0, 2], [1]]);
	});

	it('gives a model over the budget its own turn rather than refusing it', () => {
		expect(groupByMemory([need('huge', 9000), a], 4000)).toEqual([[0], [1]]);
	});
});

describe('planRound', () => {
	it('loads models that fit together once and generates them at the same time', () => {
		const plan = planRound([a, b], 3000);
		expect(plan.together).toBe(true);
		expect(plan.steps).toEqual([
			{ kind: 'load', modelIds: ['a', 'b'] },
			{ kind: 'generate', modelIds: ['a', 'b'] }
		]);
	});

	it('takes turns with an unload between groups', () => {
		const plan = planRound([a, b, c], 3000);
		expect(plan.groups).toEqual([['a', 'b'], ['c']]);
		expect(plan.steps).toEqual([
			{ kind: 'load', modelIds: ['a', 'b'] },
			{ kind: 'generate', modelIds: ['a', 'b'] },
			{ kind: 'unload' },
			{ kind: 'load', modelIds: ['c'] },
			{ kind: 'generate', modelIds: ['c'] }
		]);
	});

	it('starts a follow-up with what is loaded, so no switch is wasted', () => {
		expect(planRound([a, b], 3000, ['a', 'b']).steps).toEqual([
			{ kind: 'generate', modelIds: ['a', 'b'] }
		]);
		expect(planRound([a, b], 2000, ['b']).steps).toEqual([
			{ kind: 'generate', modelIds: ['b'] },
			{ kind: 'unload' },
			{ kind: 'load', modelIds: ['a'] },
			{ kind: 'generate', modelIds: ['a'] }
		]);
		// Something else loaded: unload it first.
		expect(planRound([a], 3000, ['z']).steps[0]).toEqual({ kind: 'unload' });
	});
});

it('totalEstimateMB is null when any estimate is unknown', () => {
	expect(totalEstimateMB([a, b])).toBe(2500);
	expect(totalEstimateMB([a, need('x', null)])).toBeNull();
});
