// From a stored conversation to the messages sent to the engine.
//
// History is the stored turns with reasoning removed (the models' own templates drop it, and it
// would crowd the context window), interrupted answers as far as they got, and failed turns left
// out. When the whole conversation does not fit in the context window (minus the room kept for the
// answer), the oldest turns are dropped, never the system prompt or the latest user message. Token
// counts are estimates (about four characters a token): the real tokenizer lives in the worker,
// and an estimate is enough to decide what to drop and to draw the meter.
import type { ChatMessage, ContentPart } from '$lib/engine/types';
import type { Message } from '$lib/storage/types';
import { estimateTokens, type TokenEstimator } from '$lib/text/tokens';
import { stripReasoning } from './reasoning';

export { estimateTokens, type TokenEstimator };

/** Role markers and separators the chat template adds around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** What one image costs a vision model (Phi-3.5-vision: a few hundred to a thousand tokens). */
export const IMAGE_TOKENS = 1024;

export function messageTokens(message: ChatMessage, estimate: TokenEstimator = estimateTokens) {
	const content = message.content;
	if (typeof content === 'string') return estimate(content) + MESSAGE_OVERHEAD_TOKENS;
	return content.reduce(
		(sum, part) => sum + (part.type === 'text' ? estimate(part.text) : IMAGE_TOKENS),
		MESSAGE_OVERHEAD_TOKENS
	);
}

export function countTokens(messages: readonly ChatMessage[], estimate = estimateTokens): number {
	return messages.reduce((sum, m) => sum + messageTokens(m, estimate), 0);
}

type Turn = Extract<ChatMessage, { role: 'user' | 'assistant' }>;

function userContent(message: Message, vision: boolean): string | ContentPart[] {
	if (!vision || !message.images?.length) return message.content;
	return [
		...message.images.map((url): ContentPart => ({ type: 'image_url', image_url: { url } })),
		{ type: 'text', text: message.content }
	];
}

