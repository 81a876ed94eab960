// What the engine is busy with, for the parts of the app that could cut it short without meaning
// to (the update prompt: a reload unloads the model and stops an answer being written). A wrapper
// that is itself an `Engine`, created once around the real one in the root layout, so every caller
// (chat, compare) is counted without knowing about it.
import type { EngineError } from './errors';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	Engine,
	LoadOptions,
	ModelRecord
} from './types';

export class EngineActivity implements Engine {
	readonly #inner: Engine;
	/** Ids on the GPU, or being put there. */
	#models = $state.raw<readonly string[]>([]);
	/** Answers being streamed now. */
	#answers = $state(0);

	constructor(inner: Engine) {
		this.#inner = inner;
		// A crashed engine took its models with it: a reload no longer unloads anything.
		inner.onLost(() => (this.#models = []));
	}

	/** Models loaded or loading now: a reload would have to load them again. */
	get models(): readonly string[] {
		return this.#models;
	}

	/** Whether an answer is being written now: a reload would stop it. */
	get answering(): boolean {
		return this.#answers > 0;
	}

	async load(models: ModelRecord[], options?: LoadOptions): Promise<void> {
		this.#models = models.map((m) => m.model_id);
		try {
			await this.#inner.load(models, options);
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
