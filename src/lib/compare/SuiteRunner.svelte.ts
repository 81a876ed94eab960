// Runs a prompt suite across models, unattended. Work follows suiteBatches (suite.ts): a group of
// models that fit together is loaded once and answers every prompt, prompt by prompt, before the
// next group. Every finished answer is stored at once, so after a reload or a closed tab the run is
// still there, marked unfinished, and `resume` asks only for the answers it lacks.
import { EngineError } from '$lib/engine/errors';
import { ReplaceQuestion } from '$lib/engine/ReplaceQuestion.svelte';
import type { Engine, ModelRecord } from '$lib/engine/types';
import { paneHistory } from './conversation';
import { CompareError, toCompareProblem, type CompareProblem } from './errors';
import type { CompareRepository } from './repository';
import { answer, ensureLoaded } from './runner';
import { needOf } from './schedule';
import { runProgress, suiteBatches, withResult } from './suite';
import { compareText } from './strings';
import { toGenerationSettings, type CompareSettings, type Suite, type SuiteRun } from './types';

export interface SuiteRunnerDeps {
	engine: Engine;
	repository: CompareRepository;
	find: (modelId: string) => ModelRecord | undefined;
	now?: () => number;
	newId?: () => string;
}

export class SuiteRunner {
	#deps: Required<SuiteRunnerDeps>;
	#run = $state.raw<SuiteRun | null>(null);
	#running = $state(false);
	#activity = $state('');
	/** Text streaming in now, by model. */
	#live = $state<Record<string, string>>({});
	/** The prompt being answered now. */
	#currentPrompt = $state<number | null>(null);
	#abort: AbortController | null = null;
	/** Asked before a batch's load takes a model another tab uses (shown on the page). */
	readonly question = new ReplaceQuestion();
	#error = $state.raw<CompareProblem | null>(null);

	constructor(deps: SuiteRunnerDeps) {
		this.#deps = { now: Date.now, newId: () => crypto.randomUUID(), ...deps };
	}

	get run() {
		return this.#run;
	}
	get running() {
		return this.#running;
	}
	get activity() {
		return this.#activity;
	}
	get live(): Readonly<Record<string, string>> {
		return this.#live;
	}
	get currentPrompt() {
		return this.#currentPrompt;
	}
	/** Why the last run stopped early: a model gone, the engine, or storage. */
	get error() {
		return this.#error;
	}
	get progress() {
		return this.#run ? runProgress(this.#run) : { done: 0, total: 0 };
	}

	/** Shows a stored run (to read its results or resume it). */
	show(run: SuiteRun | null) {
		if (!this.#running) this.#run = run;
	}

	async start(
		suite: Suite,
		models: readonly string[],
		settings: CompareSettings,
		budgetMB: number | undefined
	) {
		if (this.#running) return;
		const now = this.#deps.now();
		const run: SuiteRun = {
			id: this.#deps.newId(),
			suiteId: suite.id,
			suiteName: suite.name,
			prompts: [...suite.prompts],
			models: [...models],
			settings,
			budgetMB: budgetMB ?? null,
			status: 'running',
			createdAt: now,
			updatedAt: now,
			results: []
		};
		if (await this.#stored(run)) await this.#work(run);
	}

	/** Continues an unfinished or stopped run with the budget it was started with. */
	async resume(run: SuiteRun) {
		if (this.#running || run.status === 'done') return;
		const next = { ...run, status: 'running' as const, updatedAt: this.#deps.now() };
		if (await this.#stored(next)) await this.#work(next);
	}

	/** Saves the run before it starts; false (and `error`) if it cannot be. */
	async #stored(run: SuiteRun): Promise<boolean> {
		try {
			await this.#deps.repository.putRun(run);
			this.#error = null;
			return true;
		} catch (error) {
			this.#error = toCompareProblem(error);
			return false;
		}
	}

	stop() {
		this.#abort?.abort();
		this.question.answer(false);
	}

	async #work(initial: SuiteRun) {
		const { engine, repository, find } = this.#deps;
		const records = initial.models.map((id) => find(id));
		this.#run = initial;
		this.#error = null;
		if (records.some((r) => r === undefined)) {
			this.#error = new CompareError('model-missing', initial.models.join(', '));
			return;
		}
		const abort = new AbortController();
		this.#abort = abort;
		this.#running = true;
		let run = initial;
		const save = async (next: SuiteRun) => {
			run = next;
			this.#run = next;
			await repository.putRun(next);
		};
		try {
			const loaded = await engine.loaded().catch(() => [] as string[]);
			const needs = (records as ModelRecord[]).map(needOf);
			const batches = suiteBatches(run, needs, run.budgetMB ?? undefined, loaded);
			const generation = toGenerationSettings(run.settings);
			for (const batch of batches) {
				if (abort.signal.aborted) break;
				const group = batch.group.map((id) => find(id) as ModelRecord);
				const report = await ensureLoaded(
					engine,
					group,
					{
						onLoadStart: (ids) => (this.#activity = compareText.suites.activityLoading(ids)),
						confirm: (busy) =>
							this.question.ask(
								group.map((r) => r.model_id),
								busy
							)
					},
					abort.signal
				);
				this.#activity = compareText.suites.activityPrompt(
					batch.promptIndex + 1,
					run.prompts.length,
					batch.modelIds
				);
				const prompt = run.prompts[batch.promptIndex] ?? '';
				const history = paneHistory(run.settings.systemPrompt, [{ role: 'user', content: prompt }]);
				this.#live = Object.fromEntries(batch.modelIds.map((id) => [id, '']));
				this.#currentPrompt = batch.promptIndex;
				// Each answer is stored as soon as it is finished (one write at a time, each on the latest run).
				let writes = Promise.resolve();
				await Promise.all(
					batch.modelIds.map(async (modelId) => {
						let content = '';
						const result = await answer(
							engine,
							modelId,
							history,
							generation,
							{
								onDelta: (text) => {
									content += text;
									this.#live[modelId] = content;
								}
							},
							abort.signal
						);
						// Stopped answers are not kept: a resumed run asks again.
						if (abort.signal.aborted) return;
						const cell = {
							promptIndex: batch.promptIndex,
							modelId,
							content,
							stats: result.stats,
							loadMs: report.loadMs,
							...(result.ok ? {} : { errorCode: result.error.code })
						};
						writes = writes.then(() => save(withResult(run, cell, this.#deps.now())));
						await writes;
					})
				);
			}
			if (abort.signal.aborted && run.status !== 'done')
				await save({ ...run, status: 'stopped', updatedAt: this.#deps.now() });
		} catch (error) {
			// "Cancel" on the question before a load stops the run, as Stop does: no problem to show.
			const kept = error instanceof EngineError && error.code === 'aborted';
			if (!kept) this.#error = toCompareProblem(error);
			await save({ ...run, status: 'stopped', updatedAt: this.#deps.now() }).catch(() => {});
		} finally {
			this.#running = false;
			this.#activity = '';
			this.#live = {};
			this.#currentPrompt = null;
			this.#abort = null;
		}
	}
}
