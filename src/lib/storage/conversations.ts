// The conversation repository: the only code that reads or writes conversations and messages.
// It returns domain types (every record read back is validated, see validate.ts), tells other tabs
// after each write (broadcast.ts), and turns IndexedDB failures into StorageErrors.
//
// Saving a streaming answer is the caller's job: append it with status 'streaming', call
// `updateMessage` now and then (throttled: a write per token would be wasteful), and once more with
// the final status.
import type { GenerationSettings } from '$lib/engine/types';
import { conversationToJson, conversationToMarkdown } from './backup';
import { notifyChanged, type Notify } from './broadcast';
import { connect, type Connection } from './db';
import { StorageError, storageOp } from './errors';
import { forgetConversation, indexMessageWrite, indexNewConversation } from './searchIndex';
import {
	DEFAULT_TITLE,
	type Conversation,
	type ConversationWithMessages,
	type Message
} from './types';
import { readAll, readConversation, readMessage, readSettings } from './validate';

export interface NewConversation {
	/** The id a new conversation on screen already had (what was attached to it keeps it). */
	id?: string;
	title?: string;
	modelId?: string | null;
	systemPrompt?: string;
	settings?: GenerationSettings;
}

/** Fields to change; `settings` replaces the stored overrides as a whole. */
export type ConversationPatch = Partial<
	Pick<Conversation, 'title' | 'modelId' | 'systemPrompt' | 'settings'>
>;

/** A message to append; id, conversation and time are assigned. Status defaults to 'complete'. */
export type NewMessage = Omit<Message, 'id' | 'conversationId' | 'createdAt' | 'status'> & {
	status?: Message['status'];
};

/** What may change in a stored message (a streaming answer growing, then finishing). */
export type MessagePatch = Partial<
	Pick<Message, 'content' | 'status' | 'stats' | 'reasoning' | 'modelId' | 'errorCode'>
>;

export interface RepositoryOptions {
	/** Called after each write; defaults to the cross-tab BroadcastChannel. */
	notify?: Notify;
	/** Milliseconds since the epoch; defaults to Date.now. */
	now?: () => number;
	newId?: () => string;
}

function byCreatedAt(a: Message, b: Message) {
	return a.createdAt - b.createdAt;
}

/**
 * Valid conversations, most recently updated first. Sorted here rather than read through the
 * by-updatedAt index, because a record whose updatedAt is missing is absent from the index and would
 * vanish from the list; validation gives it a default instead.
 */
