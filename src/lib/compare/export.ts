// Exports, as pure functions: a suite run as JSON (the stored run, which readSuiteRun validates), as
// CSV (one row per answer, made safe to open in a spreadsheet by $lib/csv) and as a Markdown
// "benchmark card" that records what the numbers depend on: the device, the browser, the WebLLM
// version, the models and the settings.
// Votes export and import as JSON; an import is all or nothing.
import { toCsv } from '$lib/csv';
import type { AdapterInfo, GpuReport } from '$lib/engine/gpu';
import { summarizeRun, resultFor } from './suite';
import type { SuiteRun, Vote } from './types';
import { readVote } from './validate';

/** The facts about this device that a benchmark depends on. */
export interface DeviceInfo {
	adapter: AdapterInfo | null;
	isFallback: boolean | null;
	features: string[];
	limits: Record<string, number>;
	userAgent: string;
	webllmVersion: string;
	appVersion: string;
	/** The memory budget the schedule used, MB; null if unknown. */
	memoryBudgetMB: number | null;
}

export interface DeviceContext {
	userAgent: string;
	webllmVersion: string;
	appVersion: string;
	memoryBudgetMB: number | null;
}

export function deviceInfo(report: GpuReport | null, ctx: DeviceContext): DeviceInfo {
	const ok = report?.status === 'ok' ? report : null;
	return {
		adapter: ok ? { ...ok.info } : null,
		isFallback: ok ? ok.isFallback : null,
		features: ok ? [...ok.features] : [],
		limits: ok ? { ...ok.limits } : {},
		...ctx
	};
}

// CSV ------------------------------------------------------------------------------------------

export const CSV_HEADER = [
	'prompt_index',
	'prompt',
	'model',
	'answer',
	'finish_reason',
	'prompt_tokens',
	'completion_tokens',
	'ttft_ms',
	'prefill_tok_s',
	'decode_tok_s',
	'total_ms',
	'load_ms',
	'error'
] as const;

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

/** One row per answer, prompts in order, models in the run's order. */
export function runToCsv(run: SuiteRun): string {
	const rows: string[][] = [[...CSV_HEADER]];
	run.prompts.forEach((prompt, promptIndex) => {
		for (const modelId of run.models) {
			const r = resultFor(run, promptIndex, modelId);
			if (!r) continue;
			const s = r.stats;
			rows.push([
				String(promptIndex + 1),
				prompt,
				modelId,
				r.content,
				s?.finishReason ?? '',
				num(s?.promptTokens),
				num(s?.completionTokens),
				num(s?.timeToFirstTokenMs),
				num(s?.prefillTokensPerSec),
				num(s?.decodeTokensPerSec),
				num(s?.totalMs),
				num(r.loadMs),
				r.errorCode ?? ''
			]);
		}
	});
	return toCsv(rows);
}

// JSON -----------------------------------------------------------------------------------------

export const RUN_FORMAT = 'lantern-suite-run';
export const VOTES_FORMAT = 'lantern-votes';

export interface RunExport {
	format: typeof RUN_FORMAT;
	version: 1;
	exportedAt: string;
	device: DeviceInfo;
	run: SuiteRun;
}

/** `now`: milliseconds since the epoch, for `exportedAt`. */
export function runToJson(run: SuiteRun, device: DeviceInfo, now: number): string {
	const data: RunExport = {
		format: RUN_FORMAT,
		version: 1,
		exportedAt: new Date(now).toISOString(),
		device,
		run
	};
	return JSON.stringify(data, null, 2);
}

export class ImportError extends Error {
	readonly issues: readonly string[];
	constructor(message: string, issues: readonly string[] = []) {
		super(issues.length ? `${message}: ${issues.slice(0, 5).join('; ')}` : message);
		this.name = 'ImportError';
		this.issues = issues;
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new ImportError('not JSON');
	}
}

export function votesToJson(votes: readonly Vote[], now: number): string {
	return JSON.stringify(
		{ format: VOTES_FORMAT, version: 1, exportedAt: new Date(now).toISOString(), votes },
		null,
		2
	);
}

/**
 * Validates a votes file: every vote must be complete and valid, and ids distinct, or nothing is
 * imported (a vote half-read would skew the ratings silently).
 */
