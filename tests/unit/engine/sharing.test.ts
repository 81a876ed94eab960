// Which tabs use which model, and whether a load must ask first (sharing.ts).
import { describe, expect, it } from 'vitest';
import {
	pruned,
	takenFromOthers,
	usersOf,
	withUse,
	type Uses
} from '../../../src/lib/engine/sharing';

const uses = (entries: Record<string, string[]>): Uses =>
	new Map(Object.entries(entries).map(([client, ids]) => [client, new Set(ids)]));

describe('sharing', () => {
	it('records the models a tab uses, and forgets what left the GPU or a closed tab used', () => {
		let u: Uses = new Map();
		u = withUse(u, 'A', ['x']);
		u = withUse(u, 'B', ['x']);
		u = withUse(u, 'A', ['e']);
		expect(usersOf(u, 'x')).toEqual(['A', 'B']);
		expect(usersOf(u, 'e')).toEqual(['A']);
		u = pruned(u, ['e'], ['A', 'B']);
		expect(usersOf(u, 'x')).toEqual([]);
		expect([...u.keys()]).toEqual(['A']);
		expect(usersOf(pruned(u, ['e'], ['B']), 'e')).toEqual([]);
	});

	it('asks when another tab uses a model the load unloads, never for the asking tab alone', () => {
		const u = uses({ A: ['x'], B: ['y'] });
		expect(takenFromOthers('B', ['x'], u, [])).toEqual([{ modelId: 'x', kind: 'idle' }]);
		expect(takenFromOthers('A', ['x'], u, [])).toEqual([]);
		expect(takenFromOthers('B', ['y'], u, [])).toEqual([]);
		expect(takenFromOthers('B', [], u, [])).toEqual([]);
		// Shared by both: the other one still loses it.
		expect(takenFromOthers('A', ['x'], uses({ A: ['x'], B: ['x'] }), [])).toEqual([
			{ modelId: 'x', kind: 'idle' }
		]);
	});

	it('names the answers other tabs are writing with it, not this tab’s own', () => {
		const u = uses({ A: ['x'] });
		const work = [
			{ client: 'A', modelId: 'x', kind: 'chat' as const },
			{ client: 'B', modelId: 'x', kind: 'chat' as const }
		];
		expect(takenFromOthers('B', ['x'], u, work)).toEqual([{ modelId: 'x', kind: 'chat' }]);
		expect(takenFromOthers('A', ['x'], uses({}), work)).toEqual([{ modelId: 'x', kind: 'chat' }]);
		expect(takenFromOthers('A', ['x'], u, work.slice(0, 1))).toEqual([]);
	});
});
