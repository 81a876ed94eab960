// The chat's services as the root layout composes them (createChatServices), over fake-indexeddb
// and a page-side fake engine, for unit tests of the state classes. Other tabs are simulated:
// `remote` delivers a change event as the BroadcastChannel would, and `other` writes through a
// second set of repositories on the same database, as another tab does.
import 'fake-indexeddb/auto';
import { createChatServices } from '$lib/chat/services';
import type { Storage } from '$lib/storage';
import { BackupRepository } from '$lib/storage/backup';
import type { ChangeEvent } from '$lib/storage/broadcast';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect, type Connection } from '$lib/storage/db';
import { PresetRepository } from '$lib/storage/presets';
import { SearchRepository } from '$lib/storage/searchRepository';
import { SettingsRepository } from '$lib/storage/settings';
import { FakePageEngine, record } from '../engine/fake-page-engine';

let count = 0;

/** Repositories that tell `changes` what they wrote, instead of a real BroadcastChannel. */
export function quietStorage(connection: Connection, changes: ChangeEvent[] = []): Storage {
	const notify = (kind: ChangeEvent['kind'], id: string | null) => changes.push({ kind, id });
	return {
		backup: new BackupRepository(connection, { notify }),
		conversations: new ConversationRepository(connection, { notify }),
		presets: new PresetRepository(connection, { notify }),
		search: new SearchRepository(connection),
		settings: new SettingsRepository(connection, notify)
	};
}

export function chatHarness(options: { db?: string } = {}) {
	const db = options.db ?? `chat-${++count}`;
	const connection = connect(db);
	const engine = new FakePageEngine();
	/** What this tab wrote, as it would tell other tabs. */
	const written: ChangeEvent[] = [];
	const storage = quietStorage(connection, written);
	let listener: ((event: ChangeEvent) => void) | null = null;
	const root = { dataset: {} as DOMStringMap };
	const { services, start } = createChatServices({
		storage,
		engine,
		model: (id) => record(id),
		changes: (l) => {
			listener = l;
			return () => (listener = null);
		},
		themeRoot: () => root
	});
	const stop = start();
	return {
		...services,
		db,
		engine,
		storage,
		written,
		root,
		stop,
		/** Another tab on the same database (its writes reach this tab only through `remote`). */
		other: quietStorage(connection),
		/** Delivers a change made in another tab. */
		remote(event: ChangeEvent) {
			listener?.(event);
		}
	};
}

/** Polls until `condition` holds (state classes settle over a few tasks and timers). */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000) {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Reads until `ok` accepts what was read; returns it. */
export async function readUntil<T>(
	read: () => Promise<T>,
	ok: (value: T) => boolean,
	what: string,
	timeoutMs = 3000
): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
