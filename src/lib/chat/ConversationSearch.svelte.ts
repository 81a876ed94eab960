// Search over the conversations' titles and message words. Titles are matched in memory (the list
// holds them); message words through the index kept in IndexedDB (storage/searchIndex.ts), which
// names the conversations that may match, whose messages are then read to find the match itself,
// a few conversations at a time in the sidebar's order: results appear as they are found, and a
// newer query stops an older one between batches.
//
// The index is updated by every write, in the same transaction. Conversations stored before it
// existed, or just restored from a backup, are indexed here, in the background (once the list is
// shown, or after the restore), a few per transaction; a reload resumes with those still missing. Until then they are read by every search, so results
// are complete from the start, only slower.
//
// With search by meaning on (HistoryMeaning), the conversations closest in meaning to the query
// follow the word matches, marked as such: words first, as they always were, then meaning.
import { nextTask } from '$lib/nextTask';
import { SvelteMap } from 'svelte/reactivity';
import { snippet, type SearchHit } from '$lib/storage/search';
import type { SearchRepository } from '$lib/storage/searchRepository';
import { planQuery, type QueryPlan } from '$lib/storage/searchTerms';
import type { ConversationList, ListChange } from './ConversationList.svelte';
import type { HistoryMeaning } from './HistoryMeaning.svelte';
import type { Notices } from './Notices.svelte';

/** Conversations whose messages are read per step of a search (the first step is quicker). */
const FIRST_BATCH = 8;
const BATCH = 12;
/** Conversations indexed per transaction in the background. */
const INDEX_BATCH = 5;

/** After a change, how long the history waits before embedding what is new (answers stream). */
const EMBED_AFTER_CHANGE_MS = 3000;

export interface IndexProgress {
	done: number;
	total: number;
}

export class ConversationSearch {
	#repo: SearchRepository;
	#list: ConversationList;
	#notices: Notices;
	#query = $state('');
	#hits = $state.raw<SearchHit[] | null>(null);
	#searching = $state(false);
	#indexing = $state.raw<IndexProgress | null>(null);
	/** Matches of the current query by conversation (the order is the list's, at each publish). */
	#found = new SvelteMap<string, SearchHit>();
	/** Conversations found by meaning for the current query, best first. */
	#byMeaning: SearchHit[] = [];
	#meaning: HistoryMeaning | null;
	#embedLater: ReturnType<typeof setTimeout> | null = null;
	#plan: QueryPlan | null = null;
	/** Bumped by every query: a search still reading stops when it sees a newer one. */
	#run = 0;
	#building = false;
	#buildAgain = false;

