// Guards for everything read back from IndexedDB or a backup file. One set of rules serves two
// uses: reading the database is lenient (a bad field takes its default, a record without an id is
// skipped, nothing crashes), while importing a backup is strict (any issue refuses the whole file).
// Each `read*` function therefore returns its best value and reports what it had to repair.
import type { EngineErrorCode } from '$lib/engine/errors';
import type {
	ChatMessage,
	ContentPart,
	FinishReason,
	GenerationSettings,
	UsageStats
} from '$lib/engine/types';
import {
	DEFAULT_TITLE,
	type AnswerSources,
	type Conversation,
	type Message,
	type MessageRole,
	type MessageStatus,
	type Preset,
	type SettingEntry,
	type SourceRef,
	type WordsOnlyReason
} from './types';

/** Collects what was wrong, as `path: problem` lines; pass `null` to ignore. */
export type Issues = string[] | null;

export function isRecord(x: unknown): x is Record<string, unknown> {
	return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isString(x: unknown): x is string {
	return typeof x === 'string';
}

export function isFiniteNumber(x: unknown): x is number {
	return typeof x === 'number' && Number.isFinite(x);
}

function isNonNegative(x: unknown): x is number {
	return isFiniteNumber(x) && x >= 0;
}

function isRate(x: unknown): x is number | null {
	return x === null || isNonNegative(x);
}

function oneOf<T extends string>(values: readonly T[]) {
	return (x: unknown): x is T => typeof x === 'string' && (values as readonly string[]).includes(x);
}

const ROLES = ['user', 'assistant', 'system'] as const satisfies readonly MessageRole[];
const STATUSES = [
	'complete',
	'streaming',
	'interrupted',
	'error'
] as const satisfies readonly MessageStatus[];
const FINISH_REASONS = ['stop', 'length', 'aborted'] as const satisfies readonly FinishReason[];
// A Record, so that the compiler insists on every code: one missing here would be dropped on read.
const ERROR_CODES = Object.keys({
	'no-webgpu': true,
	'no-adapter': true,
	'shader-f16-missing': true,
	'device-lost': true,
	network: true,
	'storage-full': true,
	'model-library': true,
	'context-window-exceeded': true,
	'model-not-found': true,
	aborted: true,
	'worker-crashed': true,
	'host-closed': true,
	busy: true,
	'server-lost': true,
	'server-error': true,
	unknown: true
} satisfies Record<EngineErrorCode, true>) as EngineErrorCode[];

export const isRole = oneOf(ROLES);
export const isStatus = oneOf(STATUSES);
const isFinishReason = oneOf(FINISH_REASONS);
export const isErrorCode = oneOf(ERROR_CODES);

export function report(issues: Issues, path: string, problem: string) {
	issues?.push(`${path}: ${problem}`);
}

/** `raw[key]` if it passes `guard`, else `fallback` (reporting the problem). */
export function field<T>(
	raw: Record<string, unknown>,
	key: string,
	guard: (x: unknown) => x is T,
	fallback: T,
	path: string,
	issues: Issues
): T {
	const value = raw[key];
	if (guard(value)) return value;
	report(issues, `${path}.${key}`, value === undefined ? 'missing' : 'invalid');
	return fallback;
}

/** Like `field`, for optional fields: absent is fine, invalid is reported and dropped. */
function optional<T>(
	raw: Record<string, unknown>,
	key: string,
	guard: (x: unknown) => x is T,
	path: string,
	issues: Issues
): T | undefined {
	const value = raw[key];
	if (value === undefined) return undefined;
	if (guard(value)) return value;
	report(issues, `${path}.${key}`, 'invalid');
	return undefined;
}

const inRange = (min: number, max: number) => (x: unknown) =>
	isFiniteNumber(x) && x >= min && x <= max;
const isPositiveInt = (x: unknown) => Number.isInteger(x) && (x as number) > 0;

/** The ranges OpenAI's API (and WebLLM after it) accept. */
const SETTINGS_RULES: { [K in keyof GenerationSettings]-?: (x: unknown) => boolean } = {
	temperature: inRange(0, 2),
	top_p: inRange(0, 1),
	max_tokens: isPositiveInt,
	presence_penalty: inRange(-2, 2),
	frequency_penalty: inRange(-2, 2),
	seed: Number.isInteger,
	enable_thinking: (x) => typeof x === 'boolean'
};

/** Keeps the valid known fields; unknown fields are dropped silently (they may be from a newer version). */
export function readSettings(raw: unknown, path = 'settings', issues: Issues = null) {
	const settings: GenerationSettings = {};
	if (raw === undefined) return settings;
	if (!isRecord(raw)) {
		report(issues, path, 'not an object');
		return settings;
	}
	for (const key of Object.keys(SETTINGS_RULES) as (keyof GenerationSettings)[]) {
		const value = raw[key];
		if (value === undefined) continue;
		if (SETTINGS_RULES[key](value)) Object.assign(settings, { [key]: value });
		else report(issues, `${path}.${key}`, 'out of range');
	}
	return settings;
}

export function readStats(raw: unknown, path = 'stats', issues: Issues = null) {
	if (!isRecord(raw)) {
		report(issues, path, 'not an object');
		return undefined;
	}
	const {
		promptTokens,
		completionTokens,
		timeToFirstTokenMs,
		prefillTokensPerSec,
		decodeTokensPerSec,
		totalMs,
		finishReason
	} = raw;
	if (
		!isNonNegative(promptTokens) ||
		!isNonNegative(completionTokens) ||
		!isRate(timeToFirstTokenMs) ||
		!isRate(prefillTokensPerSec) ||
		!isRate(decodeTokensPerSec) ||
		!isNonNegative(totalMs) ||
		!isFinishReason(finishReason)
	) {
		report(issues, path, 'invalid');
		return undefined;
	}
	const stats: UsageStats = {
		promptTokens,
		completionTokens,
		timeToFirstTokenMs,
		prefillTokensPerSec,
		decodeTokensPerSec,
		totalMs,
		finishReason
	};
	return stats;
}

export function isNonEmptyString(x: unknown): x is string {
	return typeof x === 'string' && x.length > 0;
}

function isStringOrNull(x: unknown): x is string | null {
	return x === null || typeof x === 'string';
}

export function isStringArray(x: unknown): x is string[] {
	return Array.isArray(x) && x.every(isString);
}

/** Null when the record has no id: without one it cannot be shown, edited or deleted. */
export function readConversation(
	raw: unknown,
	path = 'conversation',
	issues: Issues = null
): Conversation | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.id)) {
		report(issues, path, 'not a conversation (no id)');
		return null;
	}
	const createdAt = field(raw, 'createdAt', isNonNegative, 0, path, issues);
	const title = field(raw, 'title', isString, DEFAULT_TITLE, path, issues).trim();
	return {
		id: raw.id,
		title: title || DEFAULT_TITLE,
		createdAt,
		updatedAt: field(raw, 'updatedAt', isNonNegative, createdAt, path, issues),
		modelId: field(raw, 'modelId', isStringOrNull, null, path, issues),
		systemPrompt: field(raw, 'systemPrompt', isString, '', path, issues),
		settings: readSettings(raw.settings, `${path}.settings`, issues)
	};
}

