import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CompareRepository } from '$lib/compare/repository';
import { connect } from '$lib/storage/db';
import { run } from './builders';

let count = 0;
const fresh = () => {
	const db = connect(`compare-test-${++count}`);
	return { db, repo: new CompareRepository(db) };
};

describe('CompareRepository', () => {
	it('stores votes oldest first and skips unreadable ones', async () => {
		const { db, repo } = fresh();
		await repo.addVote({
			id: 'v2',
			createdAt: 20,
			models: ['a', 'b'],
			outcome: { kind: 'tie' },
			blind: true,
			prompt: '',
			tags: []
		});
		await repo.importVotes([
			{
				id: 'v1',
				createdAt: 10,
				models: ['a', 'b'],
				outcome: { kind: 'winner', modelId: 'a' },
				blind: false,
				prompt: 'p',
				tags: ['x']
			}
		]);
		// Written by hand or by a broken version: no models.
		await (await db()).put('compareVotes', { id: 'bad' } as never);
		expect((await repo.listVotes()).map((v) => v.id)).toEqual(['v1', 'v2']);
	});

	it('keeps suites, runs and comparisons', async () => {
		const { repo } = fresh();
		await repo.putSuite({
			id: 's',
			name: 'S',
			prompts: ['p'],
			tags: [],
			createdAt: 1,
			updatedAt: 1
		});
		await repo.putRun(run());
		await repo.putComparison({
			id: 'c',
			title: 't',
			createdAt: 1,
			updatedAt: 1,
			settings: run().settings,
			panes: [
				{ modelId: 'a', messages: [] },
				{ modelId: 'b', messages: [] }
			],
			order: [1, 0],
			blind: true,
			revealed: false,
			tags: []
		});
		expect((await repo.listSuites())[0]?.name).toBe('S');
		expect(await repo.listRuns()).toEqual([run()]);
		expect((await repo.getComparison('c'))?.order).toEqual([1, 0]);
		await repo.deleteComparison('c');
		await repo.deleteRun('run-1');
		await repo.deleteSuite('s');
		expect(await repo.getComparison('c')).toBeNull();
		expect(await repo.listRuns()).toEqual([]);
		expect(await repo.listSuites()).toEqual([]);
	});
});
