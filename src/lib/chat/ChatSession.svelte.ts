// The model on the GPU: load with progress, cancel, and what is loaded now. One per app (it lives
// in the ChatStore service), so a loaded model stays loaded while the user moves between pages and
// conversations. Generation itself belongs to the open conversation (Conversation.svelte.ts).
//
// What is loaded is not kept here but read from the engine's own state (`EngineTruth`, the
// EngineState service): the engine is shared by every tab and by Compare, so a model another tab
// loaded is ready here at once, and one that Compare swapped out is gone from here at once. Only a
// server model (which is on no GPU, so not in that state) is remembered here.
//
// A load that would take a model from another tab (its chat's, or a Compare run's) asks first
// (`question`, engine/askFirst.ts); "Cancel" leaves everything as it was.
import { loadAskingFirst } from '$lib/engine/askFirst';
import { EngineError } from '$lib/engine/errors';
import { ReplaceQuestion } from '$lib/engine/ReplaceQuestion.svelte';
import type { Engine, LoadProgress, ModelRecord } from '$lib/engine/types';

export type SessionStatus = 'idle' | 'loading' | 'ready';

/** What was last put on the GPU: kept after a failure, to offer something smaller. */
export interface LoadAttempt {
	model: ModelRecord;
	/** The window it was given in place of its own; null = its own. */
	contextWindowSize: number | null;
}

/** What the engine holds now, whoever loaded it (EngineState). */
export interface EngineTruth {
	readonly chatModels: readonly string[];
	has(modelId: string): boolean;
	contextWindowOf(modelId: string): number | null;
}

export class ChatSession {
	#engine: Engine;
	#truth: EngineTruth | null;
	/** Whether the last load went to the local engine (so the truth says whether it is loaded). */
	#local = $state(true);
	#status = $state<SessionStatus>('idle');
	#progress = $state.raw<LoadProgress | null>(null);
	#error = $state.raw<EngineError | null>(null);
	#loadedModel = $state<string | null>(null);
	#contextWindowSize = $state<number | null>(null);
	#lastLoad = $state.raw<LoadAttempt | null>(null);
	#loadAbort: AbortController | null = null;
	/** Asked before a load takes a model another tab uses. */
	readonly question = new ReplaceQuestion();

	constructor(engine: Engine, truth: EngineTruth | null = null) {
		this.#engine = engine;
		this.#truth = truth;
		// The engine ended by itself (even while idle): say so now, not at the next question.
		engine.onLost((error) => {
			if (this.status !== 'ready') return;
			this.lost();
			this.#error = error;
		});
	}

	get status(): SessionStatus {
		if (this.#status === 'loading' || !this.#truth) return this.#status;
		return this.loadedModel === null ? 'idle' : 'ready';
	}
	get progress() {
		return this.#progress;
	}
	/** The last load's failure; null once a load starts again. */
	get error() {
		return this.#error;
	}
	/**
	 * The chat model to answer with: the one this tab loaded if it is still on the GPU, else the
	 * first chat model another tab (or Compare) put there, so a new tab needs no load of its own.
	 */
	get loadedModel(): string | null {
		const truth = this.#truth;
		if (!truth || this.#status === 'loading') return this.#loadedModel;
		const own = this.#loadedModel;
		if (own && !this.#local) return own;
		if (own) return truth.has(own) ? own : null;
		return truth.chatModels[0] ?? null;
	}
	/** The context window the loaded model was given in place of its own; null = its own. */
	get contextWindowSize() {
		const model = this.loadedModel;
		if (!this.#truth || !this.#local || model === null) return this.#contextWindowSize;
		return this.#truth.contextWindowOf(model);
	}
	/** The last model loaded or tried, and with which window, even after it failed or was lost. */
	get lastLoad() {
		return this.#lastLoad;
	}

	/** `contextWindowSize`: a smaller window than the model's own, after the GPU ran out of memory. */
	async load(model: ModelRecord, contextWindowSize?: number): Promise<boolean> {
		this.#loadAbort?.abort();
		const abort = new AbortController();
		this.#loadAbort = abort;
		this.#status = 'loading';
		this.#error = null;
		this.#progress = { phase: 'other', progress: 0, text: '', elapsedMs: 0 };
		this.#loadedModel = null;
		this.#contextWindowSize = null;
		this.#lastLoad = { model, contextWindowSize: contextWindowSize ?? null };
		try {
			await loadAskingFirst(
				this.#engine,
				[model],
				{
					signal: abort.signal,
					onProgress: (p) => (this.#progress = p),
					...(contextWindowSize === undefined ? {} : { contextWindowSize })
				},
				(busy) => this.question.ask([model.model_id], busy)
			);
			this.#loadedModel = model.model_id;
			this.#contextWindowSize = contextWindowSize ?? null;
			// A server model is on no GPU: only the local engine's models are in its state.
			this.#local = this.#truth?.has(model.model_id) ?? true;
			this.#status = 'ready';
			return true;
		} catch (error) {
			if (this.#loadAbort !== abort) return false;
			this.#status = 'idle';
			const e = error instanceof EngineError ? error : new EngineError('unknown', String(error));
			if (e.code !== 'aborted') this.#error = e;
			return false;
		} finally {
			if (this.#loadAbort === abort) {
				this.#loadAbort = null;
				this.#progress = null;
			}
		}
	}

	cancelLoad() {
		this.#loadAbort?.abort();
		this.question.answer(false);
	}

	/** A lost GPU device or a crashed worker took the model with it: it must be loaded again. */
	lost() {
		this.#loadedModel = null;
		this.#contextWindowSize = null;
		this.#status = 'idle';
	}
}
