import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeKind } from '$lib/storage/broadcast';
import { connect, type Connection } from '$lib/storage/db';
import { PresetRepository } from '$lib/storage/presets';
import { SettingsRepository } from '$lib/storage/settings';

let n = 0;
let db: Connection;
let changes: [ChangeKind, string | null][];
beforeEach(() => {
	db = connect(`presets-settings-${++n}`);
	changes = [];
});
const notify = (kind: ChangeKind, id: string | null) => changes.push([kind, id]);

describe('presets', () => {
	it('creates, updates, lists by name and deletes', async () => {
		let clock = 10;
		const repo = new PresetRepository(db, { notify, now: () => clock, newId: () => 'p1' });
		const pirate = await repo.save({ name: ' Pirate ', prompt: 'Talk like a pirate.' });
		expect(pirate).toEqual({
			id: 'p1',
			name: 'Pirate',
			prompt: 'Talk like a pirate.',
			createdAt: 10,
			updatedAt: 10
		});
		clock = 20;
		const edited = await repo.save({ id: 'p1', name: 'Captain', prompt: 'Arr.' });
		expect(edited).toMatchObject({ createdAt: 10, updatedAt: 20 });
		await new PresetRepository(db, { notify, newId: () => 'p2' }).save({
			name: 'Accountant',
			prompt: ''
		});
		expect((await repo.list()).map((p) => p.name)).toEqual(['Accountant', 'Captain']);
		await repo.delete('p1');
		expect((await repo.list()).map((p) => p.id)).toEqual(['p2']);
		expect(changes.map(([kind]) => kind)).toEqual(['preset', 'preset', 'preset', 'preset']);
	});

	it('refuses a blank name', async () => {
		await expect(
			new PresetRepository(db, { notify }).save({ name: '  ', prompt: 'x' })
		).rejects.toThrow(RangeError);
	});
});

describe('settings', () => {
	const isTheme = (v: unknown): v is 'light' | 'dark' => v === 'light' || v === 'dark';

	it('returns the fallback until set, then the stored value', async () => {
		const settings = new SettingsRepository(db, notify);
		expect(await settings.get('theme', isTheme, 'dark')).toBe('dark');
		await settings.set('theme', 'light');
		expect(await settings.get('theme', isTheme, 'dark')).toBe('light');
		expect(changes).toEqual([['setting', 'theme']]);
	});

	it('falls back when the stored value has the wrong shape', async () => {
		const settings = new SettingsRepository(db, notify);
		await settings.set('theme', 42);
		expect(await settings.get('theme', isTheme, 'dark')).toBe('dark');
		await settings.delete('theme');
		expect(await settings.get('theme', isTheme, 'light')).toBe('light');
	});
});
