// The first thing the chat page shows from storage is the sidebar's list, and opening the database
// and reading it take tens of milliseconds. This small module is loaded beside the app's code (the
// layout imports both at once), so the database opens and the list is read while the rest of the
// app still arrives, not after it; `createApp` takes over the connection and the read.
import { ConversationRepository } from '$lib/storage/conversations';
import { DatabaseStatus } from '$lib/storage/DatabaseStatus.svelte';
import { DB_NAME, connect, type Connection } from '$lib/storage/db';
import type { Conversation } from '$lib/storage/types';

export interface FirstRead {
	/** Watches the connection (another tab upgrading or holding up the database). */
	database: DatabaseStatus;
	/** The page's one connection. */
	connection: Connection;
	/** The sidebar's list, being read (rejects as `ConversationRepository.list` does). */
	conversations: Promise<Conversation[]>;
}

export function startFirstRead(): FirstRead {
	const database = new DatabaseStatus();
	const connection = connect(DB_NAME, database.report);
	const conversations = new ConversationRepository(connection).list();
	// Whoever takes it over reports a failure; until then it must not count as unhandled.
	conversations.catch(() => {});
	return { database, connection, conversations };
}