export function parseVotesJson(text: string): Vote[] {
	const raw = parseJson(text);
	if (typeof raw !== 'object' || raw === null || !('format' in raw) || raw.format !== VOTES_FORMAT)
		throw new ImportError('not a Lantern votes file');
	const version = (raw as { version?: unknown }).version;
	if (version !== 1) throw new ImportError(`unsupported version ${String(version)}`);
	const list = (raw as { votes?: unknown }).votes;
	if (!Array.isArray(list)) throw new ImportError('invalid votes file', ['votes: not a list']);
	const issues: string[] = [];
	const votes: Vote[] = [];
	const seen = new Set<string>();
	list.forEach((item, i) => {
		const vote = readVote(item, `votes[${i}]`, issues);
		if (!vote) return;
		if (seen.has(vote.id)) issues.push(`votes[${i}].id: duplicate ${vote.id}`);
		seen.add(vote.id);
		votes.push(vote);
	});
	if (issues.length) throw new ImportError('invalid votes file', issues);
	return votes;
}

// Markdown benchmark card ------------------------------------------------------------------------

/** A table cell: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();
}

function table(header: string[], rows: string[][]): string[] {
	return [
		`| ${header.map(mdCell).join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)
	];
}

const fixed = (x: number | null, digits = 1) => (x === null ? '–' : x.toFixed(digits));

export interface CardModel {
	modelId: string;
	/** WebLLM's vram_required_MB. */
	vramMB: number | null;
	/**
	 * For a model on one of the user's servers, the server's own name for it (never its address's
	 * key or anything else secret); absent for an in-browser model.
	 */
	serverModel?: string;
}

export function benchmarkCard(
	run: SuiteRun,
	device: DeviceInfo,
	models: readonly CardModel[],
	now: number
): string {
	const a = device.adapter;
	const s = run.settings;
	const lines = [
		`# Benchmark card: ${mdCell(run.suiteName || 'Suite')}`,
		'',
		`Run ${run.id}, ${new Date(run.createdAt).toISOString()}; card written ${new Date(now).toISOString()}.`,
		`${run.prompts.length} prompts x ${run.models.length} models, status: ${run.status}.`,
		'',
		'## Device',
		'',
		...table(
			['Property', 'Value'],
			[
				['Adapter vendor', a?.vendor || '?'],
				['Adapter architecture', a?.architecture || '?'],
				['Adapter device', a?.device || '?'],
				['Adapter description', a?.description || '?'],
				['Software fallback', device.isFallback === null ? '?' : device.isFallback ? 'yes' : 'no'],
				['Features', device.features.join(', ') || '(none)'],
				...Object.entries(device.limits).map(([k, v]) => [`Limit ${k}`, String(v)]),
				['Browser', device.userAgent],
				['WebLLM', device.webllmVersion],
				['Lantern', device.appVersion],
				[
					'GPU memory budget',
					device.memoryBudgetMB === null
						? 'unknown (one model at a time)'
						: `${device.memoryBudgetMB} MB`
				]
			]
		),
		'',
		'## Models',
		'',
		...table(
			['Model', 'Runs on', 'VRAM (WebLLM, MB)'],
			models.map((m) =>
				m.serverModel === undefined
					? [
							m.modelId,
							'this browser (WebGPU)',
							m.vramMB === null ? '?' : String(Math.round(m.vramMB))
						]
					: [m.modelId, `the user’s server, as “${m.serverModel}”`, 'none here']
			)
		),
		'',
		'## Settings',
		'',
		...table(
			['Setting', 'Value'],
			[
				['System prompt', s.systemPrompt || '(none)'],
				['temperature', String(s.temperature)],
				['top_p', String(s.top_p)],
				['max_tokens', String(s.max_tokens)],
				['seed', s.seed === null ? 'random' : String(s.seed)]
			]
		),
		'',
		'## Results',
		'',
		...table(
			[
				'Model',
				'Answers',
				'Failed',
				'TTFT ms (mean)',
				'Prefill tok/s (mean)',
				'Decode tok/s (mean)',
				'Tokens out',
				'Load ms (mean)'
			],
			summarizeRun(run).map((m) => [
				m.modelId,
				String(m.answers),
				String(m.failures),
				fixed(m.meanTtftMs, 0),
				fixed(m.meanPrefillTokensPerSec),
				fixed(m.meanDecodeTokensPerSec),
				String(m.completionTokens),
				fixed(m.meanLoadMs, 0)
			])
		),
		'',
		'## Prompts',
		'',
		...run.prompts.map((p, i) => `${i + 1}. ${mdCell(p)}`),
		''
	];
	return lines.join('\n');
}
