// What the open conversation has attached: documents, and collections (all their documents, as
// they are when a question is sent). The `attachments` service, created in the root layout: the
// chat page tells it which conversation is open (`show`), the message box's attachment bar reads
// and changes it, and the chat's grounding (grounding.ts) asks it which documents to search.
//
// Stored in the `attachments` store, keyed by the conversation's id. A new conversation is not
// stored until its first message is: what is attached to it meanwhile is kept here, under the id
// it already has (the chat saves it under that id), and written as soon as it is saved, at the
// latest when its first answer is asked for. Deleting a conversation deletes its record (the
// conversation repository does, in the same transaction); the documents stay in the library.
// Other tabs hear of each change on the BroadcastChannel 'lantern-attachments'.
import type { ChangeEvent } from '$lib/storage/broadcast';
import { StorageError } from '$lib/storage/errors';
import type { DocumentLibrary } from './DocumentLibrary.svelte';
import type { DocumentRepository } from './repository';
import { documentIds, resolveAttachment, type AttachedDocument } from './attached';
import type { Attachment, Collection } from './types';

const CHANNEL = 'lantern-attachments';

const empty = (conversationId: string): Attachment => ({
	conversationId,
	documentIds: [],
	collectionIds: [],
	updatedAt: 0
});

export class ConversationAttachments {
	#repository: DocumentRepository;
	#library: DocumentLibrary;
	#shown = $state.raw<{ id: string; saved: boolean } | null>(null);
	#record = $state.raw<Attachment | null>(null);
	#error = $state.raw<StorageError | null>(null);
	#adding = $state(0);
	/** Attachments of conversations not stored yet, by their id (never shown: `#record` is). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read only by methods, not by views
	#pending = new Map<string, Attachment>();
	#channel: BroadcastChannel | null = null;

	constructor(repository: DocumentRepository, library: DocumentLibrary) {
		this.#repository = repository;
		this.#library = library;
	}

	/** The open conversation's attached documents (existing ones, each once). */
	get documents(): AttachedDocument[] {
		return resolveAttachment(this.#record, this.#library.documents, this.#library.collections);
	}
	/** The open conversation's attached collections (existing ones). */
	get collections(): Collection[] {
		const ids = this.#record?.collectionIds ?? [];
		return this.#library.collections.filter((c) => ids.includes(c.id));
	}
	/** Documents attached by themselves (not through a collection). */
	get documentIds(): readonly string[] {
		return this.#record?.documentIds ?? [];
	}
	/** Files being stored (read from the system) before they are attached. */
	get adding(): boolean {
		return this.#adding > 0;
	}
	/** Why the last change could not be stored; null once one is. */
	get error(): StorageError | null {
		return this.#error;
	}

	/** Listens to other tabs; returns the function that stops. */
	start(): () => void {
		if (typeof BroadcastChannel === 'undefined') return () => undefined;
		const channel = new BroadcastChannel(CHANNEL);
		channel.onmessage = (event: MessageEvent<{ conversationId?: unknown }>) => {
			if (event.data?.conversationId === this.#shown?.id) void this.#reread();
		};
		this.#channel = channel;
		return () => {
			channel.close();
			this.#channel = null;
		};
	}

	/** The chat opened this conversation (or saved the new one on screen). */
	async show(conversationId: string, saved: boolean): Promise<void> {
		const same = this.#shown?.id === conversationId;
		this.#shown = { id: conversationId, saved };
		if (!same) this.#record = this.#pending.get(conversationId) ?? null;
		if (saved) await this.#flush(conversationId);
		await this.#reread();
	}

	/** A backup was restored (here or in another tab): read the open conversation's again. */
	async follow(event: ChangeEvent): Promise<void> {
		if (event.kind === 'all') await this.#reread();
	}

	dismissError() {
		this.#error = null;
	}

	/** Adds the files to the library and attaches the ones it kept (refusals: the library's). */
	async attachFiles(files: readonly File[]): Promise<void> {
		if (files.length === 0) return;
		this.#adding++;
		try {
			const added = await this.#guard(() => this.#library.addFiles(files));
			if (added?.length)
				await this.#change((a) => ({
					...a,
					documentIds: union(
						a.documentIds,
						added.map((d) => d.id)
					)
				}));
		} finally {
			this.#adding--;
		}
	}

	attachDocument(documentId: string): Promise<void> {
		return this.#change((a) => ({ ...a, documentIds: union(a.documentIds, [documentId]) }));
	}

	attachCollection(collectionId: string): Promise<void> {
		return this.#change((a) => ({ ...a, collectionIds: union(a.collectionIds, [collectionId]) }));
	}

	/** Takes a document off the conversation (it stays in the library). */
	detachDocument(documentId: string): Promise<void> {
		return this.#change((a) => ({
			...a,
			documentIds: a.documentIds.filter((id) => id !== documentId)
		}));
	}

	detachCollection(collectionId: string): Promise<void> {
		return this.#change((a) => ({
			...a,
			collectionIds: a.collectionIds.filter((id) => id !== collectionId)
		}));
	}

	/**
	 * The documents to search for a question in the conversation (existing ones); null when none
	 * is attached. A new conversation's attachments are stored now: it is saved by then.
	 */
	async documentIdsOf(conversationId: string): Promise<Set<string> | null> {
		await this.#flush(conversationId);
		const record =
			this.#shown?.id === conversationId && this.#record
				? this.#record
				: await this.#repository.getAttachment(conversationId);
		const attached = resolveAttachment(record, this.#library.documents, this.#library.collections);
		return attached.length > 0 ? documentIds(attached) : null;
	}

	async #change(edit: (attachment: Attachment) => Attachment) {
		const shown = this.#shown;
		if (!shown) return;
		const next = { ...edit(this.#record ?? empty(shown.id)), updatedAt: Date.now() };
		this.#record = next;
		if (!shown.saved) {
			this.#pending.set(shown.id, next);
			return;
		}
		await this.#guard(() => this.#repository.putAttachment(next));
		this.#channel?.postMessage({ conversationId: shown.id });
	}

	/** Writes a pending attachment once its conversation is stored. */
	async #flush(conversationId: string) {
		const pending = this.#pending.get(conversationId);
		if (!pending) return;
		this.#pending.delete(conversationId);
		const stored = await this.#guard(async () => {
			await this.#repository.putAttachment(pending);
			return true;
		});
		// Not stored (a full disk): kept for the next try, so nothing attached is lost.
		if (!stored) this.#pending.set(conversationId, pending);
		else this.#channel?.postMessage({ conversationId });
	}

	async #reread() {
		const shown = this.#shown;
		if (!shown?.saved) return;
		const record = await this.#guard(() => this.#repository.getAttachment(shown.id));
		if (record !== undefined && this.#shown?.id === shown.id) this.#record = record;
	}

	/** Runs a storage operation; a failure is kept in `error` (undefined comes back). */
	async #guard<T>(work: () => Promise<T>): Promise<T | undefined> {
		try {
			const value = await work();
			this.#error = null;
			return value;
		} catch (error) {
			if (!(error instanceof StorageError)) throw error;
			this.#error = error;
			return undefined;
		}
	}
}

function union(a: readonly string[], b: readonly string[]): string[] {
	return [...new Set([...a, ...b])];
}
