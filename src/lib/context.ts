// App-wide services, created once in the root layout and read by components through typed context.
import { createContext } from 'svelte';
import type { ChatServices } from './chat/services';
import type { CompareWorkspace } from './compare/CompareWorkspace.svelte';
import type { GpuState } from './device/GpuState.svelte';
import type { ConversationAttachments } from './documents/ConversationAttachments.svelte';
import type { DocumentLibrary } from './documents/DocumentLibrary.svelte';
import type { Shortcuts } from './keyboard/Shortcuts.svelte';
import type { AnswerAgreement } from './embedding/AnswerAgreement.svelte';
import type { EngineState } from './engine/EngineState.svelte';
import type { Engine } from './engine/types';
import type { ModelServices } from './models/services';
import type { ModelTransfers } from './models/ModelTransfers.svelte';
import type { PwaUpdater } from './pwa/PwaUpdater.svelte';
import type { Renderer } from './render/Renderer.svelte';
import type { RemoteServers } from './servers/RemoteServers.svelte';
import type { DatabaseStatus } from './storage/DatabaseStatus.svelte';
import type { Connection } from './storage/db';

/**
 * The chat's services (`chat`, `conversations`, `search`, `presets`, `theme`, `backups`, `notices`),
 * the models' (`library`, `downloads`, `quota`) and the app's.
 */
export interface Services extends ChatServices, ModelServices {
	/** The Compare page's stored data, comparison on screen and suite runner. */
	compare: CompareWorkspace;
	/** The page's one database connection, watched by `database`: every repository uses it. */
	connection: Connection;
	/** Whether the saved data can be used now (an upgrade waiting for other tabs, or a reload needed). */
	database: DatabaseStatus;
	/** Private documents: the library, indexing and retrieval. */
	documents: DocumentLibrary;
	/** The documents attached to the open conversation (searched for each of its answers). */
	attachments: ConversationAttachments;
	/** Compare's agreement figure: the answers' similarity in meaning. */
	agreement: AnswerAgreement;
	engine: Engine;
	/** What the shared engine holds and does now, in every tab: the one truth of what is loaded. */
	engineState: EngineState;
	gpu: GpuState;
	/** Importing models from files and exporting them (the Models page). */
	transfers: ModelTransfers;
	pwa: PwaUpdater;
	/** Model text to safe HTML, for every page that shows it (see render/Markdown.svelte). */
	renderer: Renderer;
	/** The user's own servers; their models reach `engine` through its router. */
	servers: RemoteServers;
	/** The keyboard shortcuts: the window's key listener, its handlers and the help sheet. */
	shortcuts: Shortcuts;
}

export const [getServices, setServices] = createContext<Services>();
