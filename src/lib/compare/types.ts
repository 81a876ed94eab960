// The comparison domain: shared settings, votes, prompt suites and their runs, saved comparisons.
// Everything here is plain data that IndexedDB stores and the exports write; validate.ts checks it
// whenever it is read back.
import type { EngineErrorCode } from '$lib/engine/errors';
import type { GenerationSettings, UsageStats } from '$lib/engine/types';

/** One set of settings for every pane, so that the comparison is fair. */
export interface CompareSettings {
	/** Sent first to every model; '' means none. */
	systemPrompt: string;
	/** 0..2 */
	temperature: number;
	/** 0..1 */
	top_p: number;
	/** A positive integer. */
	max_tokens: number;
	/** An integer, or null for a random seed per answer. */
	seed: number | null;
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = {
	systemPrompt: '',
	temperature: 0.7,
	top_p: 0.95,
	max_tokens: 512,
	seed: 1
};

/** What the engine is sent for these settings. */
export function toGenerationSettings(settings: CompareSettings): GenerationSettings {
	return {
		temperature: settings.temperature,
		top_p: settings.top_p,
		max_tokens: settings.max_tokens,
		...(settings.seed === null ? {} : { seed: settings.seed })
	};
}

/**
 * - `winner`: one pane was best (`modelId` is one of the vote's models). With two panes, "A better".
 * - `tie`: all were about as good.
 * - `both-bad`: none was good (with more panes: all bad). Rated like a tie, counted apart.
 */
export type VoteOutcome =
	{ kind: 'winner'; modelId: string } | { kind: 'tie' } | { kind: 'both-bad' };

export interface Vote {
	/** Random UUID. */
	id: string;
	/** Milliseconds since the epoch. */
	createdAt: number;
	/** The models compared, 2 to 4 distinct ids, in the order their panes were shown. */
	models: string[];
	outcome: VoteOutcome;
	/** Whether the names were hidden when the vote was cast. */
	blind: boolean;
	/** The first prompt of the comparison (for the user's own reference). */
	prompt: string;
	/** Lower-case, trimmed, distinct; used to filter the leaderboard. */
	tags: string[];
	/** The saved comparison the vote came from, if any. */
	comparisonId?: string;
}

/** One message of a pane's own conversation. */
export interface PaneMessage {
	role: 'user' | 'assistant';
	content: string;
	/** Assistant messages that finished (or were stopped). */
	stats?: UsageStats;
	/** Assistant messages: how long loading the model took before this answer; null if it was loaded. */
	loadMs?: number | null;
	/** Assistant messages that failed. */
	errorCode?: EngineErrorCode;
}

export interface SavedPane {
	modelId: string;
	messages: PaneMessage[];
}

export interface SavedComparison {
	/** Random UUID. */
	id: string;
	/** Never empty: the first prompt, shortened. */
	title: string;
	createdAt: number;
	updatedAt: number;
	settings: CompareSettings;
	/** The panes in the order they were picked; `order` says how they were shown. */
	panes: SavedPane[];
	/** A permutation of the pane indexes: display position -> pane index. */
	order: number[];
	blind: boolean;
	/** Blind comparisons: whether the names have been shown (after the vote). */
	revealed: boolean;
	/** The vote cast on it, if any. */
	voteId?: string;
	tags: string[];
}

export interface Suite {
	/** Random UUID. */
	id: string;
	/** Never empty. */
	name: string;
	/** At least one, none empty. */
	prompts: string[];
	tags: string[];
	createdAt: number;
	updatedAt: number;
}

/** One answer of a suite run. */
export interface SuiteResult {
	promptIndex: number;
	modelId: string;
	content: string;
	/** Null when the answer failed before it finished. */
	stats: UsageStats | null;
	/** Load time before this answer, if the model had to be loaded for it. */
	loadMs: number | null;
	errorCode?: EngineErrorCode;
}

/**
 * - `running`: being worked on, or interrupted (a reload, a closed tab): resumable.
 * - `stopped`: the user stopped it: resumable.
 * - `done`: every prompt has an answer from every model.
 */
export type SuiteRunStatus = 'running' | 'stopped' | 'done';

export interface SuiteRun {
	/** Random UUID. */
	id: string;
	suiteId: string;
	suiteName: string;
	/** A copy of the suite's prompts when the run started (the suite may be edited later). */
	prompts: string[];
	models: string[];
	settings: CompareSettings;
	/** The memory budget the schedule used, in MB (null: unknown, one model at a time). */
	budgetMB: number | null;
	status: SuiteRunStatus;
	createdAt: number;
	updatedAt: number;
	/** At most one per (promptIndex, modelId). */
	results: SuiteResult[];
}
