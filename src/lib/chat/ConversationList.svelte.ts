// The sidebar's list of conversations, newest first, read in one getAll (conversations are small).
// Whoever changes a conversation (the open one, a rename, another tab) calls `changed`; the list is
// read again and then its listeners (the search index) hear which conversation changed.
import type { ChangeEvent } from '$lib/storage/broadcast';
import type { ConversationRepository } from '$lib/storage/conversations';
import { DEFAULT_TITLE, type Conversation } from '$lib/storage/types';
import type { Notices } from './Notices.svelte';
import { hasVisibleText } from './title';

/** What changed: one conversation, or everything (a backup was restored). */
export type ListChange = { kind: 'conversation'; id: string } | { kind: 'all' };

export class ConversationList {
	#repo: ConversationRepository;
	#notices: Notices;
	#list = $state.raw<Conversation[]>([]);
	#ready = $state(false);
	/** Not reactive: who listens never shows on screen. */
	#listeners: Array<(change: ListChange) => void> = [];
	/** The first read, started as soon as the list exists, or before (while the page hydrates). */
	#first: Promise<Conversation[] | null> | null = null;

	/** `first`: the list's first read, if it was started already (see app/firstRead.ts). */
	constructor(repo: ConversationRepository, notices: Notices, first?: Promise<Conversation[]>) {
		this.#repo = repo;
		this.#notices = notices;
		if (first) this.#first = notices.attempt(() => first);
		else if (typeof indexedDB !== 'undefined') this.#first = notices.attempt(() => repo.list());
	}

	get conversations(): readonly Conversation[] {
		return this.#list;
	}
	/** False until the list was read once. */
	get ready() {
		return this.#ready;
	}

	has(id: string): boolean {
		return this.#list.some((c) => c.id === id);
	}

	titleOf(id: string): string {
		return this.#list.find((c) => c.id === id)?.title ?? DEFAULT_TITLE;
	}

	/** Reads the list (the first read began when the list was created). */
	start(): Promise<void> {
		return this.reload();
	}

	async reload() {
		const first = this.#first;
		this.#first = null;
		const list = await (first ?? this.#notices.attempt(() => this.#repo.list()));
		if (list) this.#list = list;
		this.#ready = true;
	}

	/** One conversation changed (here or in another tab): read the list again, then tell listeners. */
	async changed(id: string) {
		await this.reload();
		this.#emit({ kind: 'conversation', id });
	}

	/** Renames a conversation that is not open (the open one renames itself). */
	async rename(id: string, title: string) {
		await this.#notices.attempt(() =>
			this.#repo.rename(id, hasVisibleText(title) ? title : DEFAULT_TITLE)
		);
		await this.changed(id);
	}

	async delete(id: string) {
		await this.#notices.attempt(() => this.#repo.delete(id));
		await this.changed(id);
	}

	/** Listens for changes, after the list is read again; returns the unsubscribe function. */
	onChange(listener: (change: ListChange) => void): () => void {
		this.#listeners = [...this.#listeners, listener];
		return () => (this.#listeners = this.#listeners.filter((l) => l !== listener));
	}

	/** Another tab changed what is stored (or a backup was restored here). */
	async follow(event: ChangeEvent) {
		if (event.kind === 'all') {
			await this.reload();
			this.#emit({ kind: 'all' });
		} else if ((event.kind === 'conversation' || event.kind === 'messages') && event.id)
			await this.changed(event.id);
	}

	#emit(change: ListChange) {
		for (const listener of this.#listeners) listener(change);
	}
}
