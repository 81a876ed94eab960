// Where a share waits between the service worker that receives it and the page that opens it: a
// small IndexedDB database of its own (not the app's, whose schema and upgrades belong to the page),
// on this device only. The page takes a share once (read and deleted together), so a reload of the
// page it was opened in does not attach it twice; shares never taken are dropped after a day.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** What arrived with one share (Web Share Target: files, title, text, url). */
export interface SharedItem {
	id: string;
	files: File[];
	title: string;
	text: string;
	url: string;
	receivedAt: number;
}

interface InboxSchema extends DBSchema {
	shares: { key: string; value: SharedItem };
}

const NAME = 'lantern-shared';
const KEEP_MS = 24 * 60 * 60 * 1000;

export interface Inbox {
	put(item: SharedItem): Promise<void>;
	/** The share, removed from the inbox; null when it is not (or no longer) there. */
	take(id: string): Promise<SharedItem | null>;
}

export function openInbox(name = NAME): Inbox {
	let db: Promise<IDBPDatabase<InboxSchema>> | null = null;
	const open = () =>
		(db ??= openDB<InboxSchema>(name, 1, {
			upgrade: (database) => void database.createObjectStore('shares', { keyPath: 'id' })
		}));
	return {
		async put(item) {
			const tx = (await open()).transaction('shares', 'readwrite');
			for (const old of await tx.store.getAll()) {
				if (old.receivedAt < item.receivedAt - KEEP_MS) await tx.store.delete(old.id);
			}
			await tx.store.put(item);
			await tx.done;
		},
		async take(id) {
			const tx = (await open()).transaction('shares', 'readwrite');
			const item = (await tx.store.get(id)) ?? null;
			if (item) await tx.store.delete(id);
			await tx.done;
			return item;
		}
	};
}
