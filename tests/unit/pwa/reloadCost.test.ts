// What the update prompt says a reload costs, with the engine shared by every tab.
import { describe, expect, it } from 'vitest';
import { reloadCost, type ReloadView } from '../../../src/lib/pwa/reloadCost';

const view = (over: Partial<ReloadView>): ReloadView => ({
	answeringHere: false,
	answeringElsewhere: false,
	models: [],
	reloadEffect: 'ends',
	...over
});

describe('reloadCost', () => {
	it('waits for another tab’s answer, whatever else a reload would do', () => {
		expect(
			reloadCost(view({ answeringElsewhere: true, answeringHere: true, models: ['a'] }))
		).toEqual({ kind: 'waits' });
	});

	it('stops this tab’s answer, and unloads only when nobody else uses the engine', () => {
		expect(reloadCost(view({ answeringHere: true, models: ['a'] }))).toEqual({
			kind: 'answer',
			unloads: true
		});
		for (const reloadEffect of ['moves', 'stays'] as const)
			expect(reloadCost(view({ answeringHere: true, models: ['a'], reloadEffect }))).toEqual({
				kind: 'answer',
				unloads: false
			});
	});

	it('unloads the models when this is the last tab, hands them over when it hosts them for others', () => {
		expect(reloadCost(view({ models: ['a', 'b'] }))).toEqual({ kind: 'model', models: ['a', 'b'] });
		expect(reloadCost(view({ models: ['a'], reloadEffect: 'moves' }))).toEqual({
			kind: 'hand-over',
			models: ['a']
		});
		// Another tab or a shared worker runs the engine for the tabs that stay: nothing is lost.
		expect(reloadCost(view({ models: ['a'], reloadEffect: 'stays' }))).toEqual({ kind: 'none' });
		expect(reloadCost(view({}))).toEqual({ kind: 'none' });
	});
});