	constructor(
		repo: SearchRepository,
		list: ConversationList,
		notices: Notices,
		meaning: HistoryMeaning | null = null
	) {
		this.#repo = repo;
		this.#meaning = meaning;
		this.#list = list;
		this.#notices = notices;
		list.onChange((change) => void this.#listChanged(change));
	}

	get query() {
		return this.#query;
	}
	/** Results for `query`; null when not searching. */
	get hits() {
		return this.#hits;
	}
	/** True while a search is still reading messages: more results may come. */
	get searching() {
		return this.#searching;
	}
	/** Conversations indexed so far by the background build, or null when none is running. */
	get indexing() {
		return this.#indexing;
	}

	/**
	 * Called once the list is read: runs again a search typed before that, and indexes, when the
	 * page is idle, whatever conversations the index does not hold yet.
	 */
	start() {
		if (this.#query.trim()) void this.search(this.#query);
		if (typeof requestIdleCallback === 'function')
			requestIdleCallback(() => void this.buildIndex(), { timeout: 2000 });
		else void this.buildIndex();
	}

	async search(query: string) {
		this.#query = query;
		const run = ++this.#run;
		const plan = planQuery(query);
		this.#plan = plan;
		this.#found = new SvelteMap();
		this.#byMeaning = [];
		if (!plan) {
			this.#hits = null;
			this.#searching = false;
			return;
		}
		const conversations = this.#list.conversations;
		for (const c of conversations) {
			const inTitle = snippet(c.title, plan.needle);
			if (inTitle) this.#found.set(c.id, { conversationId: c.id, in: 'title', ...inTitle });
		}
		this.#searching = true;
		this.#publish();
		const meaning = this.#meaning?.search(query) ?? Promise.resolve([]);
		const looked = await this.#notices.attempt(() =>
			Promise.all([this.#repo.candidates(plan), this.#repo.indexed()])
		);
		if (run !== this.#run) return;
		if (!looked) {
			this.#searching = false;
			return;
		}
		const [candidates, indexed] = looked;
		const toRead = conversations
			.map((c) => c.id)
			.filter(
				(id) => !this.#found.has(id) && (!candidates || candidates.has(id) || !indexed.has(id))
			);
		for (let i = 0; i < toRead.length;) {
			const size = i === 0 ? FIRST_BATCH : BATCH;
			const batch = toRead.slice(i, i + size);
			i += size;
			const hits = await this.#notices.attempt(() => this.#repo.firstMatches(batch, plan.needle));
			if (run !== this.#run) return;
			if (!hits) break;
			for (const hit of hits) this.#found.set(hit.conversationId, hit);
			if (hits.length > 0) this.#publish();
			if (i < toRead.length) await nextTask();
			if (run !== this.#run) return;
		}
		const close = await meaning;
		if (run !== this.#run) return;
		this.#byMeaning = close;
		this.#searching = false;
		this.#publish();
	}

	/**
	 * Writes the index records of the conversations that have none, a few per transaction, between
	 * which the page stays responsive. Resumes after a reload: the records written stay.
	 */
	async buildIndex() {
		if (this.#building) {
			// A restore while building: its conversations are looked for once this run is done.
			this.#buildAgain = true;
			return;
		}
		this.#building = true;
		try {
			do {
				this.#buildAgain = false;
				if (!(await this.#indexMissing())) return;
			} while (this.#buildAgain);
		} finally {
			this.#building = false;
			this.#indexing = null;
		}
	}

	/** One pass over the conversations without a record; false if storage failed. */
	async #indexMissing(): Promise<boolean> {
		const ids = this.#list.conversations.map((c) => c.id);
		const missing = await this.#notices.attempt(() => this.#repo.unindexed(ids));
		if (!missing) return false;
		if (missing.length === 0) return true;
		this.#indexing = { done: 0, total: missing.length };
		for (let i = 0; i < missing.length; i += INDEX_BATCH) {
			const batch = missing.slice(i, i + INDEX_BATCH);
			const written = await this.#notices.attempt(() => this.#repo.indexConversations(batch));
			if (written === null) return false;
			this.#indexing = { done: Math.min(i + INDEX_BATCH, missing.length), total: missing.length };
			await nextTask();
		}
		return true;
	}

	/** The word matches found so far, in the sidebar's order, then those found by meaning alone. */
	#publish() {
		const found = this.#found;
		this.#hits = [
			...this.#list.conversations.flatMap((c) => {
				const hit = found.get(c.id);
				return hit ? [hit] : [];
			}),
			...this.#byMeaning.filter(
				(h) => !found.has(h.conversationId) && this.#list.has(h.conversationId)
			)
		];
	}

	async #listChanged(change: ListChange) {
		this.#embedNew();
		if (change.kind === 'all') {
			// A restore: its conversations are indexed again, in the background.
			void this.buildIndex();
			if (this.#query.trim()) void this.search(this.#query);
			return;
		}
		await this.#recheck(change.id);
	}

	/** New or edited messages get their vectors once the history has been still for a moment. */
	#embedNew() {
		const meaning = this.#meaning;
		if (!meaning?.enabled) return;
		if (this.#embedLater) clearTimeout(this.#embedLater);
		this.#embedLater = setTimeout(() => void meaning.index(), EMBED_AFTER_CHANGE_MS);
	}

	/** One conversation changed: whether and where it matches the current query, again. */
	async #recheck(id: string) {
		const plan = this.#plan;
		if (!plan) return;
		const run = this.#run;
		const conversation = this.#list.conversations.find((c) => c.id === id);
		let hit: SearchHit | null = null;
		if (conversation) {
			const inTitle = snippet(conversation.title, plan.needle);
			if (inTitle) hit = { conversationId: id, in: 'title', ...inTitle };
			else {
				const hits = await this.#notices.attempt(() => this.#repo.firstMatches([id], plan.needle));
				hit = hits?.[0] ?? null;
			}
		}
		if (run !== this.#run) return;
		if (hit) this.#found.set(id, hit);
		else this.#found.delete(id);
		this.#publish();
	}
}
