// Page-side engine: one dedicated worker behind the `Engine` interface. Calls become Promises,
// streams become async iterables, and an AbortSignal (or breaking out of a for-await loop) becomes
// a `cancel` message. The worker is started lazily and restarted after it dies.
//
// A worker can die without a word: the browser may stop it (out of memory) or it may close itself,
// and neither fires an 'error' event, so its pending requests would wait forever. Each worker
// therefore holds a Web Lock for its whole life (lifeline.ts); when the page is granted that lock,
// the worker is gone, and every request still waiting on it fails as `worker-crashed`.
import { EngineError } from './errors';
import { watchLifeline } from './lifeline';
import type { RequestBody, Response } from './protocol';
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

type Listener = (response: Response) => void;

export class WorkerEngine implements Engine {
	#createWorker: () => Worker;
	#worker: Worker | null = null;
	#nextId = 1;
	#listeners = new Map<number, Listener>();
	#lostListeners = new Set<(error: EngineError) => void>();
	#watch: typeof watchLifeline;

	/** `watch` calls back when the named lock is free (the worker died); replaceable in tests. */
	constructor(createWorker: () => Worker, watch: typeof watchLifeline = watchLifeline) {
		this.#createWorker = createWorker;
		this.#watch = watch;
	}

	#ensureWorker(): Worker {
		if (this.#worker) return this.#worker;
		const worker = this.#createWorker();
		// A worker that fails to start or crashes takes every request with it; the next request
		// starts a new one. Only the current worker counts: one this page ended itself is ignored.
		const died = (detail: string) => {
			if (this.#worker === worker) this.#crash(detail);
		};
		worker.onmessage = (event: MessageEvent<Response>) => {
			const response = event.data;
			if (response.kind === 'alive') {
				this.#watch(response.lock, () => died('the engine worker stopped without a word'));
			} else this.#listeners.get(response.id)?.(response);
		};
		worker.onerror = (event) => {
			event.preventDefault();
			died(event.message || 'the engine worker stopped');
		};
		this.#worker = worker;
		return worker;
	}

	#crash(detail: string) {
		this.#worker?.terminate();
		this.#worker = null;
		const error = { code: 'worker-crashed' as const, name: 'WorkerError', message: detail };
		for (const [id, listener] of [...this.#listeners]) listener({ kind: 'error', id, error });
		for (const listener of [...this.#lostListeners]) listener(EngineError.from(error));
	}

	onLost(listener: (error: EngineError) => void): () => void {
		this.#lostListeners.add(listener);
		return () => this.#lostListeners.delete(listener);
	}

	#send(body: RequestBody, listener: Listener): number {
		const id = this.#nextId++;
		this.#listeners.set(id, listener);
		this.#ensureWorker().postMessage({ ...body, id });
		return id;
	}

	/** A request answered by one `ok` or `error`; progress goes to `onProgress`. */
	#call(body: RequestBody, onEvent?: Listener): { id: number; done: Promise<Response> } {
		let id = 0;
		const done = new Promise<Response>((resolve, reject) => {
			id = this.#send(body, (response) => {
				if (response.kind === 'ok') {
					this.#listeners.delete(response.id);
					resolve(response);
				} else if (response.kind === 'error') {
					this.#listeners.delete(response.id);
					reject(EngineError.from(response.error));
				} else onEvent?.(response);
			});
		});
		return { id, done };
	}

	#cancel(target: number) {
		if (this.#listeners.has(target)) this.#send({ kind: 'cancel', target }, () => undefined);
	}

	async load(models: ModelRecord[], options: LoadOptions = {}): Promise<void> {
		const { signal, onProgress, contextWindowSize, memoryBudgetMB } = options;
		if (signal?.aborted) throw new EngineError('aborted', 'load cancelled');
		const body: RequestBody = {
			kind: 'load',
			models,
			...(contextWindowSize === undefined ? {} : { contextWindowSize }),
			...(memoryBudgetMB === undefined ? {} : { memoryBudgetMB })
		};
		const { id, done } = this.#call(body, (response) => {
			if (response.kind === 'progress') onProgress?.(response.progress);
		});
		const onAbort = () => this.#cancel(id);
		signal?.addEventListener('abort', onAbort);
		try {
			await done;
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	}

	async *chat(request: ChatRequest, options: ChatOptions = {}): AsyncGenerator<ChatEvent> {
		const { signal } = options;
		const queue: ChatEvent[] = [];
		let failure: EngineError | null = null;
		let finished = false;
		let wake: (() => void) | null = null;
		const notify = () => {
			wake?.();
			wake = null;
		};
		const { id, done } = this.#call({ kind: 'chat', request }, (response) => {
			if (response.kind === 'delta') queue.push({ type: 'delta', text: response.text });
			else if (response.kind === 'usage') queue.push({ type: 'done', stats: response.stats });
			notify();
		});
		done.then(
			() => {
				finished = true;
				notify();
			},
			(error: EngineError) => {
				failure = error;
				finished = true;
				notify();
			}
		);
		const onAbort = () => this.#cancel(id);
		signal?.addEventListener('abort', onAbort);
		if (signal?.aborted) onAbort();
		try {
			for (;;) {
				const event = queue.shift();
				if (event) {
					yield event;
					continue;
				}
				if (finished) break;
				await new Promise<void>((resolve) => (wake = resolve));
			}
			if (failure) throw failure;
		} finally {
			signal?.removeEventListener('abort', onAbort);
			// The consumer left early: stop the generation and wait, so the model is free again.
			if (!finished) {
				this.#cancel(id);
				await done.catch(() => undefined);
			}
		}
	}

	async embed(request: EmbedRequest, options: EmbedOptions = {}): Promise<Float32Array[]> {
		const { signal } = options;
		const cancelled = () => new EngineError('aborted', 'embedding cancelled');
		if (signal?.aborted) throw cancelled();
		let vectors: Float32Array[] = [];
		const { id, done } = this.#call({ kind: 'embed', request }, (response) => {
			if (response.kind === 'embedded') vectors = response.vectors;
		});
		// A batch cannot be stopped in the worker: an abort answers at once and drops the result.
		let onAbort = () => undefined as void;
		const aborted = new Promise<never>((_, reject) => {
			onAbort = () => {
				this.#cancel(id);
				reject(cancelled());
			};
		});
		done.catch(() => undefined);
		signal?.addEventListener('abort', onAbort);
		try {
			await Promise.race([done, aborted]);
			return vectors;
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	}

	async interrupt(): Promise<void> {
		await this.#call({ kind: 'interrupt' }).done;
	}

	async unload(): Promise<void> {
		await this.#call({ kind: 'unload' }).done;
	}

	async loaded(): Promise<string[]> {
		const response = await this.#call({ kind: 'loaded' }).done;
		return response.kind === 'ok' ? (response.loaded ?? []) : [];
	}

	/** Stops the worker (frees the GPU at once); the next call starts a fresh one. */
	terminate() {
		this.#crash('terminated');
	}
}

/** The production engine: WebLLM in a module worker that Vite bundles as its own chunk. */
export function createWorkerEngine(): WorkerEngine {
	return new WorkerEngine(
		() => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' })
	);
}