function readConversations(raw: unknown[]): Conversation[] {
	return readAll(raw, readConversation, 'conversations').sort(
		(a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt
	);
}

export class ConversationRepository {
	#db: Connection;
	#notify: Notify;
	#clock: () => number;
	#newId: () => string;
	#last = 0;

	constructor(db: Connection = connect(), options: RepositoryOptions = {}) {
		this.#db = db;
		this.#notify = options.notify ?? notifyChanged;
		this.#clock = options.now ?? Date.now;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
	}

	/** Strictly increasing within this tab, so messages written in the same millisecond keep their order. */
	#now() {
		this.#last = Math.max(this.#clock(), this.#last + 1);
		return this.#last;
	}

	create(input: NewConversation = {}): Promise<Conversation> {
		return storageOp(async () => {
			const now = this.#now();
			const conversation: Conversation = {
				id: input.id ?? this.#newId(),
				title: input.title?.trim() || DEFAULT_TITLE,
				createdAt: now,
				updatedAt: now,
				modelId: input.modelId ?? null,
				systemPrompt: input.systemPrompt ?? '',
				settings: readSettings(input.settings)
			};
			const tx = (await this.#db()).transaction(['conversations', 'searchTerms'], 'readwrite');
			await Promise.all([
				tx.objectStore('conversations').put(conversation),
				indexNewConversation(tx, conversation.id)
			]);
			await tx.done;
			this.#notify('conversation', conversation.id);
			return conversation;
		});
	}

	/** Null if the conversation no longer exists. */
	update(id: string, patch: ConversationPatch): Promise<Conversation | null> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction('conversations', 'readwrite');
			const current = readConversation(await tx.store.get(id));
			if (!current) {
				await tx.done;
				return null;
			}
			const next: Conversation = { ...current, updatedAt: this.#now() };
			for (const key of ['title', 'modelId', 'systemPrompt', 'settings'] as const)
				if (patch[key] !== undefined) Object.assign(next, { [key]: patch[key] });
			next.title = next.title.trim() || DEFAULT_TITLE;
			next.settings = readSettings(next.settings);
			await tx.store.put(next);
			await tx.done;
			this.#notify('conversation', id);
			return next;
		});
	}

	rename(id: string, title: string): Promise<Conversation | null> {
		return this.update(id, { title });
	}

	/**
	 * Deletes the conversation, all its messages, their index entries and its record of attached
	 * documents (not the documents: they belong to the library), in one transaction.
	 */
	delete(id: string): Promise<void> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(
				['conversations', 'messages', 'attachments', 'searchTerms', 'messageVectors'],
				'readwrite'
			);
			const messages = tx.objectStore('messages');
			const keys = await messages.index('by-conversationId').getAllKeys(id);
			await Promise.all([
				tx.objectStore('conversations').delete(id),
				tx.objectStore('attachments').delete(id),
				...keys.map((key) => messages.delete(key)),
				forgetConversation(tx, id)
			]);
			await tx.done;
			this.#notify('conversation', id);
		});
	}

	/** Every conversation, most recently updated first. */
	list(): Promise<Conversation[]> {
		return storageOp(async () =>
			readConversations(await (await this.#db()).getAll('conversations'))
		);
	}

	/** The conversation with its messages, oldest first; null if it does not exist. */
	get(id: string): Promise<ConversationWithMessages | null> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(['conversations', 'messages'], 'readonly');
			const [rawConversation, rawMessages] = await Promise.all([
				tx.objectStore('conversations').get(id),
				tx.objectStore('messages').index('by-conversationId').getAll(id)
			]);
			await tx.done;
			const conversation = readConversation(rawConversation);
			if (!conversation) return null;
			const messages = readAll(rawMessages, readMessage, 'messages').sort(byCreatedAt);
			return { conversation, messages };
		});
	}

	/** Appends a message and bumps the conversation; throws StorageError 'not-found' if it is gone. */
	appendMessage(conversationId: string, input: NewMessage): Promise<Message> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(
				['conversations', 'messages', 'searchTerms', 'messageVectors'],
				'readwrite'
			);
			const conversations = tx.objectStore('conversations');
			const conversation = readConversation(await conversations.get(conversationId));
			if (!conversation) {
				tx.abort();
				await tx.done.catch(() => {});
				throw new StorageError('not-found', conversationId);
			}
			const now = this.#now();
			const message: Message = {
				...input,
				id: this.#newId(),
				conversationId,
				createdAt: now,
				status: input.status ?? 'complete'
			};
			await Promise.all([
				tx.objectStore('messages').put(message),
				conversations.put({ ...conversation, updatedAt: now }),
				indexMessageWrite(tx, conversationId, null, message)
			]);
			await tx.done;
			this.#notify('messages', conversationId);
			return message;
		});
	}

	/** Merges `patch` into a stored message; null if it no longer exists (deleted meanwhile). */
	updateMessage(id: string, patch: MessagePatch): Promise<Message | null> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(
				['conversations', 'messages', 'searchTerms', 'messageVectors'],
				'readwrite'
			);
			const messages = tx.objectStore('messages');
			const current = readMessage(await messages.get(id));
			if (!current) {
				await tx.done;
				return null;
			}
			const next: Message = { ...current };
			if (patch.content !== undefined) next.content = patch.content;
			if (patch.status !== undefined) next.status = patch.status;
			// Optional fields: present-but-undefined in the patch clears them.
			for (const key of ['stats', 'reasoning', 'modelId', 'errorCode'] as const) {
				if (!(key in patch)) continue;
				if (patch[key] === undefined) delete next[key];
				else Object.assign(next, { [key]: patch[key] });
			}
			const conversations = tx.objectStore('conversations');
			const conversation = readConversation(await conversations.get(current.conversationId));
			await Promise.all([
				messages.put(next),
				conversation && conversations.put({ ...conversation, updatedAt: this.#now() }),
				indexMessageWrite(tx, current.conversationId, current, next)
			]);
			await tx.done;
			this.#notify('messages', current.conversationId);
			return next;
		});
	}

	/**
	 * Marks an answer left 'streaming' by a tab that died as interrupted, in one transaction, only if
	 * it is still 'streaming' (its writer may have finished meanwhile). Returns the message as
	 * stored afterwards; null if it is gone.
	 */
	markInterrupted(id: string): Promise<Message | null> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction('messages', 'readwrite');
			const current = readMessage(await tx.store.get(id));
			if (!current || current.status !== 'streaming') {
				await tx.done;
				return current;
			}
			const next: Message = { ...current, status: 'interrupted' };
			await tx.store.put(next);
			await tx.done;
			this.#notify('messages', current.conversationId);
			return next;
		});
	}

	/** Deletes one message (e.g. the answer being regenerated); does nothing if it is gone. */
	deleteMessage(id: string): Promise<void> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(['messages', 'searchTerms', 'messageVectors'], 'readwrite');
			const message = readMessage(await tx.objectStore('messages').get(id));
			if (!message) {
				await tx.done;
				return;
			}
			await Promise.all([
				tx.objectStore('messages').delete(id),
				indexMessageWrite(tx, message.conversationId, message, null)
			]);
			await tx.done;
			this.#notify('messages', message.conversationId);
		});
	}

	/** A Markdown transcript and a JSON export of one conversation; null if it does not exist. */
	async exportConversation(id: string): Promise<{ markdown: string; json: string } | null> {
		const found = await this.get(id);
		if (!found) return null;
		return {
			markdown: conversationToMarkdown(found.conversation, found.messages),
			json: conversationToJson(found.conversation, found.messages, new Date(this.#clock()))
		};
	}
}
