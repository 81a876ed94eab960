// Searching what a repository stores the way the app does (chat/ConversationSearch): titles from the
// list, then the word index names the conversations that may match (those it does not hold yet
// may match too), whose messages are read for the first match. In the list's order.
import type { ConversationRepository } from '$lib/storage/conversations';
import type { Connection } from '$lib/storage/db';
import { snippet, type SearchHit } from '$lib/storage/search';
import { SearchRepository } from '$lib/storage/searchRepository';
import { planQuery } from '$lib/storage/searchTerms';

export async function searchStored(
	repo: ConversationRepository,
	connection: Connection,
	query: string
): Promise<SearchHit[]> {
	const plan = planQuery(query);
	if (!plan) return [];
	const search = new SearchRepository(connection);
	const conversations = await repo.list();
	const [candidates, indexed] = await Promise.all([search.candidates(plan), search.indexed()]);
	const hits: SearchHit[] = [];
	for (const c of conversations) {
		const inTitle = snippet(c.title, plan.needle);
		if (inTitle) hits.push({ conversationId: c.id, in: 'title', ...inTitle });
		else if (!candidates || candidates.has(c.id) || !indexed.has(c.id))
			hits.push(...(await search.firstMatches([c.id], plan.needle)));
	}
	return hits;
}
