// History search in memory. Scanning IndexedDB with a cursor costs a round trip per message (seconds
// for 50,000 messages); reading every message once, keeping its lowercased text, and answering
// each query with plain substring scans costs one read up front and milliseconds per query. The
// read is done in batches (`add`), each indexed as it arrives, so no step holds the page for long.
// The index is then refreshed per conversation whenever one changes (in this tab or another), so it
// never needs a second full read.
import { normalizeQuery, snippet, type SearchHit } from '$lib/storage/search';
import type { Conversation } from '$lib/storage/types';

/** What the index needs of a message. */
export interface IndexedMessage {
	id: string;
	content: string;
	createdAt: number;
}

interface Item {
	message: IndexedMessage;
	/** The text with whitespace collapsed and lowercased, as queries are. */
	lower: string;
}

interface Entry {
	items: Item[];
	/** Items arrive in batches in key order; they are put in time order before the next search. */
	sorted: boolean;
}

const flatten = (text: string) => text.replace(/\s+/g, ' ').toLowerCase();
const item = (message: IndexedMessage): Item => ({ message, lower: flatten(message.content) });

export class SearchIndex {
	#entries = new Map<string, Entry>();

	get size() {
		return this.#entries.size;
	}

	/** Replaces what the index knows of one conversation's messages. */
	set(conversationId: string, messages: readonly IndexedMessage[]) {
		this.#entries.set(conversationId, { items: messages.map(item), sorted: false });
	}

	/** Adds messages of any conversations (a batch of a full read). */
	add(messages: ReadonlyArray<IndexedMessage & { conversationId: string }>) {
		for (const message of messages) {
			const entry = this.#entries.get(message.conversationId);
			const next = item({ id: message.id, content: message.content, createdAt: message.createdAt });
			if (entry) {
				entry.items.push(next);
				entry.sorted = false;
			} else this.#entries.set(message.conversationId, { items: [next], sorted: false });
		}
	}

	delete(conversationId: string) {
		this.#entries.delete(conversationId);
	}

	/**
	 * Conversations whose title or message text contains `query`, in the order of `conversations`
	 * (the sidebar's), each with a snippet of its first match, title first. Same results as
	 * ConversationRepository.search.
	 */
	search(query: string, conversations: readonly Conversation[]): SearchHit[] {
		const needle = normalizeQuery(query);
		if (!needle) return [];
		const hits: SearchHit[] = [];
		for (const c of conversations) {
			const inTitle = snippet(c.title, needle);
			if (inTitle) {
				hits.push({ conversationId: c.id, in: 'title', ...inTitle });
				continue;
			}
			const entry = this.#entries.get(c.id);
			if (!entry) continue;
			if (!entry.sorted) {
				entry.items.sort((a, b) => a.message.createdAt - b.message.createdAt);
				entry.sorted = true;
			}
			const first = entry.items.find((i) => i.lower.includes(needle));
			const found = first && snippet(first.message.content, needle);
			if (first && found)
				hits.push({ conversationId: c.id, in: 'message', messageId: first.message.id, ...found });
		}
		return hits;
	}
}
