// Guards for comparison records read back from IndexedDB or from an imported file. Reading the
// database is lenient (a bad field takes its default, a record that cannot be used is skipped);
// importing is strict: the caller passes an `issues` list and refuses the file if anything was
// reported. Same pattern as storage/validate.ts, whose helpers are reused.
import {
	field,
	isErrorCode,
	isNonEmptyString as isNonEmpty,
	isRecord,
	isString,
	isStringArray as isStringList,
	readAll,
	readStats,
	report,
	type Issues
} from '$lib/storage/validate';
import {
	DEFAULT_COMPARE_SETTINGS,
	type CompareSettings,
	type PaneMessage,
	type SavedComparison,
	type SavedPane,
	type Suite,
	type SuiteResult,
	type SuiteRun,
	type SuiteRunStatus,
	type Vote,
	type VoteOutcome
} from './types';

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

function readTags(raw: unknown, path: string, issues: Issues): string[] {
	if (raw === undefined) return [];
	if (!isStringList(raw)) {
		report(issues, path, 'invalid');
		return [];
	}
	return [...new Set(raw.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

export function readCompareSettings(
	raw: unknown,
	path = 'settings',
	issues: Issues = null
): CompareSettings {
	const d = DEFAULT_COMPARE_SETTINGS;
	if (!isRecord(raw)) {
		report(issues, path, 'not an object');
		return { ...d };
	}
	const num =
		(min: number, max: number) =>
		(x: unknown): x is number =>
			typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
	const maxTokens = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;
	const seed = (x: unknown): x is number | null => x === null || Number.isInteger(x);
	return {
		systemPrompt: field(raw, 'systemPrompt', isString, d.systemPrompt, path, issues),
		temperature: field(raw, 'temperature', num(0, 2), d.temperature, path, issues),
		top_p: field(raw, 'top_p', num(0, 1), d.top_p, path, issues),
		max_tokens: field(raw, 'max_tokens', maxTokens, d.max_tokens, path, issues),
		seed: field(raw, 'seed', seed, d.seed, path, issues)
	};
}

function readOutcome(raw: unknown, models: string[], path: string, issues: Issues) {
	if (!isRecord(raw)) return null;
	if (raw.kind === 'tie' || raw.kind === 'both-bad') return { kind: raw.kind } as VoteOutcome;
	if (raw.kind === 'winner' && isString(raw.modelId) && models.includes(raw.modelId))
		return { kind: 'winner', modelId: raw.modelId } as VoteOutcome;
	report(issues, path, 'invalid');
	return null;
}

/** Null when the vote cannot count: no id, fewer than two distinct models, or no valid outcome. */
export function readVote(raw: unknown, path = 'vote', issues: Issues = null): Vote | null {
	if (!isRecord(raw) || !isNonEmpty(raw.id)) {
		report(issues, path, 'not a vote (no id)');
		return null;
	}
	const models = raw.models;
	if (
		!isStringList(models) ||
		models.length < 2 ||
		models.length > 4 ||
		!models.every(isNonEmpty) ||
		new Set(models).size !== models.length
	) {
		report(issues, `${path}.models`, 'needs 2 to 4 distinct model ids');
		return null;
	}
	const outcome = readOutcome(raw.outcome, models, `${path}.outcome`, issues);
	if (!outcome) return null;
	const vote: Vote = {
		id: raw.id,
		createdAt: field(raw, 'createdAt', isTime, 0, path, issues),
		models,
		outcome,
		blind: field(raw, 'blind', (x): x is boolean => typeof x === 'boolean', false, path, issues),
		prompt: field(raw, 'prompt', isString, '', path, issues),
		tags: readTags(raw.tags, `${path}.tags`, issues)
	};
	if (raw.comparisonId !== undefined) {
		if (isNonEmpty(raw.comparisonId)) vote.comparisonId = raw.comparisonId;
		else report(issues, `${path}.comparisonId`, 'invalid');
	}
	return vote;
}

export function readSuite(raw: unknown, path = 'suite', issues: Issues = null): Suite | null {
	if (!isRecord(raw) || !isNonEmpty(raw.id)) {
		report(issues, path, 'not a suite (no id)');
		return null;
	}
	const prompts = isStringList(raw.prompts) ? raw.prompts.filter((p) => p.trim() !== '') : [];
	if (prompts.length === 0) {
		report(issues, `${path}.prompts`, 'no prompts');
		return null;
	}
	const createdAt = field(raw, 'createdAt', isTime, 0, path, issues);
	const name = field(raw, 'name', isString, '', path, issues).trim();
	return {
		id: raw.id,
		name: name || 'Suite',
		prompts,
		tags: readTags(raw.tags, `${path}.tags`, issues),
		createdAt,
		updatedAt: field(raw, 'updatedAt', isTime, createdAt, path, issues)
	};
}

function readResult(raw: unknown, path: string, issues: Issues): SuiteResult | null {
	if (!isRecord(raw) || !Number.isInteger(raw.promptIndex) || !isNonEmpty(raw.modelId)) {
		report(issues, path, 'not a result');
		return null;
	}
	const stats = raw.stats === null ? null : (readStats(raw.stats, `${path}.stats`, issues) ?? null);
	const result: SuiteResult = {
		promptIndex: raw.promptIndex as number,
		modelId: raw.modelId,
		content: field(raw, 'content', isString, '', path, issues),
		stats,
		loadMs: field(
			raw,
			'loadMs',
			(x): x is number | null => x === null || isTime(x),
			null,
			path,
			issues
		)
	};
	if (raw.errorCode !== undefined) {
		if (isErrorCode(raw.errorCode)) result.errorCode = raw.errorCode;
		else report(issues, `${path}.errorCode`, 'invalid');
	}
	return result;
}

const RUN_STATUSES: readonly SuiteRunStatus[] = ['running', 'stopped', 'done'];

export function readSuiteRun(raw: unknown, path = 'run', issues: Issues = null): SuiteRun | null {
	if (!isRecord(raw) || !isNonEmpty(raw.id)) {
		report(issues, path, 'not a suite run (no id)');
		return null;
	}
	if (!isStringList(raw.prompts) || !isStringList(raw.models) || raw.models.length === 0) {
		report(issues, path, 'no prompts or models');
		return null;
	}
	const prompts = raw.prompts;
	const models = raw.models;
	const createdAt = field(raw, 'createdAt', isTime, 0, path, issues);
	const results = readAll(raw.results, readResult, `${path}.results`, issues).filter(
		(r) => r.promptIndex >= 0 && r.promptIndex < prompts.length && models.includes(r.modelId)
	);
	return {
		id: raw.id,
		suiteId: field(raw, 'suiteId', isString, '', path, issues),
		suiteName: field(raw, 'suiteName', isString, '', path, issues),
		prompts,
		models,
		settings: readCompareSettings(raw.settings, `${path}.settings`, issues),
		budgetMB: field(
			raw,
			'budgetMB',
			(x): x is number | null => x === null || isTime(x),
			null,
			path,
			issues
		),
		status: field(
			raw,
			'status',
			(x): x is SuiteRunStatus => RUN_STATUSES.includes(x as SuiteRunStatus),
			'stopped',
			path,
			issues
		),
		createdAt,
		updatedAt: field(raw, 'updatedAt', isTime, createdAt, path, issues),
		results
	};
}

function readPaneMessage(raw: unknown, path: string, issues: Issues): PaneMessage | null {
	if (!isRecord(raw) || (raw.role !== 'user' && raw.role !== 'assistant')) {
		report(issues, path, 'not a message');
		return null;
	}
	const message: PaneMessage = {
		role: raw.role,
		content: field(raw, 'content', isString, '', path, issues)
	};
	if (raw.stats !== undefined) {
		const stats = readStats(raw.stats, `${path}.stats`, issues);
		if (stats) message.stats = stats;
	}
	if (raw.loadMs === null || isTime(raw.loadMs)) message.loadMs = raw.loadMs;
	if (isErrorCode(raw.errorCode)) message.errorCode = raw.errorCode;
	return message;
}

function readPane(raw: unknown, path: string, issues: Issues): SavedPane | null {
	if (!isRecord(raw) || !isNonEmpty(raw.modelId)) {
		report(issues, path, 'not a pane');
		return null;
	}
	return {
		modelId: raw.modelId,
		messages: readAll(raw.messages, readPaneMessage, `${path}.messages`, issues)
	};
}

function isPermutation(x: unknown, n: number): x is number[] {
	return (
		Array.isArray(x) && x.length === n && [...x].sort((a, b) => a - b).every((v, i) => v === i)
	);
}

export function readSavedComparison(
	raw: unknown,
	path = 'comparison',
	issues: Issues = null
): SavedComparison | null {
	if (!isRecord(raw) || !isNonEmpty(raw.id)) {
		report(issues, path, 'not a comparison (no id)');
		return null;
	}
	const panes = readAll(raw.panes, readPane, `${path}.panes`, issues);
	if (panes.length < 2) {
		report(issues, `${path}.panes`, 'fewer than two panes');
		return null;
	}
	const createdAt = field(raw, 'createdAt', isTime, 0, path, issues);
	const identity = panes.map((_, i) => i);
	const comparison: SavedComparison = {
		id: raw.id,
		title: field(raw, 'title', isString, '', path, issues).trim() || 'Comparison',
		createdAt,
		updatedAt: field(raw, 'updatedAt', isTime, createdAt, path, issues),
		settings: readCompareSettings(raw.settings, `${path}.settings`, issues),
		panes,
		order: field(
			raw,
			'order',
			(x): x is number[] => isPermutation(x, panes.length),
			identity,
			path,
			issues
		),
		blind: raw.blind === true,
		// A blind comparison whose flag is unreadable stays hidden: revealing is the user's choice.
		revealed: raw.revealed === true,
		tags: readTags(raw.tags, `${path}.tags`, issues)
	};
	if (isNonEmpty(raw.voteId)) comparison.voteId = raw.voteId;
	return comparison;
}
