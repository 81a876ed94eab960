// The chat service, created once in the root layout: the sidebar's list of conversations, search,
// the open conversation, presets, the theme, backups. It listens to the other tabs (broadcast.ts)
// and reloads what they changed, so two tabs show the same conversations.
//
// The sidebar list is read in one getAll (conversations are small). Search runs on an in-memory
// index (searchIndex.ts) built from one read of every message, the first time it is needed.
import type { Engine, ModelRecord } from '$lib/engine/types';
import { BackupError, StorageError } from '$lib/storage/errors';
import { onChanged, type ChangeEvent } from '$lib/storage/broadcast';
import type { Storage } from '$lib/storage';
import type { SearchHit } from '$lib/storage/search';
import { DEFAULT_TITLE, type Conversation, type Preset } from '$lib/storage/types';
import { text } from '$lib/strings';
import { ChatSession } from './ChatSession.svelte';
import { OpenConversation, type ConversationDeps } from './Conversation.svelte';
import { FileTooBigError, dateStamp, fileName, readImportFile, type ImportKind } from '$lib/files';
import { PresetFileError, parsePresetFile, presetsToFile } from './presetFile';
import { SearchIndex } from './searchIndex';
import { hasVisibleText } from './title';

export type Theme = 'system' | 'light' | 'dark';
const THEMES: readonly string[] = ['system', 'light', 'dark'];
/** Messages read per batch when building the search index (about 1 MB). */
const INDEX_BATCH = 2000;
/** While the index is read, results found so far are shown this often. */
const PARTIAL_RESULTS_MS = 250;

const isTheme = (x: unknown): x is Theme => typeof x === 'string' && THEMES.includes(x);

/** A message for the user about the last whole-app action (import, export). */
export type Notice =
	| { kind: 'ok'; text: string }
	| { kind: 'error'; error: StorageError | BackupError | PresetFileError | FileTooBigError };

export interface ExportFile {
	name: string;
	content: string;
	type: string;
}

export class ChatStore {
	readonly session: ChatSession;
	#storage: Storage;
	#deps: ConversationDeps;
	#list = $state.raw<Conversation[]>([]);
	#ready = $state(false);
	#query = $state('');
	#hits = $state.raw<SearchHit[] | null>(null);
	#searching = $state(false);
	#active = $state.raw<OpenConversation | null>(null);
	#presets = $state.raw<Preset[]>([]);
	#theme = $state<Theme>('system');
	#notice = $state.raw<Notice | null>(null);
	#index: SearchIndex | null = null;
	#indexing: Promise<SearchIndex> | null = null;
	/** Conversations changed while the index was being read: refreshed once it is. */
	#stale: string[] = [];
	/** Bumped when the index is thrown away (a restore), so a build in progress is discarded. */
	#indexGeneration = 0;
	/** Bumped by each open(), so a slow read cannot replace a newer choice. */
	#opening = 0;
	/** The first read of the list, started as soon as the store exists (while the page hydrates). */
	#firstList: Promise<Conversation[] | null> | null = null;