/** Null when the record has no id or no conversation: it could never be shown. */
export function readMessage(raw: unknown, path = 'message', issues: Issues = null): Message | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.id) || !isNonEmptyString(raw.conversationId)) {
		report(issues, path, 'not a message (no id or conversationId)');
		return null;
	}
	const message: Message = {
		id: raw.id,
		conversationId: raw.conversationId,
		role: field(raw, 'role', isRole, 'user', path, issues),
		content: field(raw, 'content', isString, '', path, issues),
		createdAt: field(raw, 'createdAt', isNonNegative, 0, path, issues),
		status: field(raw, 'status', isStatus, 'complete', path, issues)
	};
	const modelId = optional(raw, 'modelId', isString, path, issues);
	if (modelId !== undefined) message.modelId = modelId;
	if (raw.stats !== undefined) {
		const stats = readStats(raw.stats, `${path}.stats`, issues);
		if (stats) message.stats = stats;
	}
	const reasoning = optional(raw, 'reasoning', isString, path, issues);
	if (reasoning !== undefined) message.reasoning = reasoning;
	const images = optional(raw, 'images', isStringArray, path, issues);
	if (images !== undefined) message.images = images;
	const errorCode = optional(raw, 'errorCode', isErrorCode, path, issues);
	if (errorCode !== undefined) message.errorCode = errorCode;
	if (raw.sources !== undefined) {
		const sources = readSources(raw.sources, `${path}.sources`, issues);
		if (sources) message.sources = sources;
	}
	return message;
}

