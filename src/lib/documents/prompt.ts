// Passages into the prompt: as many of the best as fit the chat model's context window next to the
// conversation and the room kept for the answer, each with a numbered source marker the answer can
// cite ([1], [2]), named by file and page, section or line.
//
// The budget follows chat/prompt.ts's rules: the window less `maxTokens` (kept for the answer) less
// what is always sent (the system prompt and the latest question). Passages may take at most
// `share` of what is left (half by default), so the conversation keeps the other half; the chat's
// own fitting (fitToContext) then leaves out the oldest turns if the history needs less or more.
// Passages are taken best first; one that does not fit is skipped, and a shorter one after it may
// still be taken. Token counts are the app's estimate (text/tokens.ts).
import { estimateTokens, type TokenEstimator } from '$lib/text/tokens';
import type { PassageInfo } from './retrieval';

/** A retrieved passage with the name of its document, best first. */
export interface SourcePassage extends PassageInfo {
	documentName: string;
}

/** A passage as sent: its marker number (1 for [1]) and label. */
export interface Source extends SourcePassage {
	marker: number;
	/** "report.pdf, page 12", "notes.md › Setup › Install", "main.ts, line 40". */
	label: string;
}

export interface PassageBudget {
	/** The chat model's context window in tokens. */
	contextWindow: number;
	/** Tokens kept free for the answer (the request's max_tokens). */
	maxTokens: number;
	/** Tokens always sent: the system prompt and the latest question, with their overhead. */
	promptTokens: number;
	/** Share of the room left that passages may take (0..1); the rest is the history's. */
	share?: number;
	estimate?: TokenEstimator;
}

export interface FittedSources {
	/** The passages sent, numbered in order. */
	sources: Source[];
	/** The text to send with the question: the instruction and every source under its marker. */
	text: string;
	/** Estimated tokens of `text`. */
	tokens: number;
	/** Passages retrieved but left out for lack of room. */
	left: number;
}

export const DEFAULT_SHARE = 0.5;

/** The model-facing instruction (English: the models read English best). */
export const CITE_INSTRUCTION =
	'Sources from the user’s own documents follow, each under a number in square brackets; ' +
	'the user’s question comes after them. ' +
	'Answer from them where they are relevant, and cite each source you use by its number, like [1]. ' +
	'If they do not contain the answer, say so.';

export function sourceLabel(passage: SourcePassage): string {
	if (passage.page !== null) return `${passage.documentName}, page ${passage.page}`;
	if (passage.headings.length > 0) return [passage.documentName, ...passage.headings].join(' › ');
	if (passage.line !== null) return `${passage.documentName}, line ${passage.line}`;
	return passage.documentName;
}

function sourceBlock(source: Source): string {
	return `[${source.marker}] ${source.label}\n${source.text}`;
}

export function formatSources(sources: readonly Source[]): string {
	if (sources.length === 0) return '';
	return [CITE_INSTRUCTION, ...sources.map(sourceBlock)].join('\n\n');
}

export function fitPassages(
	ranked: readonly SourcePassage[],
	budget: PassageBudget
): FittedSources {
	const estimate = budget.estimate ?? estimateTokens;
	const share = Math.min(1, Math.max(0, budget.share ?? DEFAULT_SHARE));
	const room = budget.contextWindow - budget.maxTokens - budget.promptTokens;
	const limit = Math.floor(Math.max(0, room) * share) - estimate(CITE_INSTRUCTION) - 2;
	const sources: Source[] = [];
	let tokens = 0;
	for (const passage of ranked) {
		const source: Source = { ...passage, marker: sources.length + 1, label: sourceLabel(passage) };
		const cost = estimate(sourceBlock(source)) + 1;
		if (tokens + cost > limit) continue;
		sources.push(source);
		tokens += cost;
	}
	const text = formatSources(sources);
	return {
		sources,
		text,
		tokens: text ? estimate(text) : 0,
		left: ranked.length - sources.length
	};
}
