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
	readonly answers: number;
	readonly embedding: boolean;
}

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

	/** Models loaded or loading now: a reload would have to load them again. */
	get models(): readonly string[] {
		const shared = this.#shared?.modelIds ?? [];
		return [...shared, ...this.#models.filter((id) => !shared.includes(id))];
	}

	/** Whether an answer is being written now, in this tab or another: a reload would stop it. */
	get answering(): boolean {
		return this.#answers > 0 || (this.#shared?.answers ?? 0) > 0;
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
