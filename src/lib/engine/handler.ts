// WebLLM's shape, and the pure steps around it: the part of MLCEngine that Lantern drives (the
// compiler checks that WebLLM fits it, in engine.worker.ts), the request it is given, the usage
// and progress it reports, and the vectors it returns. The host (host.ts) drives MLCEngine-like
// objects through these, so the same code runs with WebLLM in production, a scripted engine in e2e
// tests and a plain object in unit tests. It knows WebLLM's API shape but never imports the package.
import { EngineError } from './errors';
import type { ChatRequest, FinishReason, LoadPhase, ModelRecord, UsageStats } from './types';

export interface InitProgressReportLike {
	progress: number;
	timeElapsed: number;
	text: string;
}

export interface UsageLike {
	prompt_tokens: number;
	completion_tokens: number;
	extra?: {
		prefill_tokens_per_s?: number;
		decode_tokens_per_s?: number;
		time_to_first_token_s?: number;
		e2e_latency_s?: number;
	};
}

export interface ChunkLike {
	choices: Array<{ delta: { content?: string | null }; finish_reason?: string | null }>;
	usage?: UsageLike | null;
}

export interface StreamingRequestLike {
	model: string;
	messages: ChatRequest['messages'];
	stream: true;
	stream_options: { include_usage: boolean };
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	presence_penalty?: number;
	frequency_penalty?: number;
	seed?: number;
	extra_body?: { enable_thinking?: boolean };
}

/** WebLLM's ChatOptions: overrides of a model's mlc-chat-config.json for one load. */
export interface ChatOptionsLike {
	context_window_size?: number;
	sliding_window_size?: number;
}

/** WebLLM's embeddings response: one entry per input, in order. */
export interface EmbeddingResponseLike {
	data: Array<{ embedding: number[]; index: number }>;
}

/** The part of WebLLM's MLCEngine that Lantern uses. */
export interface MLCEngineLike {
	setAppConfig(config: { model_list: ModelRecord[]; cacheBackend: 'indexeddb' }): void;
	setInitProgressCallback(callback: (report: InitProgressReportLike) => void): void;
	/** `chatOptions`, when given, has one entry per model id (WebLLM checks the lengths match). */
	reload(modelIds: string[], chatOptions?: ChatOptionsLike[]): Promise<void>;
	unload(): Promise<void>;
	interruptGenerate(): Promise<void> | void;
	chat: {
		completions: {
			create(request: StreamingRequestLike): Promise<AsyncIterable<ChunkLike>>;
		};
	};
	embeddings: {
		create(request: { model: string; input: string[] }): Promise<EmbeddingResponseLike>;
	};
}

export function toStreamingRequest(request: ChatRequest): StreamingRequestLike {
	const { enable_thinking, ...sampling } = request.settings ?? {};
	return {
		...sampling,
		model: request.modelId,
		messages: request.messages,
		stream: true,
		stream_options: { include_usage: true },
		...(enable_thinking === undefined ? {} : { extra_body: { enable_thinking } })
	};
}

export function finishReason(raw: string | null | undefined, cancelled: boolean): FinishReason {
	if (raw === 'length') return 'length';
	if (raw === 'abort' || cancelled) return 'aborted';
	return 'stop';
}

/** Folds WebLLM's usage chunk and our own clock into the stats the app shows. */
export function toStats(
	usage: UsageLike | null,
	measured: { startedAt: number; firstTokenAt: number | null; endedAt: number; deltas: number },
	reason: FinishReason
): UsageStats {
	const extra = usage?.extra;
	const ttft =
		extra?.time_to_first_token_s !== undefined
			? extra.time_to_first_token_s * 1000
			: measured.firstTokenAt === null
				? null
				: measured.firstTokenAt - measured.startedAt;
	const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
	return {
		promptTokens: usage?.prompt_tokens ?? 0,
		completionTokens: usage?.completion_tokens ?? measured.deltas,
		timeToFirstTokenMs: ttft,
		prefillTokensPerSec: finite(extra?.prefill_tokens_per_s),
		decodeTokensPerSec: finite(extra?.decode_tokens_per_s),
		totalMs: measured.endedAt - measured.startedAt,
		finishReason: reason
	};
}

/** WebLLM's progress texts name the phase; 0.2.86 uses these prefixes. */
export function loadPhase(text: string): LoadPhase {
	if (/Fetching param cache|Start to fetch params|fetch/i.test(text)) return 'download';
	if (/Loading model from cache/i.test(text)) return 'gpu-upload';
	if (/GPU shader modules/i.test(text)) return 'compile';
	return 'other';
}

/**
 * WebLLM's per-load options for a context window of `size` tokens. WebLLM refuses a positive
 * context window together with a sliding window, so the sliding window is turned off.
 */
export function contextOptions(size: number | undefined, count: number) {
	if (size === undefined) return undefined;
	return Array.from({ length: count }, (): ChatOptionsLike => ({
		context_window_size: size,
		sliding_window_size: -1
	}));
}

/** WebLLM's number arrays as Float32Arrays, each with its own buffer (to transfer and to store). */
export function toVectors(response: EmbeddingResponseLike, count: number): Float32Array[] {
	const vectors: Float32Array[] = new Array<Float32Array>(count);
	for (const entry of response.data) vectors[entry.index] = Float32Array.from(entry.embedding);
	for (let i = 0; i < count; i++) {
		if (!vectors[i]) throw new EngineError('unknown', `no embedding came back for input ${i}`);
	}
	return vectors;
}
