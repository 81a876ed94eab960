// History search over what is stored: the word index (searchIndex.ts) narrows a query down to the
// conversations that may match, then only those conversations' messages are read to find the
// first real match and its snippet (search.ts). A rare word reads one conversation, not 50,000
// messages.
//
// Also the background work that keeps the index whole: conversations stored before the index
// existed (or whose record was lost) have no record; `unindexed` finds them and `indexConversations`
// writes theirs, a few per transaction, so a reload resumes where the last visit stopped.
import { connect, type Connection } from './db';
import { quantize, readMessageVector } from './messageVectors';
import { storageOp } from './errors';
import { findMatch, flatten, opening, snippet, type SearchHit } from './search';
import { readTermsRecord, termsRecord } from './searchIndex';
import { fold, type QueryPlan } from './searchTerms';
import type { Message } from './types';
import { readAll, readMessage } from './validate';

/** Stored terms that start with `prefix`: IndexedDB orders strings by code unit. */
function prefixRange(prefix: string): IDBKeyRange {
	return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/** The first message (oldest first) whose text matches `needle`, or null. */
export function firstMatch(
	conversationId: string,
	messages: readonly Message[],
	needle: string
): SearchHit | null {
	const sorted = [...messages].sort((a, b) => a.createdAt - b.createdAt);
	for (const m of sorted) {
		if (m.status === 'error') continue;
		if (findMatch(fold(flatten(m.content)), needle) < 0) continue;
		const found = snippet(m.content, needle);
		if (found) return { conversationId, in: 'message', messageId: m.id, ...found };
	}
	return null;
}

export class SearchRepository {
	#db: Connection;

	constructor(db: Connection = connect()) {
		this.#db = db;
	}

	/**
	 * The indexed conversations whose words hold every term of `plan` (the last one as a prefix):
	 * only these, and the conversations not indexed yet, can match. Null when the plan has no
	 * terms (a query of punctuation alone), so every conversation must be read.
	 */
	candidates(plan: QueryPlan): Promise<Set<string> | null> {
		if (plan.terms.length === 0) return Promise.resolve(null);
		return storageOp(async () => {
			const tx = (await this.#db()).transaction('searchTerms', 'readonly');
			const index = tx.store.index('by-term');
			const lists = await Promise.all(
				plan.terms.map(({ term, prefix }) =>
					index.getAllKeys(prefix ? prefixRange(term) : IDBKeyRange.only(term))
				)
			);
			await tx.done;
			lists.sort((a, b) => a.length - b.length);
			let found = new Set(lists[0] ?? []);
			for (const list of lists.slice(1)) {
				const other = new Set(list);
				found = new Set([...found].filter((id) => other.has(id)));
			}
			return found;
		});
	}

	/** Ids of the conversations that have an index record. */
	indexed(): Promise<Set<string>> {
		return storageOp(async () => new Set(await (await this.#db()).getAllKeys('searchTerms')));
	}

	/** Of `ids`, those without an index record (stored before the index, or their record lost). */
	async unindexed(ids: readonly string[]): Promise<string[]> {
		const indexed = await this.indexed();
		return ids.filter((id) => !indexed.has(id));
	}

	/**
	 * Writes the index record of each conversation that lacks one (or whose record is damaged), from
	 * its stored messages, in one transaction: a message written meanwhile waits for it, so the
	 * record is never behind. Returns how many were written.
	 */
	indexConversations(ids: readonly string[]): Promise<number> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['messages', 'searchTerms'], 'readwrite');
			const terms = tx.objectStore('searchTerms');
			const byConversation = tx.objectStore('messages').index('by-conversationId');
			const written = await Promise.all(
				ids.map(async (id) => {
					if (readTermsRecord(await terms.get(id))) return 0;
					const messages = readAll(await byConversation.getAll(id), readMessage, 'messages');
					await terms.put(termsRecord(id, messages));
					return 1;
				})
			);
			await tx.done;
			return written.reduce<number>((a, b) => a + b, 0);
		});
	}

	/** For each conversation of `ids` (in order) whose messages match `needle`, its first match. */
	firstMatches(ids: readonly string[], needle: string): Promise<SearchHit[]> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction('messages', 'readonly');
			const byConversation = tx.store.index('by-conversationId');
			const hits = await Promise.all(
				ids.map(async (id) =>
					firstMatch(id, readAll(await byConversation.getAll(id), readMessage, 'messages'), needle)
				)
			);
			await tx.done;
			return hits.filter((hit): hit is SearchHit => hit !== null);
		});
	}

	// Search by meaning: the messages' vectors (messageVectors.ts).

	/**
	 * Up to `limit` messages, after key `after`, that have text and no vector from `model`, with
	 * the key to go on from (null at the end). Reads a page of messages and their vectors at a time.
	 */
	unembedded(
		model: string,
		limit: number,
		after: string | null
	): Promise<{ messages: UnembeddedMessage[]; next: string | null }> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['messages', 'messageVectors'], 'readonly');
			const range = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
			const raw = await tx.objectStore('messages').getAll(range, limit);
			const first = (raw[0] as { id?: unknown } | undefined)?.id;
			const last = (raw.at(-1) as { id?: unknown } | undefined)?.id;
			// The vectors of exactly this page's messages (they share the message's key).
			const vectors =
				typeof first === 'string' && typeof last === 'string'
					? await tx.objectStore('messageVectors').getAll(IDBKeyRange.bound(first, last))
					: [];
			await tx.done;
			const done = new Set(
				vectors.flatMap((v) => {
					const read = readMessageVector(v);
					return read && read.model === model ? [read.messageId] : [];
				})
			);
			const messages = readAll(raw, readMessage, 'messages')
				.filter((m) => m.status !== 'error' && m.content.trim() && !done.has(m.id))
				.map(({ id, conversationId, content }) => ({ id, conversationId, content }));
			const next = raw.length < limit || typeof last !== 'string' ? null : last;
			return { messages, next };
		});
	}

	/**
	 * Stores vectors from `model` for messages, each only if its message still holds the text that
	 * was embedded (a message edited or deleted meanwhile is embedded again, or not at all).
	 */
	putVectors(
		model: string,
		embedded: ReadonlyArray<{ message: UnembeddedMessage; vector: Float32Array }>
	): Promise<void> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction(['messages', 'messageVectors'], 'readwrite');
			const messages = tx.objectStore('messages');
			const vectors = tx.objectStore('messageVectors');
			await Promise.all(
				embedded.map(async ({ message, vector }) => {
					const current = readMessage(await messages.get(message.id));
					if (!current || current.content !== message.content) return;
					await vectors.put({
						messageId: message.id,
						conversationId: message.conversationId,
						model,
						vector: quantize(vector)
					});
				})
			);
			await tx.done;
		});
	}

	/** How many messages have a vector from `model`, and how many messages there are. */
	embeddedCount(model: string): Promise<{ done: number; total: number }> {
		return storageOp(async () => {
			const db = await this.#db();
			const [done, total] = await Promise.all([
				db.countFromIndex('messageVectors', 'by-model', model),
				db.count('messages')
			]);
			return { done, total };
		});
	}

	/**
	 * The conversations whose messages are closest in meaning to `query` (a vector from `model`),
	 * best first, each with its closest message's opening; only similarities of at least `floor`.
	 */
	nearest(
		model: string,
		query: Float32Array,
		options: { limit: number; floor: number }
	): Promise<Array<SearchHit & { similarity: number }>> {
		return storageOp(async () => {
			const db = await this.#db();
			const raw = await db.getAllFromIndex('messageVectors', 'by-model', model);
			const norm = Math.hypot(...query) || 1;
			const best = new Map<string, { messageId: string; similarity: number }>();
			for (const item of raw) {
				const v = readMessageVector(item);
				if (!v || v.vector.length !== query.length) continue;
				let dot = 0;
				let length = 0;
				for (let i = 0; i < query.length; i++) {
					const x = v.vector[i] ?? 0;
					dot += x * (query[i] ?? 0);
					length += x * x;
				}
				const similarity = dot / ((Math.sqrt(length) || 1) * norm);
				const seen = best.get(v.conversationId);
				if (similarity >= options.floor && (!seen || similarity > seen.similarity))
					best.set(v.conversationId, { messageId: v.messageId, similarity });
			}
			const top = [...best.entries()]
				.sort((a, b) => b[1].similarity - a[1].similarity)
				.slice(0, options.limit);
			const hits: Array<SearchHit & { similarity: number }> = [];
			for (const [conversationId, { messageId, similarity }] of top) {
				const message = readMessage(await db.get('messages', messageId));
				if (!message) continue;
				hits.push({
					conversationId,
					in: 'message',
					messageId,
					...opening(message.content),
					byMeaning: true,
					similarity
				});
			}
			return hits;
		});
	}
}

/** What embedding a message needs of it. */
export interface UnembeddedMessage {
	id: string;
	conversationId: string;
	content: string;
}
