// Searching what a repository stores the way the app does: every searchable message read into the
// in-memory index (ChatStore builds it the same way), queried against the conversation list.
import { SearchIndex } from '$lib/chat/searchIndex';
import type { ConversationRepository } from '$lib/storage/conversations';
import type { SearchHit } from '$lib/storage/search';

export async function searchStored(
	repo: ConversationRepository,
	query: string
): Promise<SearchHit[]> {
	const index = new SearchIndex();
	await repo.readSearchable((batch) => index.add(batch));
	return index.search(query, await repo.list());
}
