// App-wide services, created once in the root layout and read by components through typed context.
import { createContext } from 'svelte';
import type { ChatStore } from './chat/ChatStore.svelte';
import type { GpuState } from './device/GpuState.svelte';
import type { DocumentLibrary } from './documents/DocumentLibrary.svelte';
import type { Engine } from './engine/types';
import type { ModelLibrary } from './models/ModelLibrary.svelte';
import type { PwaUpdater } from './pwa/PwaUpdater.svelte';
import type { DatabaseStatus } from './storage/DatabaseStatus.svelte';
import type { Connection } from './storage/db';

export interface Services {
	chat: ChatStore;
	/** The page's one database connection, watched by `database`: every repository uses it. */
	connection: Connection;
	/** Whether the saved data can be used now (an upgrade waiting for other tabs, or a reload needed). */
	database: DatabaseStatus;
	/** Private documents: the library, indexing and retrieval. */
	documents: DocumentLibrary;
	engine: Engine;
	gpu: GpuState;
	library: ModelLibrary;
	pwa: PwaUpdater;
}

export const [getServices, setServices] = createContext<Services>();
