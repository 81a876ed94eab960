// The model on the GPU: load with progress, cancel, and what is loaded now. One per app (it lives
// in the ChatStore service), so a loaded model stays loaded while the user moves between pages and
// conversations. Generation itself belongs to the open conversation (Conversation.svelte.ts).
import { EngineError } from '$lib/engine/errors';
import type { Engine, LoadProgress, ModelRecord } from '$lib/engine/types';

export type SessionStatus = 'idle' | 'loading' | 'ready';

export class ChatSession {
	#engine: Engine;
	#status = $state<SessionStatus>('idle');
	#progress = $state.raw<LoadProgress | null>(null);
	#error = $state.raw<EngineError | null>(null);
	#loadedModel = $state<string | null>(null);
	#loadAbort: AbortController | null = null;

	constructor(engine: Engine) {
		this.#engine = engine;
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

	async load(model: ModelRecord): Promise<boolean> {
		this.#loadAbort?.abort();
		const abort = new AbortController();
		this.#loadAbort = abort;
		this.#status = 'loading';
		this.#error = null;
		this.#progress = { phase: 'other', progress: 0, text: '', elapsedMs: 0 };
		this.#loadedModel = null;
		try {
			await this.#engine.load([model], {
				signal: abort.signal,
				onProgress: (p) => (this.#progress = p)
			});
			this.#loadedModel = model.model_id;
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
		this.#status = 'idle';
	}
}
