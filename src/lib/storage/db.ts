// The app's IndexedDB database, "lantern", through `idb`.
//
// Schema changes are numbered steps: `steps[i]` upgrades version i to i + 1, and the database
// version is `steps.length`. To change the schema:
// - append a step; never edit a shipped one (users' databases have already run it, and the
//   migration tests build old databases from their own description, so an edit is caught);
// - update `LanternSchema` to the new shape, and make the readers in validate.ts accept both the
//   old and the new records, since a step may leave old data in place;
// - add tests/fixtures/migrations/vN.ts (the new version's stores and realistic records as the new
//   code writes them) and list it in index.ts: tests/unit/storage/migrations.test.ts fails until
//   then, and upgrades every older fixture to the new version.
//
// Other tabs: an upgrade waits until every other connection is closed. Lantern's own tabs close
// theirs when asked (`blocking`) and then report `outdated` (the page must reload); a tab that
// does not (an old or frozen one) makes this page report `blocked` until it goes.
import {
	openDB,
	type DBSchema,
	type IDBPDatabase,
	type IDBPTransaction,
	type StoreNames
} from 'idb';
import type { CustomModelEntry, ModelNoteEntry } from '$lib/models/customModels';
import type { SavedComparison, Suite, SuiteRun, Vote } from '$lib/compare/types';
import type { Attachment, Collection, Passage, StoredDocument } from '$lib/documents/types';
import type { MessageVector } from './messageVectors';
import type { TermsRecord } from './searchIndex';
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
	/** Documents: the files the user added, with their indexing status (src/lib/documents/types.ts). */
	documents: {
		key: string;
		value: StoredDocument;
	};
	/** Documents: passages with their vectors; a document's passages are the key range `${id}:`. */
	passages: {
		key: string;
		value: Passage;
		indexes: { 'by-documentId': string };
	};
	/** Documents: named collections. */
	collections: {
		key: string;
		value: Collection;
	};
	/** Documents: what each conversation has attached, by conversation id. */
	attachments: {
		key: string;
		value: Attachment;
	};
	/**
	 * History search: each conversation's distinct words, kept up to date in the same transaction
	 * as every write to its messages (searchIndex.ts). A conversation without a record has not
	 * been indexed yet.
	 */
	searchTerms: {
		key: string;
		value: TermsRecord;
		indexes: { 'by-term': string };
	};
	/**
	 * Search by meaning: one vector per message, from the embedding model the documents use
	 * (messageVectors.ts). Rebuilt when lost; never in a backup.
	 */
	messageVectors: {
		key: string;
		value: MessageVector;
		indexes: { 'by-conversationId': string; 'by-model': string };
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
	},
	// 3 -> 4: private documents: files, their passages with vectors, collections, attachments.
	(db) => {
		db.createObjectStore('documents', { keyPath: 'id' });
		const passages = db.createObjectStore('passages', { keyPath: 'id' });
		passages.createIndex('by-documentId', 'documentId');
		db.createObjectStore('collections', { keyPath: 'id' });
		db.createObjectStore('attachments', { keyPath: 'conversationId' });
	},
	// 4 -> 5: history search kept in the database: each conversation's words (a multiEntry index
	// from word to conversations), and a vector per message for search by meaning. Both start
	// empty; conversations stored before are indexed in the background (chat/ConversationSearch).
	(db) => {
		const terms = db.createObjectStore('searchTerms', { keyPath: 'conversationId' });
		terms.createIndex('by-term', 'terms', { multiEntry: true });
		const vectors = db.createObjectStore('messageVectors', { keyPath: 'messageId' });
		vectors.createIndex('by-conversationId', 'conversationId');
		vectors.createIndex('by-model', 'model');
	}
];

export const DB_NAME = 'lantern';
export const DB_VERSION = steps.length;

/**
 * What the user needs to know about the database, reported by `connect`'s `onState`:
 * - `ok`: open, or opened once a wait was over.
 * - `blocked`: this page must upgrade the database and another tab (an older Lantern, or one that
 *   is frozen) keeps it open. The upgrade goes ahead by itself once that tab is closed.
 * - `outdated`: a newer Lantern in another tab upgraded the database; this page can no longer
 *   read or write it until it reloads.
 */
export type DatabaseState = 'ok' | 'blocked' | 'outdated';

export interface OpenEvents {
	/** The connection was closed (for another tab, or by the browser): open again on next use. */
	onGone?: () => void;
	onState?: (state: DatabaseState) => void;
}

function isVersionError(error: unknown) {
	return (error instanceof Error || error instanceof DOMException) && error.name === 'VersionError';
}

/** Opens (creating or upgrading) the database. Prefer `connect`, which also handles other tabs. */
export function openLanternDb(name = DB_NAME, events: OpenEvents = {}): Promise<LanternDB> {
	const { onGone, onState } = events;
	let waited = false;
	const opening = openDB<LanternSchema>(name, DB_VERSION, {
		upgrade(db, oldVersion, newVersion, tx) {
			for (let v = oldVersion; v < (newVersion ?? DB_VERSION); v++) steps[v]?.(db, tx);
		},
		// Another connection did not close when asked: wait for it, and say why.
		blocked() {
			waited = true;
			onState?.('blocked');
		},
		// Another tab (running a newer Lantern) needs to upgrade: step aside instead of blocking it.
		blocking(_current, blockedVersion, event) {
			(event.target as IDBDatabase | null)?.close();
			onGone?.();
			// Null means the database is being deleted: the next use simply creates it again.
			if (blockedVersion !== null && blockedVersion > DB_VERSION) onState?.('outdated');
		},
		terminated() {
			onGone?.();
		}
	});
	return opening.then(
		(db) => {
			if (waited) onState?.('ok');
			return db;
		},
		(error: unknown) => {
			// The database on disk is newer than this code: another tab upgraded it.
			if (isVersionError(error)) onState?.('outdated');
			throw error;
		}
	);
}

/** Hands out one shared connection, reopening it if it was closed for another tab or by the browser. */
export type Connection = () => Promise<LanternDB>;

/** `onState` hears when the user must close other tabs or reload this one (see DatabaseState). */
export function connect(name = DB_NAME, onState?: (state: DatabaseState) => void): Connection {
	let db: Promise<LanternDB> | null = null;
	return () => {
		if (db) return db;
		const forget = () => {
			if (db === opening) db = null;
		};
		const opening = openLanternDb(name, { onGone: forget, onState });
		// A failed open is not cached: the next call tries again.
		opening.catch(forget);
		db = opening;
		return opening;
	};
}
