// Search over the conversations' titles and message words, on an in-memory index (searchIndex.ts)
// built from one read of every message, in batches, once the page is idle after the list is shown
// (or by the first search). It follows the list: a conversation that changed is read again and its
// index entry replaced; a restored backup throws the index away.
import type { ConversationRepository } from '$lib/storage/conversations';
import type { SearchHit } from '$lib/storage/search';
import type { ConversationList, ListChange } from './ConversationList.svelte';
import type { Notices } from './Notices.svelte';
import { SearchIndex } from './searchIndex';

/** Messages read per batch when building the search index (about 1 MB). */
const INDEX_BATCH = 2000;
/** While the index is read, results found so far are shown this often. */
const PARTIAL_RESULTS_MS = 250;

export class ConversationSearch {
	#repo: ConversationRepository;
	#list: ConversationList;
	#notices: Notices;
	#query = $state('');
	#hits = $state.raw<SearchHit[] | null>(null);
	#searching = $state(false);
	#index: SearchIndex | null = null;
	#indexing: Promise<SearchIndex> | null = null;
	/** Conversations changed while the index was being read: refreshed once it is. */
	#stale: string[] = [];
	/** Bumped when the index is thrown away (a restore), so a build in progress is discarded. */
	#generation = 0;

	constructor(repo: ConversationRepository, list: ConversationList, notices: Notices) {
		this.#repo = repo;
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
	/** True while a search waits for the index: results so far may be incomplete. */
	get searching() {
		return this.#searching;
	}

	/** Reads the index when the page is idle, so that search answers at once when first used. */
	start() {
		if (typeof requestIdleCallback === 'function')
			requestIdleCallback(() => void this.searchIndex(), { timeout: 2000 });
	}

	async search(query: string) {
		this.#query = query;
		if (!query.trim()) {
			this.#hits = null;
			return;
		}
		if (!this.#index) {
			this.#hits = new SearchIndex().search(query, this.#list.conversations);
			this.#searching = true;
		}
		const index = await this.searchIndex();
		this.#searching = false;
		if (this.#query === query) this.#hits = index.search(query, this.#list.conversations);
	}

	/**
	 * The search index: every message read once, in small batches between which the page stays
	 * responsive. Started when the page is idle after the list is shown, or by the first search.
	 */
	searchIndex(): Promise<SearchIndex> {
		if (this.#index) return Promise.resolve(this.#index);
		this.#indexing ??= this.#build();
		return this.#indexing;
	}

	async #build(): Promise<SearchIndex> {
		const generation = this.#generation;
		this.#stale = [];
		const index = new SearchIndex();
		let shown = performance.now();
		await this.#repo.readSearchable(
			(batch) => {
				index.add(batch);
				// A search typed meanwhile shows what is found so far (titles at once).
				if (this.#query.trim() && performance.now() - shown > PARTIAL_RESULTS_MS) {
					shown = performance.now();
					this.#hits = index.search(this.#query, this.#list.conversations);
				}
			},
			{
				batch: INDEX_BATCH,
				pause: () => new Promise((resolve) => setTimeout(resolve, 0))
			}
		);
		if (generation !== this.#generation) return this.searchIndex();
		this.#index = index;
		for (const id of this.#stale.splice(0)) await this.#refresh(id);
		return index;
	}

	async #listChanged(change: ListChange) {
		if (change.kind === 'all') {
			this.#generation++;
			this.#index = null;
			this.#indexing = null;
		} else await this.#refresh(change.id);
		if (this.#query.trim()) void this.search(this.#query);
	}

	/** Reads one conversation's messages again into the index (or drops it, if it is gone). */
	async #refresh(id: string) {
		if (!this.#index) {
			if (this.#indexing) this.#stale.push(id);
			return;
		}
		const found = await this.#notices.attempt(() => this.#repo.get(id));
		if (!found) this.#index.delete(id);
		else
			this.#index.set(
				id,
				found.messages.filter((m) => m.status !== 'error')
			);
	}
}
