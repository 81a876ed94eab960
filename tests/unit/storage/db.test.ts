import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ConversationRepository } from '$lib/storage/conversations';
import { DatabaseStatus } from '$lib/storage/DatabaseStatus.svelte';
import { DB_VERSION, connect, openLanternDb, type DatabaseState } from '$lib/storage/db';
import { StorageError } from '$lib/storage/errors';
import { FIXTURES, releaseDatabase, seedDatabase } from '../../fixtures/migrations';

describe('database schema', () => {
	it('creates every store and index at the current version', async () => {
		const db = await openLanternDb('schema-test');
		expect(db.version).toBe(DB_VERSION);
		expect([...db.objectStoreNames].sort()).toEqual([
			'attachments',
			'collections',
			'compareRuns',
			'compareSuites',
			'compareVotes',
			'comparisons',
			'conversations',
			'customModels',
			'documents',
			'messageVectors',
			'messages',
			'modelNotes',
			'passages',
			'presets',
			'searchTerms',
			'settings'
		]);
		const tx = db.transaction(['conversations', 'messages', 'passages'], 'readonly');
		expect([...tx.objectStore('conversations').indexNames]).toEqual(['by-updatedAt']);
		expect([...tx.objectStore('messages').indexNames]).toEqual(['by-conversationId']);
		expect([...tx.objectStore('passages').indexNames]).toEqual(['by-documentId']);
		await tx.done;
		db.close();
	});

	it('steps aside when another tab needs a newer version, and reopens on demand', async () => {
		const get = connect('upgrade-test');
		const first = await get();
		await first.put('settings', { key: 'k', value: 1 });
		// Another tab asks for the next version: our connection must not block it.
		const newer = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('upgrade-test', DB_VERSION + 1);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
			request.onblocked = () => reject(new Error('blocked'));
		});
		newer.close();
		// The next call opens a fresh connection; at our version, since the newer one is on disk,
		// it fails and is not cached. The repositories report that as StorageError 'outdated'.
		const error = await get().catch((e: unknown) => e);
		expect(StorageError.from(error).code).toBe('outdated');
		expect(get()).not.toBe(first);
	});
});

describe('another tab holds the database during an upgrade', () => {
	let n = 0;

	it('waits for an older tab that keeps the database open, says so, and carries on once it closes', async () => {
		const name = `blocked-${++n}`;
		const older = FIXTURES.find((f) => f.version === DB_VERSION - 1);
		if (!older) throw new Error('no fixture for the previous version');
		// An older tab's connection that ignores `versionchange`.
		await seedDatabase({ name, fixture: older, hold: true });
		const states: DatabaseState[] = [];
		const get = connect(name, (state) => states.push(state));
		let opened = false;
		const opening = get().then((db) => {
			opened = true;
			return db;
		});
		await expect.poll(() => states).toEqual(['blocked']);
		expect(opened).toBe(false);

		releaseDatabase();
		const db = await opening;
		expect(states).toEqual(['blocked', 'ok']);
		expect(db.version).toBe(DB_VERSION);
		const conversations = new ConversationRepository(get, { notify: () => {} });
		expect(await conversations.list()).toHaveLength(older.records.conversations?.length ?? -1);
		db.close();
	});

	it('tells the page to reload when a newer tab upgrades the database under it; writes fail as outdated', async () => {
		const name = `outdated-${++n}`;
		const states: DatabaseState[] = [];
		const get = connect(name, (state) => states.push(state));
		const conversations = new ConversationRepository(get, { notify: () => {} });
		const kept = await conversations.create({ title: 'Written before the upgrade' });
		expect(states).toEqual([]);

		const newer = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(name, DB_VERSION + 1);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
			request.onblocked = () => reject(new Error('blocked'));
		});
		// Told at once, not only at the next write: the page can stop the user typing into the void.
		expect(states).toEqual(['outdated']);

		const error = await conversations.create({ title: 'After' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StorageError);
		expect((error as StorageError).code).toBe('outdated');
		expect(await conversations.list().catch((e: unknown) => (e as StorageError).code)).toBe(
			'outdated'
		);
		// The newer tab has the data.
		const stored = await new Promise<unknown>((resolve, reject) => {
			const request = newer.transaction('conversations').objectStore('conversations').get(kept.id);
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		expect(stored).toEqual(kept);
		newer.close();
	});

	it('says "outdated" when the database on disk is already newer than this page', async () => {
		const name = `newer-on-disk-${++n}`;
		await new Promise<void>((resolve, reject) => {
			const request = indexedDB.open(name, DB_VERSION + 1);
			request.onsuccess = () => {
				request.result.close();
				resolve();
			};
			request.onerror = () => reject(request.error);
		});
		const states: DatabaseState[] = [];
		const error = await connect(name, (state) => states.push(state))().catch((e: unknown) => e);
		expect(StorageError.from(error).code).toBe('outdated');
		expect(states).toEqual(['outdated']);
	});

	it('does not ask for a reload when the database is deleted (not upgraded) by another tab', async () => {
		const name = `deleted-${++n}`;
		const states: DatabaseState[] = [];
		const get = connect(name, (state) => states.push(state));
		await get();
		await new Promise<void>((resolve, reject) => {
			const request = indexedDB.deleteDatabase(name);
			request.onsuccess = () => resolve();
			request.onerror = () => reject(request.error);
			request.onblocked = () => reject(new Error('blocked'));
		});
		expect(states).toEqual([]);
		expect((await get()).version).toBe(DB_VERSION);
	});

	it('keeps "outdated" once reported: only a reload clears it', () => {
		const status = new DatabaseStatus();
		status.report('blocked');
		expect(status.state).toBe('blocked');
		status.report('ok');
		expect(status.state).toBe('ok');
		status.report('outdated');
		status.report('ok');
		expect(status.state).toBe('outdated');
	});
});
