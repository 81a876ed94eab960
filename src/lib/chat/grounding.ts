// Documents in the chat. When documents are attached to a conversation, each answer is asked for
// with the passages that best match the question (the documents feature finds and numbers them,
// behind the `Grounding` interface of `$lib/grounding`, so the chat never reads documents itself),
// and the answer keeps them as its sources.
//
// Where they go: in a context block before the latest question, in the request only. The stored
// question stays as the user wrote it, and the history sent with later questions carries no old
// passages (each question gets its own). A system message would do too, but chat templates take one
// system message, first, and small models answer better when the sources sit next to the question.
//
// The budget is the chat's (prompt.ts): the system prompt and the question are always sent, the
// room kept for the answer stays free, and the passages and the history share what is left. The
// passages may take whatever the history does not need, and at least half (so a long conversation
// cannot crowd them out); the history is then fitted into the rest by `fitToContext`, oldest turns
// left out first.
import type { ChatMessage, ContentPart } from '$lib/engine/types';
import type { GroundingBudget } from '$lib/grounding';
import {
	fitToContext,
	historyTurns,
	messageTokens,
	type ContextBudget,
	type Prompt,
	type PromptSource
} from './prompt';

const SYSTEM = (prompt: string) =>
	prompt.trim() ? ({ role: 'system', content: prompt } as const) : null;

/** What the passages' budget is measured against: the question and system prompt, the history. */
export function groundingBudget(source: PromptSource, budget: ContextBudget): GroundingBudget {
	const turns = historyTurns(source.messages, { vision: source.vision });
	const system = SYSTEM(source.systemPrompt);
	const last = turns.findLastIndex((t) => t.role === 'user');
	const estimate = (m: ChatMessage) => messageTokens(m, budget.estimate);
	let promptTokens = system ? estimate(system) : 0;
	let historyTokens = 0;
	turns.forEach((turn, i) => {
		if (i >= last) promptTokens += estimate(turn);
		else historyTokens += estimate(turn);
	});
	return {
		contextWindow: budget.contextWindow,
		maxTokens: budget.maxTokens,
		promptTokens,
		historyTokens
	};
}

/** The latest question as sent: its sources first, then what the user wrote. */
function withSources(content: string | ContentPart[], block: string): string | ContentPart[] {
	if (typeof content === 'string') return `${block}\n\n${content}`;
	return [{ type: 'text', text: block }, ...content];
}

/**
 * The request's messages with `block` before the latest question, fitted to the context window
 * like `buildPrompt`'s (the system prompt and the question with its sources are always kept).
 */
export function groundedPrompt(source: PromptSource, budget: ContextBudget, block: string): Prompt {
	const turns = historyTurns(source.messages, { vision: source.vision });
	const last = turns.findLastIndex((t) => t.role === 'user');
	const turn = turns[last];
	if (block && turn?.role === 'user')
		turns[last] = { ...turn, content: withSources(turn.content, block) };
	return fitToContext(SYSTEM(source.systemPrompt), turns, budget);
}

/** Stands in for an image's data in a stored request: it is in the conversation already. */
export const IMAGE_PLACEHOLDER = '(image)';

/** The request as the answer keeps it: exactly what was sent, but images as a placeholder. */
export function recordedRequest(messages: readonly ChatMessage[]): ChatMessage[] {
	return messages.map((m) =>
		m.role === 'user' && typeof m.content !== 'string'
			? {
					role: 'user',
					content: m.content.map((part) =>
						part.type === 'image_url'
							? { type: 'image_url', image_url: { url: IMAGE_PLACEHOLDER } }
							: part
					)
				}
			: { ...m }
	);
}
