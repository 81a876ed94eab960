// The chat's grounding (`$lib/grounding`'s `Grounding`), from the documents attached to a
// conversation: their passages that best match the question (retrieval.ts through the library,
// meaning and words fused), as many as fit the chat's budget, numbered as sources.
//
// The question's embedding needs the embedding model. It is loaded beside the chat model when the
// memory rule allows (embedding/beside.ts); when it does not, or the model is not downloaded while
// offline, words alone are matched and the answer says why: unloading the chat model the user is
// waiting on, for a few hundred milliseconds of embedding, would surprise them far more.
import type { Grounded, Grounding, GroundingBudget } from '$lib/grounding';
import type { SourceRef } from '$lib/storage/types';
import type { ConversationAttachments } from './ConversationAttachments.svelte';
import type { DocumentLibrary } from './DocumentLibrary.svelte';
import { DEFAULT_SHARE, fitPassages, type Source } from './prompt';

/** Passages retrieved per question, before fitting: more than any context window here holds. */
const CANDIDATES = 40;

/** Share of the room left the passages may take: what the history leaves, at least the default. */
export function passageShare(budget: GroundingBudget): number {
	const room = budget.contextWindow - budget.maxTokens - budget.promptTokens;
	if (room <= 0) return 0;
	return Math.max(DEFAULT_SHARE, Math.min(1, 1 - budget.historyTokens / room));
}

export function sourceRef(source: Source): SourceRef {
	return {
		marker: source.marker,
		label: source.label,
		documentId: source.documentId,
		documentName: source.documentName,
		passageId: source.id,
		text: source.text,
		page: source.page
	};
}

export class DocumentGrounding implements Grounding {
	#library: DocumentLibrary;
	#attachments: ConversationAttachments;

	constructor(library: DocumentLibrary, attachments: ConversationAttachments) {
		this.#library = library;
		this.#attachments = attachments;
	}

	async ground(
		conversationId: string,
		question: string,
		budget: GroundingBudget
	): Promise<Grounded | null> {
		let ids: Set<string> | null;
		try {
			ids = await this.#attachments.documentIdsOf(conversationId);
		} catch {
			return { text: '', sources: { passages: [], indexing: [], failed: true } };
		}
		if (!ids) return null;
		const indexing = this.#library.documents
			.filter((d) => ids.has(d.id) && (d.status === 'reading' || d.status === 'embedding'))
			.map((d) => d.name);
		let retrieved;
		try {
			retrieved = await this.#library.retrieve(question, { documentIds: ids, limit: CANDIDATES });
		} catch {
			return { text: '', sources: { passages: [], indexing, failed: true } };
		}
		const fitted = fitPassages(retrieved.passages, {
			contextWindow: budget.contextWindow,
			maxTokens: budget.maxTokens,
			promptTokens: budget.promptTokens,
			share: passageShare(budget)
		});
		return {
			text: fitted.text,
			sources: {
				passages: fitted.sources.map(sourceRef),
				indexing,
				...(retrieved.why ? { wordsOnly: retrieved.why.code } : {})
			}
		};
	}
}
