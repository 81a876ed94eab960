// The model on the GPU: load with progress, cancel, and what is loaded now. One per app (it lives
// in the ChatStore service), so a loaded model stays loaded while the user moves between pages and
// conversations. Generation itself belongs to the open conversation (Conversation.svelte.ts).
import { EngineError } from '$lib/engine/errors';
import type { Engine, LoadProgress, ModelRecord } from '$lib/engine/types';

export type SessionStatus = 'idle' | 'loading' | 'ready';

/** What was last put on the GPU: kept after a failure, to offer something smaller. */
export interface LoadAttempt {
	model: ModelRecord;
	/** The window it was given in place of its own; null = its own. */
	contextWindowSize: number | null;
}

export class ChatSession {
	#engine: Engine;
	#status = $state<SessionStatus>('idle');
	#progress = $state.raw<LoadProgress | null>(null);
	#error = $state.raw<EngineError | null>(null);
	#loadedModel = $state<string | null>(null);
	#contextWindowSize = $state<number | null>(null);
	#lastLoad = $state.raw<LoadAttempt | null>(null);
	#loadAbort: AbortController | null = null;

	constructor(engine: Engine) {
		this.#engine = engine;
		// The engine ended by itself (even while idle): say so now, not at the next question.
		engine.onLost((error) => {
			if (this.#status !== 'ready') return;
			this.lost();
			this.#error = error;
		});
	}

	get status() {
		return this.#status;
	}
	get progress() {
		return this.#progress;
	}
	/** The last load's failure; null once a load starts again. */
	get error() {
		return this.#error;
	}
	get loadedModel() {
		return this.#loadedModel;
	}
	/** The context window the loaded model was given in place of its own; null = its own. */
	get contextWindowSize() {
		return this.#contextWindowSize;
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
			await this.#engine.load([model], {
				signal: abort.signal,
				onProgress: (p) => (this.#progress = p),
				...(contextWindowSize === undefined ? {} : { contextWindowSize })
			});
			this.#loadedModel = model.model_id;
			this.#contextWindowSize = contextWindowSize ?? null;
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
	}

	/** A lost GPU device or a crashed worker took the model with it: it must be loaded again. */
	lost() {
		this.#loadedModel = null;
		this.#contextWindowSize = null;
		this.#status = 'idle';
	}
}
