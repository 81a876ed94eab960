// WebLLM's three IndexedDB caches, opened with the exact schema `ArtifactIndexedDBCache` creates
// (version 1, store "urls", keyPath "url"), so both sides can open them in either order and no
// upgrade ever blocks the other. The app writes `{ url, data }` exactly as WebLLM does; see
// artifacts.ts for which data is parsed JSON and which an ArrayBuffer.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { IDB_STORE, IDB_VERSION, type CacheDb } from './artifacts';

export interface StoredArtifact {
	url: string;
	data: unknown;
}

interface CacheSchema extends DBSchema {
	urls: { key: string; value: StoredArtifact };
}

type Db = IDBPDatabase<CacheSchema>;

export class ArtifactStore {
	#dbs = new Map<CacheDb, Promise<Db>>();

	#open(name: CacheDb): Promise<Db> {
		let db = this.#dbs.get(name);
		if (!db) {
			db = openDB<CacheSchema>(name, IDB_VERSION, {
				upgrade(database) {
					if (!database.objectStoreNames.contains(IDB_STORE)) {
						database.createObjectStore(IDB_STORE, { keyPath: 'url' });
					}
				},
				// Someone (a "clear site data", a test) wants the database gone: let go of it.
				blocking: () => this.#forget(name)
			});
			this.#dbs.set(name, db);
			// A failed open must not stick: the next call tries again.
			db.catch(() => this.#dbs.delete(name));
		}
		return db;
	}

	#forget(name: CacheDb) {
		const db = this.#dbs.get(name);
		this.#dbs.delete(name);
		void db?.then((d) => d.close()).catch(() => undefined);
	}

	/** Opens `db` ahead of its first use (a fresh worker's first open takes a while). */
	async prepare(db: CacheDb): Promise<void> {
		await this.#open(db);
	}

	/** Presence without reading the value (a shard is tens of MB). */
	async has(db: CacheDb, url: string): Promise<boolean> {
		return (await (await this.#open(db)).getKey(IDB_STORE, url)) !== undefined;
	}

	/** The stored `data`, or undefined. WebLLM treats a null `data` as missing, and so do we. */
	async get(db: CacheDb, url: string): Promise<unknown> {
		const entry = await (await this.#open(db)).get(IDB_STORE, url);
		return entry?.data ?? undefined;
	}

	async put(db: CacheDb, url: string, data: unknown): Promise<void> {
		await (await this.#open(db)).put(IDB_STORE, { url, data });
	}

	async delete(db: CacheDb, url: string): Promise<void> {
		await (await this.#open(db)).delete(IDB_STORE, url);
	}

	/** Keys that start with `prefix` (a model's base URL), in key order. */
	async keysWithPrefix(db: CacheDb, prefix: string): Promise<string[]> {
		const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
		return (await this.#open(db)).getAllKeys(IDB_STORE, range);
	}

	close(): void {
		for (const name of [...this.#dbs.keys()]) this.#forget(name);
	}
}

/** Bytes a stored value takes: an ArrayBuffer's length, or parsed JSON's serialised length. */
export function storedSize(data: unknown): number {
	if (data instanceof ArrayBuffer) return data.byteLength;
	if (ArrayBuffer.isView(data)) return data.byteLength;
	if (data === undefined) return 0;
	return new TextEncoder().encode(JSON.stringify(data)).byteLength;
}
