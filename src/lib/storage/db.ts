// The app's IndexedDB database, "lantern", through `idb`.
//
// Schema changes are numbered steps: `steps[i]` upgrades version i to i + 1, and the database
// version is `steps.length`. To change the schema, append a step (never edit a shipped one: users'
// databases have already run it), update `LanternSchema` to the new shape, and make the readers in
// validate.ts accept both the old and the new records, since a step may leave old data in place.
import {
	openDB,
	type DBSchema,
	type IDBPDatabase,
	type IDBPTransaction,
	type StoreNames
} from 'idb';
import type { CustomModelEntry, ModelNoteEntry } from '$lib/models/customModels';
import type { SavedComparison, Suite, SuiteRun, Vote } from '$lib/compare/types';
import type { Conversation, Message, Preset, SettingEntry } from './types';

export interface LanternSchema extends DBSchema {
	conversations: {
		key: string;
		value: Conversation;
		indexes: { 'by-updatedAt': number };
	};
	messages: {
		key: string;
		value: Message;
		indexes: { 'by-conversationId': string };
	};
	presets: {
		key: string;
		value: Preset;
	};
	settings: {
		key: string;
		value: SettingEntry;
	};
	/** Models the user added by URL (src/lib/models/customModels.ts). */
	customModels: {
		key: string;
		value: CustomModelEntry;
	};
	/** Per model: its exact download size once known, and when it was last loaded. */
	modelNotes: {
		key: string;
		value: ModelNoteEntry;
	};
	/** Compare: arena votes (src/lib/compare/types.ts). */
	compareVotes: {
		key: string;
		value: Vote;
	};
	/** Compare: named prompt lists. */
	compareSuites: {
		key: string;
		value: Suite;
	};
	/** Compare: suite runs with their answers, kept so an interrupted run can resume. */
	compareRuns: {
		key: string;
		value: SuiteRun;
	};
	/** Compare: saved side-by-side comparisons. */
	comparisons: {
		key: string;
		value: SavedComparison;
	};
}

export type LanternDB = IDBPDatabase<LanternSchema>;
export type StoreName = StoreNames<LanternSchema>;

type UpgradeStep = (
	db: LanternDB,
	tx: IDBPTransaction<LanternSchema, StoreName[], 'versionchange'>
) => void;

const steps: UpgradeStep[] = [
	// 0 -> 1: the first schema.
	(db) => {
		const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
		conversations.createIndex('by-updatedAt', 'updatedAt');
		const messages = db.createObjectStore('messages', { keyPath: 'id' });
		messages.createIndex('by-conversationId', 'conversationId');
		db.createObjectStore('presets', { keyPath: 'id' });
		db.createObjectStore('settings', { keyPath: 'key' });
	},
	// 1 -> 2: custom models, and remembered model sizes and last use.
	(db) => {
		db.createObjectStore('customModels', { keyPath: 'modelId' });
		db.createObjectStore('modelNotes', { keyPath: 'modelId' });
	},
	// Compare: votes, prompt suites, suite runs and saved comparisons.
	(db) => {
		db.createObjectStore('compareVotes', { keyPath: 'id' });
		db.createObjectStore('compareSuites', { keyPath: 'id' });
		db.createObjectStore('compareRuns', { keyPath: 'id' });
		db.createObjectStore('comparisons', { keyPath: 'id' });
	}
];

export const DB_NAME = 'lantern';
export const DB_VERSION = steps.length;

/** Opens (creating or upgrading) the database. Prefer `connect`, which also handles other tabs. */
export function openLanternDb(name = DB_NAME, onGone?: () => void): Promise<LanternDB> {
	return openDB<LanternSchema>(name, DB_VERSION, {
		upgrade(db, oldVersion, newVersion, tx) {
			for (let v = oldVersion; v < (newVersion ?? DB_VERSION); v++) steps[v]?.(db, tx);
		},
		// Another tab (running a newer Lantern) needs to upgrade: step aside instead of blocking it.
		blocking(_current, _blocked, event) {
			(event.target as IDBDatabase | null)?.close();
			onGone?.();
		},
		terminated() {
			onGone?.();
		}
	});
}

/** Hands out one shared connection, reopening it if it was closed for another tab or by the browser. */
export type Connection = () => Promise<LanternDB>;

export function connect(name = DB_NAME): Connection {
	let db: Promise<LanternDB> | null = null;
	return () => {
		if (db) return db;
		const forget = () => {
			if (db === opening) db = null;
		};
		const opening = openLanternDb(name, forget);
		// A failed open is not cached: the next call tries again.
		opening.catch(forget);
		db = opening;
		return opening;
	};
}
