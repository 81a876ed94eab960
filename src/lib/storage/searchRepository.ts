// History search over what is stored: the word index (searchIndex.ts) narrows a query down to the
// conversations that may match, then only those conversations' messages are read to find the
// first real match and its snippet (search.ts). A rare word reads one conversation, not 50,000
// messages.
//
// Also the background work that keeps the index whole: conversations stored before the index
// existed (or whose record was lost) have no record; `unindexed` finds them and `indexConversations`
// writes theirs, a few per transaction, so a reload resumes where the last visit stopped.
import { connect, type Connection } from './db';
import { storageOp } from './errors';
import { findMatch, flatten, snippet, type SearchHit } from './search';
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
}
