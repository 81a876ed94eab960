// The open conversation and the model on the GPU (the `chat` service). Opening one stops the answer
// being written in the one before; changes it writes reach the sidebar list (and through it the
// search index); another tab's changes to it are read again (`follow`). The list, search, presets,
// theme and backups are services of their own (services.ts composes them).
import type { Engine, ModelRecord } from '$lib/engine/types';
import type { ChangeEvent } from '$lib/storage/broadcast';
import type { ConversationRepository } from '$lib/storage/conversations';
import { StorageError } from '$lib/storage/errors';
import { DEFAULT_TITLE, type Conversation } from '$lib/storage/types';
import { ChatSession, type EngineTruth } from './ChatSession.svelte';
import type { ConversationList } from './ConversationList.svelte';
import { OpenConversation, type ConversationDeps } from './Conversation.svelte';
import { fileName } from '$lib/files';
import type { Grounding } from '$lib/grounding';
import type { Notices } from './Notices.svelte';

export interface ExportFile {
	name: string;
	content: string;
	type: string;
}

export interface ChatStoreDeps {
	repo: ConversationRepository;
	engine: Engine;
	/** The record of a model (catalog or custom), to read its context window and abilities. */
	model: (id: string) => ModelRecord | undefined;
	conversations: ConversationList;
	notices: Notices;
	/** Passages from the documents attached to a conversation (the documents feature). */
	grounding?: Grounding;
	/** What the engine holds, whichever tab loaded it (EngineState); omitted in unit tests. */
	truth?: EngineTruth;
}

export class ChatStore {
	readonly session: ChatSession;
	#repo: ConversationRepository;
	#conversations: ConversationList;
	#notices: Notices;
	#deps: ConversationDeps;
	#active = $state.raw<OpenConversation | null>(null);
	/** Bumped by each open(), so a slow read cannot replace a newer choice. */
	#opening = 0;

	constructor(deps: ChatStoreDeps) {
		this.#repo = deps.repo;
		this.#conversations = deps.conversations;
		this.#notices = deps.notices;
		this.session = new ChatSession(deps.engine, deps.truth);
		this.#deps = {
			repo: deps.repo,
			engine: deps.engine,
			session: this.session,
			model: deps.model,
			onWrite: (c) => void this.#conversations.changed(c.id),
			grounding: deps.grounding
		};
	}

	get active() {
		return this.#active;
	}

	/** Shows the conversation `id`, or a new empty one for null. Stops an answer being written. */
	async open(id: string | null): Promise<void> {
		if (this.#active && (id === null ? !this.#active.saved : this.#active.id === id)) return;
		const ticket = ++this.#opening;
		this.#active?.stop();
		const next = id === null ? null : await this.#load(id);
		if (ticket !== this.#opening) return;
		this.#active = next ?? this.#draft();
		if (id !== null && !next) this.#notices.fail(new StorageError('not-found', id));
		// Written elsewhere in this tab (Compare's "continue as chat"): this tab was not told.
		if (next && !this.#conversations.has(next.id)) void this.#conversations.changed(next.id);
	}

	async rename(id: string, title: string) {
		if (this.#active?.id === id) {
			await this.#active.rename(title);
			await this.#conversations.changed(id);
		} else await this.#conversations.rename(id, title);
	}

	async delete(id: string) {
		if (this.#active?.id === id) {
			this.#active.stop();
			this.#active = this.#draft();
		}
		await this.#conversations.delete(id);
	}

	async exportConversation(id: string, format: 'md' | 'json'): Promise<ExportFile | null> {
		const found = await this.#notices.attempt(() => this.#repo.exportConversation(id));
		if (!found) return null;
		const title = this.#conversations.titleOf(id);
		return format === 'md'
			? { name: fileName(title, 'md'), content: found.markdown, type: 'text/markdown' }
			: { name: fileName(title, 'json'), content: found.json, type: 'application/json' };
	}

	/** Another tab changed the open conversation (or a backup was restored here): read it again. */
	async follow(event: ChangeEvent) {
		const active = this.#active;
		const concerned =
			event.kind === 'all' ||
			((event.kind === 'conversation' || event.kind === 'messages') && event.id === active?.id);
		if (!active?.saved || !concerned) return;
		if ((await active.refresh()) === 'gone' && this.#active === active)
			this.#active = this.#draft();
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

	#load(id: string): Promise<OpenConversation | null> {
		return this.#notices.attempt(() => OpenConversation.load(this.#deps, id));
	}
}
