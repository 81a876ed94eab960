// Worker-side logic. It drives an MLCEngine-like object given by its caller, so the same code runs
// with WebLLM in production (engine.worker.ts), with a scripted engine in e2e tests, and with a
// plain object in unit tests. It knows WebLLM's API shape but never imports the package.
import { EngineError, serializeError } from './errors';
import type { Request, Response } from './protocol';
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
}

type Post = (response: Response) => void;

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

function finishReason(raw: string | null | undefined, cancelled: boolean): FinishReason {
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

export function createHandler(createEngine: () => MLCEngineLike, post: Post) {
	let engine = createEngine();
	let loaded: string[] = [];
	/** Requests the page has cancelled, by id. */
	const cancelled = new Set<number>();
	const running = new Map<number, { kind: 'load' | 'chat' }>();
	/** One generation per model at a time: each chat waits for the previous one on its model. */
	const modelQueue = new Map<string, Promise<unknown>>();

	/** A lost device leaves WebLLM's engine unusable; the next request gets a fresh one. */
	function recoverIfBroken(error: unknown) {
		if (serializeError(error).code === 'device-lost') {
			engine = createEngine();
			loaded = [];
		}
	}

	async function load(id: number, models: ModelRecord[], contextWindowSize?: number) {
		engine.setAppConfig({ model_list: models, cacheBackend: 'indexeddb' });
		engine.setInitProgressCallback((report) => {
			if (cancelled.has(id)) return;
			post({
				kind: 'progress',
				id,
				progress: {
					phase: loadPhase(report.text),
					progress: report.progress,
					text: report.text,
					elapsedMs: report.timeElapsed * 1000
				}
			});
		});
		loaded = [];
		try {
			await engine.reload(
				models.map((m) => m.model_id),
				contextOptions(contextWindowSize, models.length)
			);
		} catch (error) {
			if (cancelled.has(id)) throw new EngineError('aborted', 'load cancelled');
			recoverIfBroken(error);
			throw error;
		}
		if (cancelled.has(id)) {
			await engine.unload();
			throw new EngineError('aborted', 'load cancelled');
		}
		loaded = models.map((m) => m.model_id);
	}

	async function chat(id: number, request: ChatRequest) {
		if (!loaded.includes(request.modelId)) {
			throw new EngineError('model-not-found', `${request.modelId} is not loaded`);
		}
		const previous = modelQueue.get(request.modelId) ?? Promise.resolve();
		const turn = previous.catch(() => undefined).then(() => generate(id, request));
		modelQueue.set(request.modelId, turn);
		try {
			await turn;
		} finally {
			if (modelQueue.get(request.modelId) === turn) modelQueue.delete(request.modelId);
		}
	}

	async function generate(id: number, request: ChatRequest) {
		const startedAt = performance.now();
		let firstTokenAt: number | null = null;
		let deltas = 0;
		let usage: UsageLike | null = null;
		let rawReason: string | null | undefined;
		if (cancelled.has(id)) {
			post({
				kind: 'usage',
				id,
				stats: toStats(null, { startedAt, firstTokenAt, endedAt: startedAt, deltas }, 'aborted')
			});
			return;
		}
		try {
			const stream = await engine.chat.completions.create(toStreamingRequest(request));
			for await (const chunk of stream) {
				// Leaving the loop calls the stream's return(), which releases the model's lock.
				if (cancelled.has(id)) break;
				const choice = chunk.choices[0];
				const text = choice?.delta.content;
				if (text) {
					firstTokenAt ??= performance.now();
					deltas++;
					post({ kind: 'delta', id, text });
				}
				if (choice?.finish_reason) rawReason = choice.finish_reason;
				if (chunk.usage) usage = chunk.usage;
			}
		} catch (error) {
			recoverIfBroken(error);
			throw error;
		}
		const stats = toStats(
			usage,
			{ startedAt, firstTokenAt, endedAt: performance.now(), deltas },
			finishReason(rawReason, cancelled.has(id))
		);
		post({ kind: 'usage', id, stats });
	}

	async function cancel(target: number) {
		const job = running.get(target);
		if (!job) return;
		cancelled.add(target);
		// WebLLM aborts a reload when unload() is called. Its interruptGenerate() stops every
		// stream at once, so it is only used when this is the one generation running (it also
		// stops a long prefill); otherwise the stream ends at its next token (see generate).
		if (job.kind === 'load') await engine.unload();
		else if ([...running.values()].filter((j) => j.kind === 'chat').length === 1) {
			await engine.interruptGenerate();
		}
	}

	return async function handle(request: Request): Promise<void> {
		const { id } = request;
		try {
			switch (request.kind) {
				case 'load':
					running.set(id, { kind: 'load' });
					await load(id, request.models, request.contextWindowSize);
					post({ kind: 'ok', id, loaded });
					break;
				case 'chat':
					running.set(id, { kind: 'chat' });
					await chat(id, request.request);
					post({ kind: 'ok', id });
					break;
				case 'cancel':
					await cancel(request.target);
					post({ kind: 'ok', id });
					break;
				case 'interrupt':
					await engine.interruptGenerate();
					post({ kind: 'ok', id });
					break;
				case 'unload':
					await engine.unload();
					loaded = [];
					post({ kind: 'ok', id, loaded });
					break;
				case 'loaded':
					post({ kind: 'ok', id, loaded });
					break;
			}
		} catch (error) {
			post({ kind: 'error', id, error: serializeError(error) });
		} finally {
			running.delete(id);
			cancelled.delete(id);
		}
	};
}
