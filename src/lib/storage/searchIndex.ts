// The history search index, kept in IndexedDB: one record per conversation with its distinct terms
// (searchTerms.ts) and, for each, how many of its messages hold it. The store's multiEntry index
// 'by-term' then maps every term to the conversations that have it, so a query reads only the
// keys of the conversations that may match (a key range per term, a prefix range for the word
// being typed) instead of every message.
//
// Why per conversation: the sidebar lists conversations, so that is what a query must find; one
// record per conversation keeps the index about one entry per distinct word of a conversation
// (a per-message record would repeat a common word in every message, and a per-word record would
// rewrite a long list of conversations for every new message). Why counts: a message that is
// edited or deleted takes its words out only if no other message of the conversation has them.
//
// Every write to a message updates its conversation's record in the same transaction (the helpers
// below, called by ConversationRepository and BackupRepository), so the index is never behind the
// messages, in this tab or another. A conversation stored before the index existed has no record:
// `SearchRepository` (searchRepository.ts) finds and indexes those in the background, and the
// writes leave them alone until then. A damaged record is rebuilt from its messages when next
// written, or found by the next check and rebuilt.
import type { IDBPTransaction } from 'idb';
import type { LanternSchema, StoreName } from './db';
import { indexTerms } from './searchTerms';
import type { Message } from './types';
import { isRecord, isStringArray, readAll, readMessage } from './validate';

export interface TermsRecord {
	conversationId: string;
	/** Distinct terms of the conversation's messages (not of its title, which the list holds). */
	terms: string[];
	/** `counts[i]`: how many messages hold `terms[i]`; always at least 1. */
	counts: number[];
}

/** A readwrite transaction whose scope includes the stores a helper below names. */
export type IndexTransaction = IDBPTransaction<LanternSchema, StoreName[], 'readwrite'>;

/** Null when the record is damaged (it is then rebuilt). */
export function readTermsRecord(raw: unknown): TermsRecord | null {
	if (!isRecord(raw) || typeof raw.conversationId !== 'string') return null;
	const { terms, counts } = raw;
	if (!isStringArray(terms) || !Array.isArray(counts) || counts.length !== terms.length)
		return null;
	if (!counts.every((n) => Number.isInteger(n) && n > 0)) return null;
	return { conversationId: raw.conversationId, terms, counts: counts as number[] };
}

/** The terms a message gives its conversation: none for a failed answer (its text is no answer). */
export function messageTerms(message: Pick<Message, 'content' | 'status'> | null): string[] {
	return message && message.status !== 'error' ? indexTerms(message.content) : [];
}

/** The record of a conversation with these messages. */
export function termsRecord(
	conversationId: string,
	messages: ReadonlyArray<Pick<Message, 'content' | 'status'>>
): TermsRecord {
	const counts = new Map<string, number>();
	for (const message of messages)
		for (const term of messageTerms(message)) counts.set(term, (counts.get(term) ?? 0) + 1);
	return { conversationId, terms: [...counts.keys()], counts: [...counts.values()] };
}

/** The record after one message lost `removed` and gained `added` (each a set of terms). */
export function changeTerms(
	record: TermsRecord,
	removed: Iterable<string>,
	added: Iterable<string>
): TermsRecord {
	const counts = new Map(record.terms.map((term, i) => [term, record.counts[i] ?? 1]));
	for (const term of removed) {
		const left = (counts.get(term) ?? 0) - 1;
		if (left > 0) counts.set(term, left);
		else counts.delete(term);
	}
	for (const term of added) counts.set(term, (counts.get(term) ?? 0) + 1);
	return {
		conversationId: record.conversationId,
		terms: [...counts.keys()],
		counts: [...counts.values()]
	};
}

/** The terms only in `a`. */
function minus(a: readonly string[], b: readonly string[]): string[] {
	const other = new Set(b);
	return a.filter((term) => !other.has(term));
}

/**
 * Brings the index in step with one message write: the message went from `before` to `after` (null
 * when it did not exist / no longer exists). Call it after issuing the message's own write, in the
 * same transaction (scope: messages, searchTerms, messageVectors). A message whose text changed
 * also loses its vector (searched by meaning, it would be found for what it no longer says).
 */
export async function indexMessageWrite(
	tx: IndexTransaction,
	conversationId: string,
	before: Message | null,
	after: Message | null
): Promise<void> {
	if (before && (!after || after.content !== before.content))
		await tx.objectStore('messageVectors').delete(before.id);
	const store = tx.objectStore('searchTerms');
	const raw = await store.get(conversationId);
	// Not indexed yet: the background indexing reads the whole conversation.
	if (raw === undefined) return;
	const record = readTermsRecord(raw);
	if (!record) {
		await store.put(termsRecord(conversationId, await conversationMessages(tx, conversationId)));
		return;
	}
	const old = messageTerms(before);
	const next = messageTerms(after);
	const removed = minus(old, next);
	const added = minus(next, old);
	if (removed.length || added.length) await store.put(changeTerms(record, removed, added));
}

/** A new conversation: an empty record, so it counts as indexed. */
export function indexNewConversation(tx: IndexTransaction, conversationId: string) {
	return tx.objectStore('searchTerms').put({ conversationId, terms: [], counts: [] });
}

/** A deleted conversation: its record and its messages' vectors go too. */
export async function forgetConversation(tx: IndexTransaction, conversationId: string) {
	const vectors = tx.objectStore('messageVectors');
	const keys = await vectors.index('by-conversationId').getAllKeys(conversationId);
	await Promise.all([
		tx.objectStore('searchTerms').delete(conversationId),
		...keys.map((key) => vectors.delete(key))
	]);
}

/** The stored messages of a conversation, in any order. */
async function conversationMessages(tx: IndexTransaction, conversationId: string) {
	const raw = await tx.objectStore('messages').index('by-conversationId').getAll(conversationId);
	return readAll(raw, readMessage, 'messages');
}
