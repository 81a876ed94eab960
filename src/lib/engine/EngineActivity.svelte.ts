// What the engine is busy with, for the parts of the app that could cut it short without meaning
// to (the update prompt: a reload unloads the model and stops an answer being written). A wrapper
// that is itself an `Engine`, created once around the real one in the root layout, so every caller
// (chat, compare) is counted without knowing about it. With the engine's own state (EngineState:
// every tab's loads and answers), what other tabs do counts too.
import type { EngineError } from './errors';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	EmbedOptions,
	EmbedRequest,
	Engine,
	LoadOptions,
	ModelRecord
} from './types';

/** The shared engine's state, as far as the update prompt needs it (EngineState). */
export interface SharedActivity {
	readonly modelIds: readonly string[];
	readonly loading: { readonly modelIds: readonly string[] } | null;
	readonly answers: number;
	/** Answers (written or waiting their turn) that other tabs asked for. */
	readonly answersElsewhere: number;
	readonly embedding: boolean;
	/** null until this tab has heard from the host. */
	readonly mode: 'shared' | 'leader' | null;
	/** How many tabs use the engine (this one included). */
	readonly tabs: number;
	/** Whether this tab runs the engine's worker (leader mode). */
	readonly hostedHere: boolean;
}

/**
 * What this tab's end (a reload) does to the in-browser engine: `ends` it (its models are
 * unloaded), `moves` it to another tab (which must load them again when next asked), or nothing
 * (`stays`: a shared worker or another tab runs it for the tabs that remain).
 */
export type ReloadEffect = 'ends' | 'moves' | 'stays';

export class EngineActivity implements Engine {
	readonly #inner: Engine;
	readonly #shared: SharedActivity | null;
	/** Ids on the GPU, or being put there. */
	#models = $state.raw<readonly string[]>([]);
	/** Answers being streamed now. */
	#answers = $state(0);
	/** Embedding batches running now (documents being indexed). */
	#embeddings = $state(0);

	constructor(inner: Engine, shared: SharedActivity | null = null) {
		this.#inner = inner;
		this.#shared = shared;
		// A crashed engine took its models with it: a reload no longer unloads anything.
		inner.onLost(() => (this.#models = []));
	}

	/**
	 * Models loaded or loading now, whichever tab loaded them. With the shared engine's state, that
	 * state alone (this tab's own list would go stale when another tab swaps models; a server's
	 * models are not unloaded by a reload).
	 */
	get models(): readonly string[] {
		const shared = this.#shared;
		if (!shared) return this.#models;
		const loading = shared.loading?.modelIds ?? [];
		return [...shared.modelIds, ...loading.filter((id) => !shared.modelIds.includes(id))];
	}

	/** Whether an answer is being written now, in this tab or another. */
	get answering(): boolean {
		return this.#answers > 0 || (this.#shared?.answers ?? 0) > 0;
	}

	/** Whether this tab is writing an answer now (a reload of this tab stops it). */
	get answeringHere(): boolean {
		return this.#answers > 0;
	}

	/** Whether another tab is writing an answer (or waits to) with the shared engine. */
	get answeringElsewhere(): boolean {
		return (this.#shared?.answersElsewhere ?? 0) > 0;
	}

	/** What a reload of this tab does to the engine and its models. */
	get reloadEffect(): ReloadEffect {
		const shared = this.#shared;
		if (!shared?.mode || shared.tabs <= 1) return 'ends';
		if (shared.mode === 'shared') return 'stays';
		return shared.hostedHere ? 'moves' : 'stays';
	}

	/** Whether texts are being embedded now (a reload pauses indexing; it resumes after). */
	get embedding(): boolean {
		return this.#embeddings > 0 || (this.#shared?.embedding ?? false);
	}

	async load(models: ModelRecord[], options?: LoadOptions): Promise<void> {
		// Models of the other purpose (chat or embedding) may stay: the engine says which did.
		const ids = models.map((m) => m.model_id);
		this.#models = [...this.#models.filter((id) => !ids.includes(id)), ...ids];
		try {
			await this.#inner.load(models, options);
			this.#models = await this.#inner.loaded();
		} catch (error) {
			// A failed load may leave nothing, or (after a cancel) the previous models, on the GPU.
			this.#models = await this.#inner.loaded().catch(() => []);
			throw error;
		}
	}

	async *chat(request: ChatRequest, options?: ChatOptions): AsyncGenerator<ChatEvent> {
		this.#answers++;
		try {
			// `yield*` hands a caller's early `return()` on to the engine's stream, which stops it.
			yield* this.#inner.chat(request, options);
		} finally {
			this.#answers--;
		}
	}

	async embed(request: EmbedRequest, options?: EmbedOptions): Promise<Float32Array[]> {
		this.#embeddings++;
		try {
			return await this.#inner.embed(request, options);
		} finally {
			this.#embeddings--;
		}
	}

	interrupt(): Promise<void> {
		return this.#inner.interrupt();
	}

	async unload(): Promise<void> {
		try {
			await this.#inner.unload();
		} finally {
			this.#models = [];
		}
	}

	loaded(): Promise<string[]> {
		return this.#inner.loaded();
	}

	onLost(listener: (error: EngineError) => void): () => void {
		return this.#inner.onLost(listener);
	}
}
