// Worker-side logic. It drives MLCEngine-like objects given by its caller, so the same code runs
// with WebLLM in production (engine.worker.ts), with a scripted engine in e2e tests, and with a
// plain object in unit tests. It knows WebLLM's API shape but never imports the package.
//
// Two purposes, two engines. WebLLM's reload() unloads everything before it loads, so one engine
// cannot take an embedding model without the chat model being loaded again (minutes on a slow GPU).
// The handler therefore keeps two MLCEngine instances, one per purpose: `chat` (chat and vision
// models, as before) and `embed` (embedding models, model_type 1, created on first use). A load
// replaces only its own purpose's models; WebLLM gives every model its own GPU device either way,
// so two engines cost nothing that one engine with both models would not.
//
// Whether the two may be on the GPU at once is the memory rule of memory.ts (the one Compare
// uses), applied at each load with the budget the caller passes: if the models being loaded and
// the other purpose's models fit the budget together, both stay; otherwise (or with no budget) the
// other purpose's models are unloaded first, once their running answers or embeddings end, and the
// two take turns. The handler's state is just which models each engine holds (`loaded` lists them,
// chat first), and a model's purpose is its record's model_type.
import { EngineError, serializeError } from './errors';
import type { Request, Response } from './protocol';
import { purposeOf, type Purpose } from './purpose';
import { fitsTogether, memoryNeed } from './memory';
import type {
	ChatRequest,
	EmbedRequest,
	FinishReason,
	LoadPhase,
	ModelRecord,
	UsageStats
} from './types';

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

/** Posts a response; `transfer` moves buffers (embedding vectors) instead of copying them. */
type Post = (response: Response, transfer?: Transferable[]) => void;

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

interface Pool {
	purpose: Purpose;
	/** Created on first use: a worker that never embeds never makes a second engine. */
	engine: MLCEngineLike | null;
	/** What the engine holds now (records, for their memory estimates and types). */
	models: ModelRecord[];
}

type Job = { kind: 'load' | 'chat' | 'embed'; pool: Purpose };

