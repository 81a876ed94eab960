// What the chat asks of documents, and what it gets back: the contract between the two features.
// The chat calls a `Grounding` before each answer (chat/grounding.ts composes the request); the
// documents feature implements it (documents/grounding.ts). Neither imports the other.
import type { AnswerSources } from '$lib/storage/types';

export interface GroundingBudget {
	/** The chat model's context window in tokens. */
	contextWindow: number;
	/** Tokens kept free for the answer. */
	maxTokens: number;
	/** Tokens always sent: the system prompt and the latest question, with their overhead. */
	promptTokens: number;
	/** Tokens the earlier history would take if sent whole. */
	historyTokens: number;
}

/** Passages found for a question, ready to send. */
export interface Grounded {
	/**
	 * The context block that goes before the question: the instruction and every passage under its
	 * marker, ending where the question starts; '' when no passage matched or fitted.
	 */
	text: string;
	/** What the answer keeps (the request is added by the chat). */
	sources: Omit<AnswerSources, 'request'>;
}

export interface Grounding {
	/**
	 * The passages of the documents attached to the conversation that best match `question`,
	 * fitted to `budget`; null when nothing is attached. Never rejects: trouble is in `sources`.
	 */
	ground(
		conversationId: string,
		question: string,
		budget: GroundingBudget,
		signal: AbortSignal
	): Promise<Grounded | null>;
}