function asParts(content: string | ContentPart[]): ContentPart[] {
	return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Two user turns in a row (the answer between them failed) become one, keeping both questions. */
function mergeUser(a: string | ContentPart[], b: string | ContentPart[]): string | ContentPart[] {
	if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
	return [...asParts(a), ...asParts(b)];
}

/**
 * The stored turns as chat history: user and assistant messages in order, error turns and empty
 * answers (a placeholder not written yet) skipped, reasoning stripped, and consecutive turns of the
 * same role merged so that roles alternate as chat templates expect. Stored system messages are
 * skipped: the conversation's system prompt is the one that counts. Images are sent only to vision
 * models.
 */
export function historyTurns(messages: readonly Message[], { vision = false } = {}): Turn[] {
	const turns: Turn[] = [];
	for (const message of messages) {
		if (message.status === 'error' || message.role === 'system') continue;
		const last = turns.at(-1);
		if (message.role === 'user') {
			const content = userContent(message, vision);
			if (last?.role === 'user') last.content = mergeUser(last.content, content);
			else turns.push({ role: 'user', content });
		} else {
			const content = stripReasoning(message.content).trim();
			if (!content) continue;
			if (last?.role === 'assistant') last.content = `${last.content}\n\n${content}`;
			else turns.push({ role: 'assistant', content });
		}
	}
	return turns;
}

export interface ContextBudget {
	/** The model's context window in tokens. */
	contextWindow: number;
	/** Tokens kept free for the answer (the request's max_tokens). */
	maxTokens: number;
	estimate?: TokenEstimator;
}

export interface Prompt {
	/** System prompt (if any) first, then the history that fits, ending with the latest user turn. */
	messages: ChatMessage[];
	/** How many stored turns were left out to fit the context window (0 when all fit). */
	dropped: number;
	/** Estimated tokens of `messages`. */
	tokens: number;
	/**
	 * True when even the system prompt and the latest user message exceed the budget: the request
	 * will fail with context-window-exceeded, so say so before sending.
	 */
	overflow: boolean;
}

/**
 * Drops the oldest turns until the messages fit `contextWindow - maxTokens`. The system prompt and
 * everything from the latest user turn on are kept; the kept history always starts with a user turn.
 */
export function fitToContext(
	system: ChatMessage | null,
	turns: readonly Turn[],
	budget: ContextBudget
): Prompt {
	const estimate = budget.estimate ?? estimateTokens;
	const limit = budget.contextWindow - budget.maxTokens;
	const lastUser = turns.findLastIndex((t) => t.role === 'user');
	const costs = turns.map((t) => messageTokens(t, estimate));
	let tokens = (system ? messageTokens(system, estimate) : 0) + costs.reduce((a, b) => a + b, 0);
	let first = 0;
	const droppable = Math.max(lastUser, 0);
	const drop = () => {
		tokens -= costs[first] ?? 0;
		first++;
	};
	while (first < droppable && tokens > limit) drop();
	// Cutting between a question and its answer would leave an answer to nothing.
	while (first > 0 && first < droppable && turns[first]?.role === 'assistant') drop();
	const kept = turns.slice(first);
	return {
		messages: system ? [system, ...kept] : kept,
		dropped: first,
		tokens,
		overflow: tokens > limit
	};
}

export interface PromptSource {
	/** '' for none. */
	systemPrompt: string;
	/** Stored messages, oldest first, ending with the user message to answer. */
	messages: readonly Message[];
	/** Whether the model accepts images. */
	vision?: boolean;
}

/** The request's messages for a conversation, fitted to the model's context window. */
export function buildPrompt(source: PromptSource, budget: ContextBudget): Prompt {
	const system = source.systemPrompt.trim()
		? ({ role: 'system', content: source.systemPrompt } as const)
		: null;
	return fitToContext(system, historyTurns(source.messages, { vision: source.vision }), budget);
}

export type ContextLevel = 'ok' | 'warn' | 'full';

export interface ContextUsage {
	/** Estimated tokens. */
	used: number;
	/** used / contextWindow, capped at 1. */
	fraction: number;
	/** 'warn' from 80%, 'full' at 100%. */
	level: ContextLevel;
}

export const WARN_FRACTION = 0.8;

/** How full the context window is, for the meter. */
export function contextUsage(
	messages: readonly ChatMessage[],
	contextWindow: number,
	estimate: TokenEstimator = estimateTokens
): ContextUsage {
	const used = countTokens(messages, estimate);
	const ratio = contextWindow > 0 ? used / contextWindow : 1;
	return {
		used,
		fraction: Math.min(1, ratio),
		level: ratio >= 1 ? 'full' : ratio >= WARN_FRACTION ? 'warn' : 'ok'
	};
}

/** A message that cannot be sent: even alone it does not fit the model's context window. */
export interface TooLong {
	/** Estimated tokens of the new message (with the system prompt, which is always sent). */
	tokens: number;
	/** Tokens the model can read in all. */
	contextWindow: number;
	/** Tokens kept free for the answer. */
	maxTokens: number;
}

/**
 * Whether a new message is refused before it is stored or sent: the system prompt and the message
 * alone exceed `contextWindow - maxTokens`, so dropping history cannot help. Null when it fits.
 */
export function tooLong(
	systemPrompt: string,
	message: { content: string; images?: number },
	budget: ContextBudget
): TooLong | null {
	const estimate = budget.estimate ?? estimateTokens;
	const system = systemPrompt.trim() ? estimate(systemPrompt) + MESSAGE_OVERHEAD_TOKENS : 0;
	const tokens =
		system +
		estimate(message.content) +
		(message.images ?? 0) * IMAGE_TOKENS +
		MESSAGE_OVERHEAD_TOKENS;
	if (tokens <= budget.contextWindow - budget.maxTokens) return null;
	return { tokens, contextWindow: budget.contextWindow, maxTokens: budget.maxTokens };
}

/**
 * The first of `models` (in the order given, e.g. smallest first) whose context window holds the
 * message and its answer; null when none does.
 */
export function modelThatFits<M extends { contextWindow: number }>(
	refused: TooLong,
	models: readonly M[]
): M | null {
	return models.find((m) => m.contextWindow - refused.maxTokens >= refused.tokens) ?? null;
}