export function createHandler(createEngine: () => MLCEngineLike, post: Post) {
	const pools: Record<Purpose, Pool> = {
		chat: { purpose: 'chat', engine: createEngine(), models: [] },
		embed: { purpose: 'embed', engine: null, models: [] }
	};
	/** Requests the page has cancelled, by id. */
	const cancelled = new Set<number>();
	const running = new Map<number, Job>();
	/** One generation (or embedding batch) per model at a time: each waits for the previous one. */
	const modelQueue = new Map<string, Promise<unknown>>();
	/** Loads (and the unloads they cause) run one at a time, so two purposes never race. */
	let loading: Promise<unknown> = Promise.resolve();

	const engineOf = (pool: Pool) => (pool.engine ??= createEngine());
	const loadedIds = () => [...pools.chat.models, ...pools.embed.models].map((m) => m.model_id);
	const poolHolding = (modelId: string) =>
		[pools.chat, pools.embed].find((p) => p.models.some((m) => m.model_id === modelId));

	/** A lost device leaves WebLLM's engine unusable; the next request gets a fresh one. */
	function recoverIfBroken(pool: Pool, error: unknown) {
		if (serializeError(error).code === 'device-lost') {
			pool.engine = createEngine();
			pool.models = [];
		}
	}

	/** Waits for every answer or embedding running on the pool's models. */
	async function settle(pool: Pool) {
		const turns = pool.models.map((m) => modelQueue.get(m.model_id)).filter(Boolean);
		await Promise.all(turns.map((t) => t?.catch(() => undefined)));
	}

	/** Frees the pool's models once what runs on them has ended: the other purpose's turn. */
	async function evict(pool: Pool) {
		if (pool.models.length === 0 || !pool.engine) return;
		await settle(pool);
		pool.models = [];
		await pool.engine.unload();
	}

	function reportProgress(engine: MLCEngineLike, id: number) {
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
	}

	async function loadPool(
		id: number,
		pool: Pool,
		models: ModelRecord[],
		contextWindowSize: number | undefined
	) {
		const engine = engineOf(pool);
		engine.setAppConfig({ model_list: models, cacheBackend: 'indexeddb' });
		reportProgress(engine, id);
		running.set(id, { kind: 'load', pool: pool.purpose });
		pool.models = [];
		try {
			await engine.reload(
				models.map((m) => m.model_id),
				// An embedding model's window must equal its prefill chunk: it is never replaced.
				contextOptions(pool.purpose === 'chat' ? contextWindowSize : undefined, models.length)
			);
		} catch (error) {
			if (cancelled.has(id)) throw new EngineError('aborted', 'load cancelled');
			recoverIfBroken(pool, error);
			throw error;
		}
		if (cancelled.has(id)) {
			await engine.unload();
			throw new EngineError('aborted', 'load cancelled');
		}
		pool.models = models;
	}

	async function load(
		id: number,
		models: ModelRecord[],
		contextWindowSize: number | undefined,
		memoryBudgetMB: number | undefined
	) {
		for (const purpose of ['chat', 'embed'] as const) {
			const mine = models.filter((m) => purposeOf(m) === purpose);
			if (mine.length === 0) continue;
			if (cancelled.has(id)) throw new EngineError('aborted', 'load cancelled');
			const other = pools[purpose === 'chat' ? 'embed' : 'chat'];
			const needs = [...mine, ...other.models].map(memoryNeed);
			if (!fitsTogether(needs, memoryBudgetMB)) await evict(other);
			await loadPool(id, pools[purpose], mine, contextWindowSize);
		}
	}

	/** Runs `work` after the previous generation or embedding on the same model. */
	async function inTurn(modelId: string, work: () => Promise<void>) {
		const previous = modelQueue.get(modelId) ?? Promise.resolve();
		const turn = previous.catch(() => undefined).then(work);
		modelQueue.set(modelId, turn);
		try {
			await turn;
		} finally {
			if (modelQueue.get(modelId) === turn) modelQueue.delete(modelId);
		}
	}

	async function chat(id: number, request: ChatRequest) {
		const pool = poolHolding(request.modelId);
		if (pool?.purpose !== 'chat') {
			throw new EngineError('model-not-found', `${request.modelId} is not loaded for chat`);
		}
		running.set(id, { kind: 'chat', pool: 'chat' });
		await inTurn(request.modelId, () => generate(id, pool, request));
	}

	async function generate(id: number, pool: Pool, request: ChatRequest) {
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
			const stream = await engineOf(pool).chat.completions.create(toStreamingRequest(request));
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
			recoverIfBroken(pool, error);
			throw error;
		}
		const stats = toStats(
			usage,
			{ startedAt, firstTokenAt, endedAt: performance.now(), deltas },
			finishReason(rawReason, cancelled.has(id))
		);
		post({ kind: 'usage', id, stats });
	}

	async function embed(id: number, request: EmbedRequest) {
		const pool = poolHolding(request.modelId);
		if (pool?.purpose !== 'embed') {
			throw new EngineError('model-not-found', `${request.modelId} is not loaded for embedding`);
		}
		running.set(id, { kind: 'embed', pool: 'embed' });
		await inTurn(request.modelId, async () => {
			if (cancelled.has(id)) throw new EngineError('aborted', 'embedding cancelled');
			let response: EmbeddingResponseLike;
			try {
				response = await engineOf(pool).embeddings.create({
					model: request.modelId,
					input: request.input
				});
			} catch (error) {
				recoverIfBroken(pool, error);
				throw error;
			}
			if (cancelled.has(id)) throw new EngineError('aborted', 'embedding cancelled');
			const vectors = toVectors(response, request.input.length);
			post(
				{ kind: 'embedded', id, vectors },
				vectors.map((v) => v.buffer)
			);
		});
	}

	async function cancel(target: number) {
		const job = running.get(target);
		if (!job) return;
		cancelled.add(target);
		const engine = pools[job.pool].engine;
		// WebLLM aborts a reload when unload() is called. Its interruptGenerate() stops every
		// stream at once, so it is only used when this is the one generation running (it also
		// stops a long prefill); otherwise the stream ends at its next token (see generate). An
		// embedding batch cannot be stopped: its result is dropped.
		if (job.kind === 'load') await engine?.unload();
		else if (
			job.kind === 'chat' &&
			[...running.values()].filter((j) => j.kind === 'chat').length === 1
		) {
			await engine?.interruptGenerate();
		}
	}

	/** Loads queue behind each other; everything else runs at once. */
	function serialised(work: () => Promise<void>): Promise<void> {
		const turn = loading.catch(() => undefined).then(work);
		loading = turn;
		return turn;
	}

	return async function handle(request: Request): Promise<void> {
		const { id } = request;
		try {
			switch (request.kind) {
				case 'load':
					running.set(id, { kind: 'load', pool: 'chat' });
					await serialised(() =>
						load(id, request.models, request.contextWindowSize, request.memoryBudgetMB)
					);
					post({ kind: 'ok', id, loaded: loadedIds() });
					break;
				case 'chat':
					await chat(id, request.request);
					post({ kind: 'ok', id });
					break;
				case 'embed':
					await embed(id, request.request);
					post({ kind: 'ok', id });
					break;
				case 'cancel':
					await cancel(request.target);
					post({ kind: 'ok', id });
					break;
				case 'interrupt':
					await pools.chat.engine?.interruptGenerate();
					post({ kind: 'ok', id });
					break;
				case 'unload':
					await serialised(async () => {
						for (const pool of [pools.chat, pools.embed]) {
							pool.models = [];
							await pool.engine?.unload();
						}
					});
					post({ kind: 'ok', id, loaded: loadedIds() });
					break;
				case 'loaded':
					post({ kind: 'ok', id, loaded: loadedIds() });
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

/** WebLLM's number arrays as Float32Arrays, each with its own buffer (to transfer and to store). */
export function toVectors(response: EmbeddingResponseLike, count: number): Float32Array[] {
	const vectors: Float32Array[] = new Array<Float32Array>(count);
	for (const entry of response.data) vectors[entry.index] = Float32Array.from(entry.embedding);
	for (let i = 0; i < count; i++) {
		if (!vectors[i]) throw new EngineError('unknown', `no embedding came back for input ${i}`);
	}
	return vectors;
}
