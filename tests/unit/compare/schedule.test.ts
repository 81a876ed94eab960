import { describe, expect, it } from 'vitest';
import {
	groupByMemory,
	needOf,
	planRound,
	totalEstimateMB,
	type MemoryNeed
} from '$lib/compare/schedule';

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

describe('models on the user’s servers', () => {
	const server = need('127.0.0.1:11434/llama3.1:70b', 0);
	const other = need('gpu-box:8000/qwen3', 0);

	it('never make in-browser models take turns, and answer with the first group', () => {
		// Unknown budget: a and b take turns; the server model joins the first turn.
		expect(planRound([a, server, b], undefined).groups).toEqual([
			['a', '127.0.0.1:11434/llama3.1:70b'],
			['b']
		]);
		// One in-browser model and server models: one group, at the same time.
		const plan = planRound([server, a, other], undefined);
		expect(plan.together).toBe(true);
		expect(plan.groups).toEqual([[server.modelId, 'a', other.modelId]]);
		// Server models alone.
		expect(planRound([server, other], undefined).groups).toEqual([[server.modelId, other.modelId]]);
	});

	it('count for nothing against the budget', () => {
		expect(planRound([a, b, server], 2500).together).toBe(true);
		expect(totalEstimateMB([a, server])).toBe(1000);
	});

	it('are added beside a loaded in-browser model without unloading it', () => {
		expect(planRound([a, server], undefined, ['a']).steps).toEqual([
			{ kind: 'load', modelIds: ['a', server.modelId] },
			{ kind: 'generate', modelIds: ['a', server.modelId] }
		]);
		// A follow-up after in-browser turns starts with the loaded group, the server model in it.
		expect(planRound([a, b, server], undefined, ['b']).steps).toEqual([
			{ kind: 'load', modelIds: ['b', server.modelId] },
			{ kind: 'generate', modelIds: ['b', server.modelId] },
			{ kind: 'unload' },
			{ kind: 'load', modelIds: ['a'] },
			{ kind: 'generate', modelIds: ['a'] }
		]);
	});

	it('needOf gives a server model 0 and an in-browser model its estimate', () => {
		const remote = {
			model: 'http://127.0.0.1:11434/v1',
			model_id: server.modelId,
			model_lib: '',
			remote: { serverId: 's1', name: 'llama3.1:70b' }
		};
		expect(needOf(remote)).toEqual({ modelId: server.modelId, estimateMB: 0 });
		expect(
			needOf({ model: 'x', model_id: 'm', model_lib: 'm.wasm', vram_required_MB: 1000 })
		).toEqual({ modelId: 'm', estimateMB: 1200 });
	});
});
