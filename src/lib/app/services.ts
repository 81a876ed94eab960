// Every app-wide service, created once per page. The root layout loads this module (and so all of
// the app's code but the shell) after the prerendered shell has hydrated: nothing here may be
// imported statically by the layout, or it lands on the first page (see DEVELOPERS.md, "The first
// page"). App.svelte puts the result in context and starts it.
import { startFirstRead, type FirstRead } from '$lib/app/firstRead';
import { createChatServices } from '$lib/chat/services';
import { CompareWorkspace } from '$lib/compare/CompareWorkspace.svelte';
import type { Services } from '$lib/context';
import { GpuState } from '$lib/device/GpuState.svelte';
import { ConversationAttachments } from '$lib/documents/ConversationAttachments.svelte';
import { DocumentLibrary, MODEL_SETTING } from '$lib/documents/DocumentLibrary.svelte';
import { DocumentGrounding } from '$lib/documents/grounding';
import { createDocumentReader } from '$lib/documents/reader';
import { DocumentRepository } from '$lib/documents/repository';
import { AnswerAgreement } from '$lib/embedding/AnswerAgreement.svelte';
import { createSharedEngine } from '$lib/engine/client';
import { EngineActivity } from '$lib/engine/EngineActivity.svelte';
import { EngineState } from '$lib/engine/EngineState.svelte';
import type { ModelRecord } from '$lib/engine/types';
import { RoutingEngine } from '$lib/engine/router';
import { Shortcuts } from '$lib/keyboard/Shortcuts.svelte';
import { platformOf } from '$lib/keyboard/shortcuts';
import { findModel } from '$lib/models/catalog';
import { ModelRepository } from '$lib/models/customModels';
import { memoryBudgetMB } from '$lib/engine/memory';
import { ModelTransfers } from '$lib/models/ModelTransfers.svelte';
import { createModelServices } from '$lib/models/services';
import { PwaUpdater } from '$lib/pwa/PwaUpdater.svelte';
import { Renderer } from '$lib/render/Renderer.svelte';
import { RemoteServers } from '$lib/servers/RemoteServers.svelte';
import { ServerRepository } from '$lib/servers/repository';
import { createStorage } from '$lib/storage';
import { restoreInWorker } from '$lib/storage/restoreWorker';
import { SettingsRepository } from '$lib/storage/settings';
import { text } from '$lib/strings';

export interface App {
	services: Services;
	/** The models loaded and answers in progress, for the update prompt. */
	activity: EngineActivity;
	/** Reads what is stored and starts watching; returns the stop function. */
	start: () => () => void;
}

/** `first`: the connection and the sidebar's read, started before this module arrived. */
export function createApp(first: FirstRead = startFirstRead()): App {
	const deviceMemoryGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
	// One connection for the page, watched so that the user hears when another tab holds up an
	// upgrade of the saved data, or has upgraded it under this page.
	const { database, connection } = first;
	const servers = new RemoteServers({
		repository: new ServerRepository(new SettingsRepository(connection))
	});
	// Counts loaded models and answers in progress, so the update prompt can say what a reload stops.
	// In-browser models go to the worker, server models to their server's engine (`servers`).
	// The in-browser engine is shared by every tab (engine/connect.ts); `engineState` is the one
	// truth of what it holds, read by Chat, Compare, the header and the update prompt.
	const local = createSharedEngine();
	const engineState = new EngineState(local);
	const engine = new EngineActivity(
		new RoutingEngine(
			local,
			(record) => servers.engineFor(record),
			() => engineState.modelIds
		),
		engineState
	);
	const models = createModelServices({ repository: new ModelRepository(connection) });
	const { library } = models.services;
	const find = (id: string) => library.find(id) ?? findModel(id) ?? servers.find(id);
	const settings = new SettingsRepository(connection);
	const documentRepository = new DocumentRepository(connection);
	const documents = new DocumentLibrary({
		repository: documentRepository,
		settings,
		engine,
		reader: createDocumentReader(),
		models: {
			records: () => library.records,
			readyOffline: (id) => library.statusOf(id).readyOffline,
			online: () => library.online,
			ready: () => library.ready
		},
		memoryBudgetMB: () => memoryBudgetMB(deviceMemoryGB)
	});
	// Documents attached to the open conversation, searched for each of its answers.
	const attachments = new ConversationAttachments(documentRepository, documents);
	const chat = createChatServices({
		// A backup is read, checked and written in a worker: 100 MB never freezes the page.
		storage: createStorage(connection, { restoreFile: restoreInWorker }),
		firstList: first.conversations,
		engine,
		truth: engineState,
		model: find,
		// Search by meaning uses the embedding model picked for the documents, once it can be loaded.
		meaning: {
			model: async () => {
				await library.ready;
				const isId = (x: unknown): x is string | null => x === null || typeof x === 'string';
				const id = await settings.get(MODEL_SETTING, isId, null).catch(() => null);
				const record = library.records.find((r) => r.model_id === id);
				const usable = record && (library.online || library.statusOf(record.model_id).readyOffline);
				return usable ? record : null;
			},
			records: () => library.records,
			memoryBudgetMB: () => memoryBudgetMB(deviceMemoryGB)
		},
		grounding: new DocumentGrounding(documents, attachments),
		followers: [documents, attachments]
	});
	const services: Services = {
		...chat.services,
		...models.services,
		compare: new CompareWorkspace({ connection, engine, find, deviceMemoryGB }),
		connection,
		engine,
		engineState,
		database,
		documents,
		attachments,
		// A stored embedding model: the one picked for documents if it is stored, else any stored.
		agreement: new AnswerAgreement({
			engine,
			records: () => library.records,
			model: () => {
				const stored = (r: ModelRecord) =>
					r.model_type === 1 && library.statusOf(r.model_id).readyOffline;
				const picked = documents.model;
				return picked && stored(picked) ? picked : (library.records.find(stored) ?? null);
			}
		}),
		gpu: new GpuState(),
		transfers: new ModelTransfers(library),
		pwa: new PwaUpdater(),
		renderer: new Renderer(window, text.codeBlock),
		servers,
		shortcuts: new Shortcuts(platformOf(navigator))
	};
	return {
		services,
		activity: engine,
		start() {
			void services.gpu.probe();
			void local.attach();
			const stops = [
				models.start(),
				chat.start(),
				servers.start(),
				documents.start(),
				attachments.start()
			];
			return () => stops.forEach((stop) => stop());
		}
	};
}
