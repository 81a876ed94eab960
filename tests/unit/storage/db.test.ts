import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, connect, openLanternDb } from '$lib/storage/db';
import { StorageError } from '$lib/storage/errors';

describe('database schema', () => {
	it('creates every store and index at the current version', async () => {
		const db = await openLanternDb('schema-test');
		expect(db.version).toBe(DB_VERSION);
		expect([...db.objectStoreNames].sort()).toEqual([
			'compareRuns',
			'compareSuites',
			'compareVotes',
			'comparisons',
			'conversations',
			'customModels',
			'messages',
			'modelNotes',
			'presets',
			'settings'
		]);
		const tx = db.transaction(['conversations', 'messages'], 'readonly');
		expect([...tx.objectStore('conversations').indexNames]).toEqual(['by-updatedAt']);
		expect([...tx.objectStore('messages').indexNames]).toEqual(['by-conversationId']);
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
