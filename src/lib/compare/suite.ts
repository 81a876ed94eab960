// Suite runs as pure state. A run is a grid of prompts x models; each finished answer is recorded
// (and stored) at once, so an interrupted run resumes with exactly the answers it lacks. Work goes
// group by group (see schedule.ts): a group of models that fit together is loaded once and answers
// every pending prompt, prompt by prompt, before the next group is loaded: the fewest switches.
import { planRound, type MemoryNeed } from './schedule';
import type { SuiteResult, SuiteRun } from './types';

export interface SuiteTask {
	promptIndex: number;
	modelId: string;
}

/** One step of work: load `group` if needed, then `modelIds` answer prompt `promptIndex` together. */
export interface SuiteBatch {
	/** The models loaded together (a resumed run may need only some of them for this prompt). */
	group: string[];
	modelIds: string[];
	promptIndex: number;
}

export function hasResult(run: SuiteRun, task: SuiteTask): boolean {
	return run.results.some((r) => r.promptIndex === task.promptIndex && r.modelId === task.modelId);
}

export function pendingTasks(run: SuiteRun): SuiteTask[] {
	const tasks: SuiteTask[] = [];
	run.prompts.forEach((_, promptIndex) => {
		for (const modelId of run.models)
			if (!hasResult(run, { promptIndex, modelId })) tasks.push({ promptIndex, modelId });
	});
	return tasks;
}

export function runProgress(run: SuiteRun): { done: number; total: number } {
	const total = run.prompts.length * run.models.length;
	return { done: total - pendingTasks(run).length, total };
}

/**
 * The remaining work in order. `needs` are the run's models with their estimates; `loaded` is what
 * the engine holds now (a loaded group goes first).
 */
export function suiteBatches(
	run: SuiteRun,
	needs: readonly MemoryNeed[],
	budgetMB: number | undefined,
	loaded: readonly string[] = []
): SuiteBatch[] {
	const pending = pendingTasks(run);
	const { groups } = planRound(needs, budgetMB, loaded);
	const batches: SuiteBatch[] = [];
	for (const group of groups) {
		run.prompts.forEach((_, promptIndex) => {
			const modelIds = group.filter((modelId) =>
				pending.some((t) => t.promptIndex === promptIndex && t.modelId === modelId)
			);
			if (modelIds.length > 0) batches.push({ group, modelIds, promptIndex });
		});
	}
	return batches;
}

/** The run with `result` recorded (replacing an earlier one for the same cell); done when full. */
export function withResult(run: SuiteRun, result: SuiteResult, now: number): SuiteRun {
	const results = [
		...run.results.filter(
			(r) => !(r.promptIndex === result.promptIndex && r.modelId === result.modelId)
		),
		result
	];
	const next: SuiteRun = { ...run, results, updatedAt: now };
	if (pendingTasks(next).length === 0) next.status = 'done';
	return next;
}

export function resultFor(run: SuiteRun, promptIndex: number, modelId: string) {
	return run.results.find((r) => r.promptIndex === promptIndex && r.modelId === modelId);
}

export interface ModelSummary {
	modelId: string;
	answers: number;
	failures: number;
	/** Means over answers that report the figure; null when none does. */
	meanTtftMs: number | null;
	meanPrefillTokensPerSec: number | null;
	meanDecodeTokensPerSec: number | null;
	completionTokens: number;
	/** Mean load time over the loads this model needed during the run. */
	meanLoadMs: number | null;
}

function mean(values: number[]): number | null {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

export function summarizeRun(run: SuiteRun): ModelSummary[] {
	return run.models.map((modelId) => {
		const mine = run.results.filter((r) => r.modelId === modelId);
		const stats = mine.flatMap((r) => (r.stats ? [r.stats] : []));
		const pick = (f: (s: (typeof stats)[number]) => number | null) =>
			mean(stats.flatMap((s) => (f(s) === null ? [] : [f(s) as number])));
		return {
			modelId,
			answers: stats.length,
			failures: mine.filter((r) => r.errorCode !== undefined).length,
			meanTtftMs: pick((s) => s.timeToFirstTokenMs),
			meanPrefillTokensPerSec: pick((s) => s.prefillTokensPerSec),
			meanDecodeTokensPerSec: pick((s) => s.decodeTokensPerSec),
			completionTokens: stats.reduce((sum, s) => sum + s.completionTokens, 0),
			meanLoadMs: mean(mine.flatMap((r) => (r.loadMs === null ? [] : [r.loadMs])))
		};
	});
}

/**
 * Prompts as typed in the suite editor: one per line; or, when a line holds only `---`, the blocks
 * between such lines (so a prompt can span lines). Blank prompts are dropped.
 */
export function parsePrompts(input: string): string[] {
	const lines = input.split(/\r?\n/);
	const blocks = lines.some((l) => l.trim() === '---') ? input.split(/^[ \t]*---[ \t]*$/m) : lines;
	return blocks.map((block) => block.trim()).filter(Boolean);
}

/** The editor text for a list of prompts (the inverse of parsePrompts). */
export function formatPrompts(prompts: readonly string[]): string {
	return prompts.some((p) => p.includes('\n')) ? prompts.join('\n---\n') : prompts.join('\n');
}