	constructor(storage: Storage, engine: Engine, model: (id: string) => ModelRecord | undefined) {
		this.#storage = storage;
		this.session = new ChatSession(engine);
		this.#deps = {
			repo: storage.conversations,
			engine,
			session: this.session,
			model,
			onWrite: (c) => void this.#changed(c.id)
		};
		if (typeof indexedDB !== 'undefined')
			this.#firstList = this.#attempt(() => storage.conversations.list());
	}

	get conversations(): readonly Conversation[] {
		return this.#list;
	}
	/** False until the list was read once. */
	get ready() {
		return this.#ready;
	}
	get query() {
		return this.#query;
	}
	/** Results for `query`; null when not searching. */
	get hits() {
		return this.#hits;
	}
	/** True while a search waits for the index: results so far may be incomplete. */
	get searching() {
		return this.#searching;
	}
	get active() {
		return this.#active;
	}
	get presets(): readonly Preset[] {
		return this.#presets;
	}
	get theme() {
		return this.#theme;
	}
	get notice() {
		return this.#notice;
	}

	/** Reads the list, presets and theme, and follows other tabs. Returns the stop function. */
	start(): () => void {
		void this.#reloadList().then(() => {
			// Search answers at once when it is first used, without slowing the first screen.
			if (typeof requestIdleCallback === 'function')
				requestIdleCallback(() => void this.searchIndex(), { timeout: 2000 });
		});
		void this.#reloadPresets();
		void this.#storage.settings.get('theme', isTheme, 'system').then((t) => this.#applyTheme(t));
		return onChanged((event) => void this.#remote(event));
	}

	/** Shows the conversation `id`, or a new empty one for null. Stops an answer being written. */
	async open(id: string | null): Promise<void> {
		if (this.#active && (id === null ? !this.#active.saved : this.#active.id === id)) return;
		const ticket = ++this.#opening;
		this.#active?.stop();
		const next = id === null ? null : await this.#load(id);
		if (ticket !== this.#opening) return;
		this.#active = next ?? this.#draft();
		if (id !== null && !next)
			this.#notice = { kind: 'error', error: new StorageError('not-found', id) };
		// Written elsewhere in this tab (Compare's "continue as chat"): this tab was not told.
		if (next && !this.#list.some((c) => c.id === next.id)) void this.#changed(next.id);
	}

	async rename(id: string, title: string) {
		if (this.#active?.id === id) await this.#active.rename(title);
		else
			await this.#attempt(() =>
				this.#storage.conversations.rename(id, hasVisibleText(title) ? title : DEFAULT_TITLE)
			);
		await this.#changed(id);
	}

	async delete(id: string) {
		if (this.#active?.id === id) {
			this.#active.stop();
			this.#active = this.#draft();
		}
		await this.#attempt(() => this.#storage.conversations.delete(id));
		this.#index?.delete(id);
		await this.#reloadList();
	}

	async search(query: string) {
		this.#query = query;
		if (!query.trim()) {
			this.#hits = null;
			return;
		}
		if (!this.#index) {
			this.#hits = new SearchIndex().search(query, this.#list);
			this.#searching = true;
		}
		const index = await this.searchIndex();
		this.#searching = false;
		if (this.#query === query) this.#hits = index.search(query, this.#list);
	}

	/**
	 * The search index: every message read once, in small batches between which the page stays
	 * responsive. Started when the page is idle after the list is shown, or by the first search.
	 */
	searchIndex(): Promise<SearchIndex> {
		if (this.#index) return Promise.resolve(this.#index);
		this.#indexing ??= this.#buildIndex();
		return this.#indexing;
	}

	async #buildIndex(): Promise<SearchIndex> {
		const generation = this.#indexGeneration;
		this.#stale = [];
		const index = new SearchIndex();
		let shown = performance.now();
		await this.#storage.conversations.readSearchable(
			(batch) => {
				index.add(batch);
				// A search typed meanwhile shows what is found so far (titles at once).
				if (this.#query.trim() && performance.now() - shown > PARTIAL_RESULTS_MS) {
					shown = performance.now();
					this.#hits = index.search(this.#query, this.#list);
				}
			},
			{
				batch: INDEX_BATCH,
				pause: () => new Promise((resolve) => setTimeout(resolve, 0))
			}
		);
		if (generation !== this.#indexGeneration) return this.searchIndex();
		this.#index = index;
		for (const id of this.#stale.splice(0)) await this.#changed(id);
		return index;
	}

	async exportConversation(id: string, format: 'md' | 'json'): Promise<ExportFile | null> {
		const found = await this.#attempt(() => this.#storage.conversations.exportConversation(id));
		if (!found) return null;
		const title = this.#list.find((c) => c.id === id)?.title ?? DEFAULT_TITLE;
		return format === 'md'
			? { name: fileName(title, 'md'), content: found.markdown, type: 'text/markdown' }
			: { name: fileName(title, 'json'), content: found.json, type: 'application/json' };
	}

	async exportAll(): Promise<ExportFile | null> {
		const backup = await this.#attempt(() => this.#storage.conversations.exportAll());
		if (!backup) return null;
		return {
			name: `lantern-backup-${dateStamp()}.json`,
			content: JSON.stringify(backup),
			type: 'application/json'
		};
	}

	/** Restores a backup file; a bad or too big file is refused with a notice and nothing changes. */
	async importBackup(file: Blob) {
		const fileText = await this.#readImport('backup', file);
		if (fileText === null) return;
		try {
			const summary = await this.#storage.conversations.importBackup(fileText);
			this.#notice = {
				kind: 'ok',
				text: text.conversations.imported(summary.conversations, summary.messages)
			};
		} catch (error) {
			if (error instanceof BackupError || error instanceof StorageError)
				this.#notice = { kind: 'error', error };
			else throw error;
			return;
		}
		await this.#reloadEverything();
	}

	/** A picked file's text; null (and a notice) when it is too big to read. */
	async #readImport(kind: ImportKind, file: Blob): Promise<string | null> {
		try {
			return await readImportFile(kind, file);
		} catch (error) {
			if (!(error instanceof FileTooBigError)) throw error;
			this.#notice = { kind: 'error', error };
			return null;
		}
	}

	dismissNotice() {
		this.#notice = null;
	}

	async savePreset(input: { id?: string; name: string; prompt: string }): Promise<Preset | null> {
		const saved = await this.#attempt(() => this.#storage.presets.save(input));
		await this.#reloadPresets();
		return saved;
	}

	async deletePreset(id: string) {
		await this.#attempt(() => this.#storage.presets.delete(id));
		await this.#reloadPresets();
	}

	exportPresets(): ExportFile {
		return {
			name: `lantern-presets-${dateStamp()}.json`,
			content: presetsToFile(this.#presets),
			type: 'application/json'
		};
	}

	/** Adds the presets in a shared file (same name: updated); a bad file changes nothing. */
	async importPresets(file: Blob) {
		const fileText = await this.#readImport('presets', file);
		if (fileText === null) return;
		let entries: Array<{ name: string; prompt: string }>;
		try {
			entries = parsePresetFile(fileText);
		} catch (error) {
			if (!(error instanceof PresetFileError)) throw error;
			this.#notice = { kind: 'error', error };
			return;
		}
		for (const entry of entries) {
			const existing = this.#presets.find((p) => p.name === entry.name);
			await this.#attempt(() => this.#storage.presets.save({ ...entry, id: existing?.id }));
		}
		await this.#reloadPresets();
		this.#notice = { kind: 'ok', text: text.settings.presetsImported(entries.length) };
	}

	async setTheme(theme: Theme) {
		this.#applyTheme(theme);
		await this.#attempt(() => this.#storage.settings.set('theme', theme));
	}

	#applyTheme(theme: Theme) {
		this.#theme = theme;
		if (theme === 'system') delete document.documentElement.dataset.theme;
		else document.documentElement.dataset.theme = theme;
	}

	#draft(): OpenConversation {
		const now = Date.now();
		const conversation: Conversation = {
			id: crypto.randomUUID(),
			title: DEFAULT_TITLE,
			createdAt: now,
			updatedAt: now,
			modelId: this.session.loadedModel,
			systemPrompt: '',
			settings: {}
		};
		return new OpenConversation(this.#deps, { conversation, messages: [] }, false);
	}

	async #load(id: string): Promise<OpenConversation | null> {
		return this.#attempt(() => OpenConversation.load(this.#deps, id));
	}

	async #attempt<T>(work: () => Promise<T>): Promise<T | null> {
		try {
			return await work();
		} catch (error) {
			if (!(error instanceof StorageError)) throw error;
			this.#notice = { kind: 'error', error };
			return null;
		}
	}

	async #reloadList() {
		const first = this.#firstList;
		this.#firstList = null;
		const list = await (first ?? this.#attempt(() => this.#storage.conversations.list()));
		if (list) this.#list = list;
		this.#ready = true;
		if (this.#query.trim()) void this.search(this.#query);
	}

	async #reloadPresets() {
		const presets = await this.#attempt(() => this.#storage.presets.list());
		if (presets) this.#presets = presets;
	}

	/** One conversation changed (here or in another tab): refresh the list and its index entry. */
	async #changed(id: string) {
		await this.#reloadList();
		if (!this.#index) {
			if (this.#indexing) this.#stale.push(id);
			return;
		}
		const found = await this.#attempt(() => this.#storage.conversations.get(id));
		if (!found) this.#index.delete(id);
		else
			this.#index.set(
				id,
				found.messages.filter((m) => m.status !== 'error')
			);
		if (this.#query.trim()) void this.search(this.#query);
	}

	async #reloadEverything() {
		this.#indexGeneration++;
		this.#index = null;
		this.#indexing = null;
		await Promise.all([this.#reloadList(), this.#reloadPresets()]);
		const active = this.#active;
		if (active?.saved && (await active.refresh()) === 'gone') this.#active = this.#draft();
	}

	async #remote(event: ChangeEvent) {
		switch (event.kind) {
			case 'all':
				return this.#reloadEverything();
			case 'preset':
				return this.#reloadPresets();
			case 'setting':
				if (event.id === 'theme')
					this.#applyTheme(await this.#storage.settings.get('theme', isTheme, 'system'));
				return;
			case 'conversation':
			case 'messages': {
				if (!event.id) return;
				await this.#changed(event.id);
				const active = this.#active;
				if (active?.id === event.id && (await active.refresh()) === 'gone')
					this.#active = this.#draft();
			}
		}
	}
}
