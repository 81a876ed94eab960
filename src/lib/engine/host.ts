// The engine's host: one per browser profile, serving every Lantern tab (serve.ts runs it in a
// shared worker, or in a dedicated worker that one leader tab keeps; see connect.ts). It drives
// MLCEngine-like objects given by its caller, so the same code runs with WebLLM in production
// (engine.worker.ts), with a scripted engine in e2e tests, and with a plain object in unit tests.
//
// Two purposes, two engines. WebLLM's reload() unloads everything before it loads, so one engine
// cannot take an embedding model without the chat model being loaded again (minutes on a slow GPU).
// The host therefore keeps two MLCEngine instances, one per purpose: `chat` (chat and vision
// models) and `embed` (embedding models, model_type 1, created on first use). A load replaces only
// its own purpose's models. Whether the two may be on the GPU at once is memory.ts's rule, applied
// with the budget the caller passes; otherwise the other purpose's models are unloaded first.
//
// Several tabs. Each tab is a `client`; its request ids are its own, so everything the host keeps
// is keyed by client and id. A tab's Stop (`cancel`, `interrupt`) touches only its own requests.
// A load never unloads a model while an answer is being written with it: it waits (reporting the
// phase `waiting`). The host also records which tab uses which model (sharing.ts: a tab uses what
// it loaded or asked answers from, while it stays on the GPU); a load with `ifBusy: 'ask'` that
// would unload a model another tab uses, or is writing an answer with, refuses at once with a
// `busy` error naming it, before anything is unloaded, so that tab's user can be asked first.
// A load of exactly what is on the GPU already is not done again: a second tab asking for the
// model the first one loaded is ready at once. After every change the host publishes its state
// (snapshot.ts) to every tab: the one truth of what is loaded and who is answering.
import { EngineError, serializeError } from './errors';
import {
	contextOptions,
	finishReason,
	loadPhase,
	toStats,
	toStreamingRequest,
	toVectors,
	type EmbeddingResponseLike,
	type MLCEngineLike,
	type UsageLike
} from './handler';
import { fitsTogether, memoryNeed } from './memory';
import type { IfBusy, Request, Response } from './protocol';
import { purposeOf, type Purpose } from './purpose';
import { pruned, takenFromOthers, usersOf, withUse, type Uses } from './sharing';
import type { EngineSnapshot, HostLoad, HostWork } from './snapshot';
import type { ChatRequest, EmbedRequest, LoadProgress, ModelRecord } from './types';

export type MLCEngineLikeFactory = () => MLCEngineLike;

/** Posts a response to one client; `transfer` moves buffers (embedding vectors). */
export type Post = (response: Response, transfer?: Transferable[]) => void;

export interface HostOptions {
	/** This host's id (one per worker life). */
	host: string;
	mode: EngineSnapshot['mode'];
	hostTab: string | null;
	lifeline: string;
}

interface Pool {
	purpose: Purpose;
	/** Created on first use: a host that never embeds never makes a second engine. */
	engine: MLCEngineLike | null;
	/** What the engine holds now (records, for their memory estimates and types). */
	models: ModelRecord[];
	contextWindowSize: number | null;
}

interface Job {
	client: string;
	kind: 'load' | 'chat' | 'embed';
	pool: Purpose;
	modelId?: string;
	running: boolean;
	/** Ends an answer still waiting for its turn, when its tab stops it. */
	stopWaiting?: () => void;
}

const keyOf = (client: string, id: number) => `${client}\u0000${id}`;

