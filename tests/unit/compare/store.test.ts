import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { CompareStore } from '$lib/compare/CompareStore.svelte';
import { CompareRepository } from '$lib/compare/repository';
import { DEFAULT_COMPARE_SETTINGS } from '$lib/compare/types';
import { connect } from '$lib/storage/db';
import { StorageError } from '$lib/storage/errors';
import { SettingsRepository } from '$lib/storage/settings';

let n = 0;
function open(name = `compare-store-${++n}`) {
	const db = connect(name);
	const settings = new SettingsRepository(db, () => {});
	return { name, settings, store: new CompareStore(new CompareRepository(db), settings) };
}

describe('CompareStore', () => {
	it('keeps the choices between visits, and falls back on bad stored values', async () => {
		const first = open();
		await first.store.load();
		expect(first.store.blind).toBe(true);
		expect(first.store.budgetMB).toBeNull();
		first.store.setBudget(3000);
		first.store.setBlind(false);
		first.store.setModels(['a', 'b']);
		first.store.setSettings({ ...DEFAULT_COMPARE_SETTINGS, temperature: 0.2 });
		// The choices are saved in the background: a later visit finds them.
		await vi.waitFor(async () => {
			const again = open(first.name);
			await again.store.load();
			expect(again.store.budgetMB).toBe(3000);
			expect(again.store.blind).toBe(false);
			expect(again.store.models).toEqual(['a', 'b']);
			expect(again.store.settings.temperature).toBe(0.2);
		});

		await first.settings.set('compare.memoryBudgetMB', -5);
		await first.settings.set('compare.settings', { temperature: 'hot' });
		const third = open(first.name);
		await third.store.load();
		expect(third.store.budgetMB).toBeNull();
		expect(third.store.settings).toEqual(DEFAULT_COMPARE_SETTINGS);
	});

	it('imports a valid votes file, and nothing from a damaged one', async () => {
		const { store } = open();
		await store.load();
		const file = JSON.stringify({
			format: 'lantern-votes',
			version: 1,
			votes: [
				{
					id: 'v1',
					createdAt: 1,
					models: ['a', 'b'],
					outcome: { kind: 'tie' },
					blind: true,
					prompt: '',
					tags: []
				},
				{
					id: 'v2',
					createdAt: 2,
					models: ['a', 'b'],
					outcome: { kind: 'nope' },
					blind: true,
					prompt: '',
					tags: []
				}
			]
		});
		await expect(store.importVotes(file)).rejects.toThrow(/votes\[1\]\.outcome/);
		expect(store.votes).toEqual([]);
		const good = JSON.parse(file);
		good.votes.pop();
		expect(await store.importVotes(JSON.stringify(good))).toBe(1);
		expect(store.votes.map((v) => v.id)).toEqual(['v1']);
		expect(JSON.parse(store.exportVotes()).votes).toEqual(store.votes);
	});

	it('saves and edits suites', async () => {
		const { store } = open();
		await store.load();
		const suite = await store.saveSuite({ name: ' Mine ', prompts: ['p'], tags: [] });
		if (!suite) throw new Error('the suite was not saved');
		expect(store.suites.map((s) => s.name)).toEqual(['Mine']);
		await store.saveSuite({ id: suite.id, name: 'Renamed', prompts: ['p', 'q'], tags: ['x'] });
		expect(store.suites).toHaveLength(1);
		expect(store.suites[0]).toMatchObject({ id: suite.id, name: 'Renamed', prompts: ['p', 'q'] });
	});

	it('a failed write keeps what is shown and holds a typed storage error until dismissed', async () => {
		const db = connect(`compare-store-${++n}`);
		const repository = new CompareRepository(db);
		const failing = new CompareStore(repository, new SettingsRepository(db, () => {}));
		await failing.load();
		const saved = await failing.saveSuite({ name: 'Kept', prompts: ['p'], tags: [] });
		repository.deleteSuite = () =>
			Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
		await failing.deleteSuite(saved?.id ?? '');
		expect(failing.error).toBeInstanceOf(StorageError);
		expect(failing.error?.code).toBe('quota-exceeded');
		expect(failing.suites.map((s) => s.name)).toEqual(['Kept']);
		failing.dismissError();
		expect(failing.error).toBeNull();
	});
});
