// The chat's services, one class per job, composed here for the root layout (and for tests):
// the open conversation and the model (`chat`), the sidebar list, search, presets, theme, backups
// and the notice bar they share. Changes made in other tabs (storage/broadcast.ts), and a backup
// restored here, reach every class that shows stored data through its `follow` method.
import type { Engine, ModelRecord } from '$lib/engine/types';
import type { EngineTruth } from './ChatSession.svelte';
import type { Storage } from '$lib/storage';
import type { Conversation } from '$lib/storage/types';
import { onChanged, type ChangeEvent } from '$lib/storage/broadcast';
import { Backups } from './Backups.svelte';
import { ChatStore } from './ChatStore.svelte';
import type { Grounding } from '$lib/grounding';
import { ConversationList } from './ConversationList.svelte';
import { ConversationSearch } from './ConversationSearch.svelte';
import { HistoryMeaning, type MeaningDeps } from './HistoryMeaning.svelte';
import { Notices } from './Notices.svelte';
import { Presets } from './Presets.svelte';
import { ThemePreference, type ThemeRoot } from './ThemePreference.svelte';

export interface ChatServices {
	chat: ChatStore;
	conversations: ConversationList;
	search: ConversationSearch;
	/** Search by meaning (an option, off by default). */
	meaning: HistoryMeaning;
	presets: Presets;
	theme: ThemePreference;
	backups: Backups;
	notices: Notices;
}

export interface ChatDeps {
	storage: Storage;
	/** The sidebar's list, if its read was started before these services (app/firstRead.ts). */
	firstList?: Promise<Conversation[]>;
	engine: Engine;
	/** What the engine holds, whichever tab loaded it (EngineState). */
	truth?: EngineTruth;
	model: (id: string) => ModelRecord | undefined;
	/** Changes made in other tabs; defaults to the BroadcastChannel. */
	changes?: (listener: (event: ChangeEvent) => void) => () => void;
	/** Where the theme shows; defaults to the page's root element. */
	themeRoot?: () => ThemeRoot | null;
	/** The embedding model for search by meaning; without it, that search finds no model. */
	meaning?: Pick<MeaningDeps, 'model' | 'records' | 'memoryBudgetMB'>;
	/** Passages from the documents attached to a conversation, for its answers. */
	grounding?: Grounding;
	/** Other services that show stored data: they follow other tabs and restores too. */
	followers?: ReadonlyArray<{ follow(event: ChangeEvent): Promise<unknown> }>;
}

export function createChatServices(deps: ChatDeps): {
	services: ChatServices;
	/** Reads the list, presets and theme, and follows other tabs. Returns the stop function. */
	start: () => () => void;
} {
	const { storage } = deps;
	const notices = new Notices();
	const conversations = new ConversationList(storage.conversations, notices, deps.firstList);
	const meaning = new HistoryMeaning({
		repository: storage.search,
		settings: storage.settings,
		engine: deps.engine,
		model: async () => null,
		records: () => [],
		memoryBudgetMB: () => undefined,
		...deps.meaning
	});
	const search = new ConversationSearch(storage.search, conversations, notices, meaning);
	const presets = new Presets(storage.presets, notices);
	const theme = new ThemePreference(storage.settings, notices, deps.themeRoot);
	const chat = new ChatStore({
		repo: storage.conversations,
		engine: deps.engine,
		...(deps.truth ? { truth: deps.truth } : {}),
		model: deps.model,
		conversations,
		notices,
		grounding: deps.grounding
	});
	const followers = [conversations, presets, theme, chat, ...(deps.followers ?? [])];
	const follow = (event: ChangeEvent) =>
		Promise.all(followers.map((follower) => follower.follow(event)));
	const backups = new Backups(storage.backup, notices, () => follow({ kind: 'all', id: null }));
	return {
		services: { chat, conversations, search, meaning, presets, theme, backups, notices },
		start() {
			void conversations.start().then(() => {
				search.start();
				void meaning.start();
			});
			void presets.start();
			void theme.start();
			return (deps.changes ?? onChanged)((event) => void follow(event));
		}
	};
}
