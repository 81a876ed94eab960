import { describe, expect, it } from 'vitest';
import {
	formatPrompts,
	parsePrompts,
	pendingTasks,
	runProgress,
	suiteBatches,
	summarizeRun,
	withResult
} from '$lib/compare/suite';
import { run, stats } from './builders';

const result = (promptIndex: number, modelId: string, decode = 40) => ({
	promptIndex,
	modelId,
	content: `${modelId}:${promptIndex}`,
	stats: stats({ decodeTokensPerSec: decode }),
	loadMs: null
});

describe('suite runs', () => {
	it('lists the missing answers and the progress', () => {
		const r = run({ results: [result(0, 'a')] });
		expect(pendingTasks(r)).toEqual([
			{ promptIndex: 0, modelId: 'b' },
			{ promptIndex: 1, modelId: 'a' },
			{ promptIndex: 1, modelId: 'b' }
		]);
		expect(runProgress(r)).toEqual({ done: 1, total: 4 });
	});

	it('runs models that fit together prompt by prompt, side by side', () => {
		const needs = [
			{ modelId: 'a', estimateMB: 1000 },
			{ modelId: 'b', estimateMB: 1000 }
		];
		expect(suiteBatches(run(), needs, 4000)).toEqual([
			{ group: ['a', 'b'], modelIds: ['a', 'b'], promptIndex: 0 },
			{ group: ['a', 'b'], modelIds: ['a', 'b'], promptIndex: 1 }
		]);
	});

	it('runs models that must take turns model by model, and resumes with only what is missing', () => {
		const needs = [
			{ modelId: 'a', estimateMB: 3000 },
			{ modelId: 'b', estimateMB: 3000 }
		];
		expect(suiteBatches(run(), needs, 4000)).toEqual([
			{ group: ['a'], modelIds: ['a'], promptIndex: 0 },
			{ group: ['a'], modelIds: ['a'], promptIndex: 1 },
			{ group: ['b'], modelIds: ['b'], promptIndex: 0 },
			{ group: ['b'], modelIds: ['b'], promptIndex: 1 }
		]);
		// Interrupted after a's answers and b's first: b is loaded, one batch is left.
		const resumed = run({ results: [result(0, 'a'), result(1, 'a'), result(0, 'b')] });
		expect(suiteBatches(resumed, needs, 4000, ['b'])).toEqual([
			{ group: ['b'], modelIds: ['b'], promptIndex: 1 }
		]);
		// Models that fit together but only one still needs an answer: the group is still loaded whole.
		const shared = needs.map((n) => ({ ...n, estimateMB: 1000 }));
		expect(suiteBatches(run({ results: [result(0, 'a')] }), shared, 4000)[0]).toEqual({
			group: ['a', 'b'],
			modelIds: ['b'],
			promptIndex: 0
		});
	});

	it('records results, replacing a retried cell, and is done when the grid is full', () => {
		let r = run();
		r = withResult(r, result(0, 'a'), 1);
		r = withResult(r, { ...result(0, 'a'), content: 'again' }, 2);
		expect(r.results).toHaveLength(1);
		expect(r.results[0]?.content).toBe('again');
		expect(r.status).toBe('running');
		for (const [p, m] of [
			[0, 'b'],
			[1, 'a'],
			[1, 'b']
		] as const)
			r = withResult(r, result(p, m), 3);
		expect(r.status).toBe('done');
		expect(r.updatedAt).toBe(3);
	});

	it('summarises each model', () => {
		const r = run({
			results: [
				result(0, 'a', 30),
				{ ...result(1, 'a', 50), loadMs: 900 },
				{ ...result(0, 'b'), stats: null, errorCode: 'device-lost' as const }
			]
		});
		const [a, b] = summarizeRun(r);
		expect(a).toMatchObject({ answers: 2, meanDecodeTokensPerSec: 40, meanLoadMs: 900 });
		expect(b).toMatchObject({ answers: 0, failures: 1, meanDecodeTokensPerSec: null });
	});
});

describe('prompt editing', () => {
	it('takes one prompt per line, or blocks between --- lines', () => {
		expect(parsePrompts('one\n\n two \r\nthree')).toEqual(['one', 'two', 'three']);
		expect(parsePrompts('line 1\nline 2\n---\nsecond')).toEqual(['line 1\nline 2', 'second']);
		for (const prompts of [
			['a', 'b'],
			['x\ny', 'z']
		])
			expect(parsePrompts(formatPrompts(prompts))).toEqual(prompts);
	});
});