const WORDS_ONLY = [
	'no-model',
	'offline',
	'no-room',
	'failed'
] as const satisfies readonly WordsOnlyReason[];
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isPage = (x: unknown): x is number | null =>
	x === null || (Number.isInteger(x) && (x as number) > 0);

function readSourceRef(raw: unknown, path: string, issues: Issues): SourceRef | null {
	if (!isRecord(raw) || !isString(raw.text) || !isCount(raw.marker)) {
		report(issues, path, 'not a source');
		return null;
	}
	return {
		marker: raw.marker,
		label: field(raw, 'label', isString, '', path, issues),
		documentId: field(raw, 'documentId', isString, '', path, issues),
		documentName: field(raw, 'documentName', isString, '', path, issues),
		passageId: field(raw, 'passageId', isString, '', path, issues),
		text: raw.text,
		page: field(raw, 'page', isPage, null, path, issues)
	};
}

function isContentPart(x: unknown): x is ContentPart {
	if (!isRecord(x)) return false;
	if (x.type === 'text') return isString(x.text);
	return x.type === 'image_url' && isRecord(x.image_url) && isString(x.image_url.url);
}

function readRequestMessage(raw: unknown, path: string, issues: Issues): ChatMessage | null {
	if (!isRecord(raw)) {
		report(issues, path, 'not a message');
		return null;
	}
	const { role, content } = raw;
	if ((role === 'system' || role === 'assistant') && isString(content)) return { role, content };
	if (
		role === 'user' &&
		(isString(content) || (Array.isArray(content) && content.every(isContentPart)))
	)
		return { role, content };
	report(issues, path, 'invalid');
	return null;
}

/** An answer's sources; null (reported) when it is not one. */
export function readSources(
	raw: unknown,
	path = 'sources',
	issues: Issues = null
): AnswerSources | null {
	if (!isRecord(raw)) {
		report(issues, path, 'not an object');
		return null;
	}
	const sources: AnswerSources = {
		passages: readAll(raw.passages, readSourceRef, `${path}.passages`, issues),
		indexing: field(raw, 'indexing', isStringArray, [], path, issues),
		request: readAll(raw.request, readRequestMessage, `${path}.request`, issues)
	};
	const wordsOnly = optional(raw, 'wordsOnly', oneOf(WORDS_ONLY), path, issues);
	if (wordsOnly !== undefined) sources.wordsOnly = wordsOnly;
	if (raw.failed === true) sources.failed = true;
	else if (raw.failed !== undefined) report(issues, `${path}.failed`, 'invalid');
	return sources;
}

export function readPreset(raw: unknown, path = 'preset', issues: Issues = null): Preset | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.id)) {
		report(issues, path, 'not a preset (no id)');
		return null;
	}
	const createdAt = field(raw, 'createdAt', isNonNegative, 0, path, issues);
	const name = field(raw, 'name', isString, '', path, issues).trim();
	if (!name) report(issues, `${path}.name`, 'empty');
	return {
		id: raw.id,
		name: name || 'Preset',
		prompt: field(raw, 'prompt', isString, '', path, issues),
		createdAt,
		updatedAt: field(raw, 'updatedAt', isNonNegative, createdAt, path, issues)
	};
}

export function readSettingEntry(
	raw: unknown,
	path = 'setting',
	issues: Issues = null
): SettingEntry | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.key)) {
		report(issues, path, 'not a setting (no key)');
		return null;
	}
	// Any value is valid here (JSON drops an undefined one); its reader checks its shape.
	return { key: raw.key, value: raw.value };
}

/** Reads every element of a list, dropping the unreadable ones. */
export function readAll<T>(
	raw: unknown,
	read: (x: unknown, path: string, issues: Issues) => T | null,
	path: string,
	issues: Issues = null
): T[] {
	if (!Array.isArray(raw)) {
		report(issues, path, 'not a list');
		return [];
	}
	const out: T[] = [];
	raw.forEach((x, i) => {
		const value = read(x, `${path}[${i}]`, issues);
		if (value !== null) out.push(value);
	});
	return out;
}
