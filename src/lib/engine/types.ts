// The engine's public vocabulary. Everything outside src/lib/engine talks to an `Engine`, never to
// WebLLM: these types mirror the parts of WebLLM's model records and OpenAI-style chat API that the
// app needs, so that a test engine or another runtime can stand behind the same interface.
import type { EngineError } from './errors';

/** A model as WebLLM's `ModelRecord` describes it (the subset Lantern reads). */
export interface ModelRecord {
	/** Base URL of the weights (a Hugging Face repository or a mirror of one). */
	model: string;
	/** Unique id; also the key WebLLM caches under. */
	model_id: string;
	/** URL of the compiled WebGPU model library (.wasm). */
	model_lib: string;
	overrides?: { context_window_size?: number; sliding_window_size?: number } & Record<
		string,
		unknown
	>;
	vram_required_MB?: number;
	low_resource_required?: boolean;
	buffer_size_required_bytes?: number;
	required_features?: string[];
	/** WebLLM's ModelType enum: 0 (or absent) LLM, 1 embedding, 2 vision-language. */
	model_type?: number;
}

export type Role = 'system' | 'user' | 'assistant';

export type ContentPart =
	{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type ChatMessage =
	| { role: 'system'; content: string }
	/** Plain text, or parts (text and images) for vision models. */
	| { role: 'user'; content: string | ContentPart[] }
	| { role: 'assistant'; content: string };

/** Sampling settings; absent fields take the model's defaults. */
export interface GenerationSettings {
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	presence_penalty?: number;
	frequency_penalty?: number;
	seed?: number;
	/** Reasoning models only (Qwen3): whether the model thinks before it answers. */
	enable_thinking?: boolean;
}

export interface ChatRequest {
	modelId: string;
	messages: ChatMessage[];
	settings?: GenerationSettings;
}

export type FinishReason = 'stop' | 'length' | 'aborted';

/** What one answer cost. Rates are NaN-free: unknown values are null. */
export interface UsageStats {
	promptTokens: number;
	completionTokens: number;
	/** From sending the request to the first token. */
	timeToFirstTokenMs: number | null;
	prefillTokensPerSec: number | null;
	decodeTokensPerSec: number | null;
	totalMs: number;
	finishReason: FinishReason;
}

/** A stream is zero or more deltas, then exactly one `done`. */
export type ChatEvent = { type: 'delta'; text: string } | { type: 'done'; stats: UsageStats };

/** `waiting`: the load waits for answers another tab is writing with the models it replaces. */
export type LoadPhase = 'waiting' | 'download' | 'gpu-upload' | 'compile' | 'other';

/** WebLLM reports progress 0..1 three times: download, GPU upload, shader compilation. */
export interface LoadProgress {
	phase: LoadPhase;
	/** 0..1 within the current phase. */
	progress: number;
	text: string;
	elapsedMs: number;
}

export interface LoadOptions {
	onProgress?: (progress: LoadProgress) => void;
	signal?: AbortSignal;
	/**
	 * Loads every model with this context window (in tokens) instead of its own: a smaller window
	 * needs less GPU memory (WebLLM allocates the KV cache for the whole window up front).
	 */
	contextWindowSize?: number;
	/**
	 * GPU memory models may use, in MB (undefined: unknown). Models of the other purpose (chat or
	 * embedding) stay loaded beside these only when all fit it by the rule in memory.ts; otherwise
	 * they are unloaded first, so the two take turns.
	 */
	memoryBudgetMB?: number;
	/**
	 * What to do when the load would unload a model that another tab uses (loaded, or asked
	 * answers from) or is writing an answer (or embedding texts) with: 'wait' (the default) goes
	 * ahead, starting once that work ends and reporting the phase `waiting` meanwhile; 'ask'
	 * refuses at once, before anything is unloaded, with a `busy` EngineError naming those models,
	 * so the user can choose. A model is never unloaded under work in progress either way.
	 */
	ifBusy?: 'ask' | 'wait';
}

export interface ChatOptions {
	signal?: AbortSignal;
}

export interface EmbedRequest {
	/** A loaded embedding model (model_type 1). */
	modelId: string;
	/** Texts to embed; one vector comes back per text, in the same order. */
	input: string[];
}

export interface EmbedOptions {
	/** Aborting rejects at once with an `aborted` EngineError; the vectors are dropped. */
	signal?: AbortSignal;
}

export interface Engine {
	/**
	 * Loads the given models onto the GPU (downloading whatever is not cached), replacing what was
	 * loaded for the same purpose: chat models replace chat models, embedding models replace
	 * embedding models, and the other purpose's models stay when memory allows (see
	 * `LoadOptions.memoryBudgetMB`). Several ids load side by side. Rejects with an EngineError.
	 */
	load(models: ModelRecord[], options?: LoadOptions): Promise<void>;
	/** Streams one answer. Breaking out of the loop or aborting the signal stops generation. */
	chat(request: ChatRequest, options?: ChatOptions): AsyncIterable<ChatEvent>;
	/**
	 * One vector per input text from a loaded embedding model, as the model returns it (not
	 * necessarily of length 1). Rejects with an EngineError (`model-not-found` when the model is
	 * not loaded for embedding).
	 */
	embed(request: EmbedRequest, options?: EmbedOptions): Promise<Float32Array[]>;
	/**
	 * Stops every generation this tab asked for (other tabs' answers go on); their streams end
	 * with finishReason `aborted`.
	 */
	interrupt(): Promise<void>;
	/** Frees the GPU, once the answers being written with its models have ended. */
	unload(): Promise<void>;
	/**
	 * Ids of the models on the GPU now, chat models first, then embedding models (whichever tab
	 * loaded them: the engine is shared by every tab of the browser profile).
	 */
	loaded(): Promise<string[]>;
	/**
	 * Calls back when the engine ends by itself (its worker crashed or was stopped by the browser),
	 * even while idle: whatever was loaded is gone. Returns a function that stops the calls.
	 */
	onLost(listener: (error: EngineError) => void): () => void;
}