export function createHost(createEngine: () => MLCEngineLike, options: HostOptions) {
	const pools: Record<Purpose, Pool> = {
		chat: { purpose: 'chat', engine: createEngine(), models: [], contextWindowSize: null },
		embed: { purpose: 'embed', engine: null, models: [], contextWindowSize: null }
	};
	const clients = new Map<string, Post>();
	/** Requests their tab has cancelled (or whose tab is gone), by key. */
	const cancelled = new Set<string>();
	const running = new Map<string, Job>();
	/** One generation (or embedding batch) per model at a time: each waits for the previous one. */
	const modelQueue = new Map<string, Promise<unknown>>();
	/** Loads (and the unloads they cause) run one at a time, so two purposes never race. */
	let loading: Promise<unknown> = Promise.resolve();
	let current: HostLoad | null = null;
	let seq = 0;
	/** Which tab uses which model; read through `usesNow`, which drops what left the GPU. */
	let uses: Uses = new Map();

	const engineOf = (pool: Pool) => (pool.engine ??= createEngine());
	const loadedIds = () => [...pools.chat.models, ...pools.embed.models].map((m) => m.model_id);
	const poolHolding = (modelId: string) =>
		[pools.chat, pools.embed].find((p) => p.models.some((m) => m.model_id === modelId));

	function usesNow(): Uses {
		uses = pruned(uses, loadedIds(), [...clients.keys()]);
		return uses;
	}

	function snapshot(): EngineSnapshot {
		const users = usesNow();
		const work: HostWork[] = [];
		for (const job of running.values()) {
			if (job.kind === 'load' || !job.modelId) continue;
			work.push({ client: job.client, modelId: job.modelId, kind: job.kind, running: job.running });
		}
		return {
			host: options.host,
			seq: ++seq,
			mode: options.mode,
			hostTab: options.hostTab,
			lifeline: options.lifeline,
			clients: [...clients.keys()],
			models: [pools.chat, pools.embed].flatMap((pool) =>
				pool.models.map((m) => ({
					id: m.model_id,
					purpose: pool.purpose,
					contextWindowSize: pool.contextWindowSize,
					users: usersOf(users, m.model_id)
				}))
			),
			loading: current,
			work
		};
	}

	/** Tells every tab what changed. */
	function publish() {
		const state = snapshot();
		for (const post of clients.values()) post({ kind: 'state', id: 0, state });
	}

	/** A lost device leaves WebLLM's engine unusable; the next request gets a fresh one. */
	function recoverIfBroken(pool: Pool, error: unknown) {
		if (serializeError(error).code === 'device-lost') {
			pool.engine = createEngine();
			pool.models = [];
			pool.contextWindowSize = null;
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
		pool.contextWindowSize = null;
		await pool.engine.unload();
		publish();
	}

	function progressTo(post: Post, key: string, id: number) {
		return (progress: LoadProgress) => {
			if (cancelled.has(key)) return;
			if (current) current.progress = progress;
			post({ kind: 'progress', id, progress });
		};
	}

	function reportProgress(engine: MLCEngineLike, report: (progress: LoadProgress) => void) {
		engine.setInitProgressCallback((r) => {
			report({
				phase: loadPhase(r.text),
				progress: r.progress,
				text: r.text,
				elapsedMs: r.timeElapsed * 1000
			});
			publish();
		});
	}

	/** Whether the pool holds exactly these models with this window already. */
	function holds(pool: Pool, models: ModelRecord[], contextWindowSize: number | null) {
		return (
			pool.models.length === models.length &&
			pool.models.every((m, i) => m.model_id === models[i]?.model_id) &&
			pool.contextWindowSize === contextWindowSize
		);
	}

	async function loadPool(
		key: string,
		pool: Pool,
		models: ModelRecord[],
		contextWindowSize: number | null,
		report: (progress: LoadProgress) => void
	) {
		if (holds(pool, models, contextWindowSize)) return;
		if (pool.models.length > 0) {
			// Answers being written with the models this load replaces finish first.
			report({ phase: 'waiting', progress: 0, text: '', elapsedMs: 0 });
			if (current) current.waiting = true;
			publish();
			await settle(pool);
			if (current) current.waiting = false;
		}
		if (cancelled.has(key)) throw new EngineError('aborted', 'load cancelled');
		const engine = engineOf(pool);
		engine.setAppConfig({ model_list: models, cacheBackend: 'indexeddb' });
		reportProgress(engine, report);
		pool.models = [];
		pool.contextWindowSize = null;
		// Only now may a cancel unload (which is how WebLLM aborts a reload): never while waiting.
		const job = running.get(key);
		if (job) job.running = true;
		publish();
		try {
			await engine.reload(
				models.map((m) => m.model_id),
				// An embedding model's window must equal its prefill chunk: it is never replaced.
				contextOptions(
					pool.purpose === 'chat' ? (contextWindowSize ?? undefined) : undefined,
					models.length
				)
			);
		} catch (error) {
			if (cancelled.has(key)) throw new EngineError('aborted', 'load cancelled');
			recoverIfBroken(pool, error);
			throw error;
		}
		if (cancelled.has(key)) {
			await engine.unload();
			throw new EngineError('aborted', 'load cancelled');
		}
		pool.models = models;
		pool.contextWindowSize = pool.purpose === 'chat' ? contextWindowSize : null;
	}

	async function load(
		key: string,
		models: ModelRecord[],
		contextWindowSize: number | undefined,
		memoryBudgetMB: number | undefined,
		report: (progress: LoadProgress) => void
	) {
		const window = contextWindowSize ?? null;
		for (const purpose of ['chat', 'embed'] as const) {
			const mine = models.filter((m) => purposeOf(m) === purpose);
			if (mine.length === 0) continue;
			if (cancelled.has(key)) throw new EngineError('aborted', 'load cancelled');
			const pool = pools[purpose];
			if (holds(pool, mine, purpose === 'chat' ? window : null)) continue;
			const other = pools[purpose === 'chat' ? 'embed' : 'chat'];
			const needs = [...mine, ...other.models].map(memoryNeed);
			if (!fitsTogether(needs, memoryBudgetMB)) await evict(other);
			await loadPool(key, pool, mine, purpose === 'chat' ? window : null, report);
		}
	}

	/** The models a load would take off the GPU (as `load` decides), for `ifBusy: 'ask'`. */
	function wouldUnload(
		models: ModelRecord[],
		contextWindowSize: number | undefined,
		memoryBudgetMB: number | undefined
	): string[] {
		const ids = new Set(models.map((m) => m.model_id));
		const gone = new Set<string>();
		for (const purpose of ['chat', 'embed'] as const) {
			const mine = models.filter((m) => purposeOf(m) === purpose);
			if (mine.length === 0) continue;
			const pool = pools[purpose];
			if (holds(pool, mine, purpose === 'chat' ? (contextWindowSize ?? null) : null)) continue;
			// A model loaded again by this load stays: whoever uses it still has it afterwards.
			for (const m of pool.models) if (!ids.has(m.model_id)) gone.add(m.model_id);
			const other = pools[purpose === 'chat' ? 'embed' : 'chat'];
			const needs = [...mine, ...other.models].map(memoryNeed);
			if (!fitsTogether(needs, memoryBudgetMB)) for (const m of other.models) gone.add(m.model_id);
		}
		return [...gone];
	}

	/** The answers and embeddings of every tab, running or waiting their turn, for sharing.ts. */
	function workNow() {
		return [...running.values()].flatMap((j) =>
			j.kind !== 'load' && j.modelId ? [{ client: j.client, modelId: j.modelId, kind: j.kind }] : []
		);
	}

	/** Runs `work` after the previous generation or embedding on the same model. */
	async function inTurn(job: Job, modelId: string, work: () => Promise<void>) {
		const previous = modelQueue.get(modelId) ?? Promise.resolve();
		const turn = previous
			.catch(() => undefined)
			.then(() => {
				job.running = true;
				publish();
				return work();
			});
		modelQueue.set(modelId, turn);
		try {
			await turn;
		} finally {
			if (modelQueue.get(modelId) === turn) modelQueue.delete(modelId);
		}
	}

	async function chat(post: Post, client: string, id: number, request: ChatRequest) {
		const key = keyOf(client, id);
		const pool = poolHolding(request.modelId);
		if (pool?.purpose !== 'chat') {
			throw new EngineError('model-not-found', `${request.modelId} is not loaded for chat`);
		}
		const job: Job = {
			client,
			kind: 'chat',
			pool: 'chat',
			modelId: request.modelId,
			running: false
		};
		running.set(key, job);
		uses = withUse(uses, client, [request.modelId]);
		publish();
		// An answer waiting behind another tab's is stopped at once: its turn, when it comes, is
		// skipped, and the answer ends now as stopped (with nothing written).
		let stopped = false;
		const stop = new Promise<'stopped'>((resolve) => {
			job.stopWaiting = () => {
				stopped = true;
				resolve('stopped');
			};
		});
		const turn = inTurn(job, request.modelId, () =>
			stopped ? Promise.resolve() : generate(post, key, id, pool, request)
		);
		if ((await Promise.race([turn.then(() => 'done' as const), stop])) === 'stopped') {
			turn.catch(() => undefined);
			const now = performance.now();
			const measured = { startedAt: now, firstTokenAt: null, endedAt: now, deltas: 0 };
			post({ kind: 'usage', id, stats: toStats(null, measured, 'aborted') });
		}
	}

	async function generate(post: Post, key: string, id: number, pool: Pool, request: ChatRequest) {
		const startedAt = performance.now();
		let firstTokenAt: number | null = null;
		let deltas = 0;
		let usage: UsageLike | null = null;
		let rawReason: string | null | undefined;
		if (cancelled.has(key)) {
			const measured = { startedAt, firstTokenAt, endedAt: startedAt, deltas };
			post({ kind: 'usage', id, stats: toStats(null, measured, 'aborted') });
			return;
		}
		try {
			const stream = await engineOf(pool).chat.completions.create(toStreamingRequest(request));
			for await (const chunk of stream) {
				// Leaving the loop calls the stream's return(), which releases the model's lock.
				if (cancelled.has(key)) break;
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
			finishReason(rawReason, cancelled.has(key))
		);
		post({ kind: 'usage', id, stats });
	}

	async function embed(post: Post, client: string, id: number, request: EmbedRequest) {
		const key = keyOf(client, id);
		const pool = poolHolding(request.modelId);
		if (pool?.purpose !== 'embed') {
			throw new EngineError('model-not-found', `${request.modelId} is not loaded for embedding`);
		}
		const job: Job = {
			client,
			kind: 'embed',
			pool: 'embed',
			modelId: request.modelId,
			running: false
		};
		running.set(key, job);
		uses = withUse(uses, client, [request.modelId]);
		publish();
		await inTurn(job, request.modelId, async () => {
			if (cancelled.has(key)) throw new EngineError('aborted', 'embedding cancelled');
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
			if (cancelled.has(key)) throw new EngineError('aborted', 'embedding cancelled');
			const vectors = toVectors(response, request.input.length);
			post(
				{ kind: 'embedded', id, vectors },
				vectors.map((v) => v.buffer)
			);
		});
	}

	async function cancel(key: string) {
		const job = running.get(key);
		if (!job || cancelled.has(key)) return;
		cancelled.add(key);
		const engine = pools[job.pool].engine;
		// WebLLM aborts a reload when unload() is called. Its interruptGenerate() stops every
		// stream at once (every tab's), so it is only used when this is the one generation running
		// (it also stops a long prefill); otherwise the stream ends at its next token (see
		// generate). An embedding batch cannot be stopped: its result is dropped.
		if (!job.running) job.stopWaiting?.();
		else if (job.kind === 'load') await engine?.unload();
		else if (
			job.kind === 'chat' &&
			[...running.values()].filter((j) => j.kind === 'chat' && j.running).length === 1
		) {
			await engine?.interruptGenerate();
		}
	}

	/** Every request of a client that matches `which`. */
	const requestsOf = (client: string, which: (job: Job) => boolean) =>
		[...running.entries()].filter(([, job]) => job.client === client && which(job));

	/** Loads queue behind each other; everything else runs at once. */
	function serialised(work: () => Promise<void>): Promise<void> {
		const turn = loading.catch(() => undefined).then(work);
		loading = turn;
		return turn;
	}

	async function handleLoad(
		post: Post,
		client: string,
		request: Extract<Request, { kind: 'load' }>
	) {
		const { id, models, contextWindowSize, memoryBudgetMB } = request;
		const ifBusy: IfBusy = request.ifBusy ?? 'wait';
		const key = keyOf(client, id);
		const job: Job = { client, kind: 'load', pool: 'chat', running: false };
		running.set(key, job);
		const report = progressTo(post, key, id);
		await serialised(async () => {
			if (cancelled.has(key)) throw new EngineError('aborted', 'load cancelled');
			if (ifBusy === 'ask') {
				const gone = wouldUnload(models, contextWindowSize, memoryBudgetMB);
				const busy = takenFromOthers(client, gone, usesNow(), workNow());
				if (busy.length > 0) throw new EngineError('busy', 'another tab uses the model', busy);
			}
			current = {
				modelIds: models.map((m) => m.model_id),
				clients: [client],
				waiting: false,
				progress: null
			};
			try {
				await load(key, models, contextWindowSize, memoryBudgetMB, report);
				uses = withUse(
					uses,
					client,
					models.map((m) => m.model_id)
				);
			} finally {
				current = null;
			}
		});
	}

	/** Serves one tab: returns the function that handles its requests. */
	function connect(client: string, post: Post) {
		clients.set(client, post);
		publish();
		return async function handle(request: Request): Promise<void> {
			if (request.kind === 'hello') return;
			const { id } = request;
			const key = keyOf(client, id);
			try {
				switch (request.kind) {
					case 'load':
						await handleLoad(post, client, request);
						post({ kind: 'ok', id, loaded: loadedIds(), state: snapshot() });
						break;
					case 'chat':
						await chat(post, client, id, request.request);
						post({ kind: 'ok', id });
						break;
					case 'embed':
						await embed(post, client, id, request.request);
						post({ kind: 'ok', id });
						break;
					case 'cancel':
						await cancel(keyOf(client, request.target));
						post({ kind: 'ok', id });
						break;
					case 'interrupt':
						for (const [k] of requestsOf(client, (j) => j.kind === 'chat')) await cancel(k);
						post({ kind: 'ok', id });
						break;
					case 'unload':
						await serialised(async () => {
							for (const pool of [pools.chat, pools.embed]) {
								await settle(pool);
								pool.models = [];
								pool.contextWindowSize = null;
								await pool.engine?.unload();
							}
						});
						post({ kind: 'ok', id, loaded: loadedIds(), state: snapshot() });
						break;
					case 'loaded':
						post({ kind: 'ok', id, loaded: loadedIds(), state: snapshot() });
						break;
				}
			} catch (error) {
				post({ kind: 'error', id, error: serializeError(error) });
			} finally {
				const job = running.get(key);
				running.delete(key);
				cancelled.delete(key);
				if (job) publish();
			}
		};
	}

	/** A tab is gone: what it asked for stops, and nobody answers it any more. */
	async function disconnect(client: string) {
		if (!clients.delete(client)) return;
		for (const [key] of requestsOf(client, () => true)) await cancel(key);
		publish();
	}

	return { connect, disconnect, snapshot };
}
