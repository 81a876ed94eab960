// Page-side engine: the one engine of the browser profile (connect.ts says where it runs) behind
// the `Engine` interface. Calls become Promises, streams become async iterables, and an
// AbortSignal (or breaking out of a for-await loop) becomes a `cancel` message. The link is made
// lazily, and made again after the host ends.
//
// A host can end without a word: the browser may stop its worker (out of memory), or the tab that
// hosts it may close. Each host holds a Web Lock for its whole life (lifeline.ts); when the tab is
// granted that lock, the host is gone, and every request still waiting on it fails as
// `worker-crashed` (`host-closed` when it ran in another tab). The host publishes its state
// (snapshot.ts) after every change: `state` is the newest this tab has heard, `onState` tells of
// changes.
import { EngineError } from './errors';
import {
	isThisTab,
	leaderLink,
	onHostStarted,
	sharedLink,
	type Connect,
	type Link
} from './connect';
import { holdLock } from './lifeline';
import { names, type RequestBody, type Response } from './protocol';
import { isNewer, type EngineSnapshot } from './snapshot';
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

export class EngineClient implements Engine {
	#connect: Connect;
	#link: Promise<Link> | null = null;
	#release: Promise<() => void> | null = null;
	#client = '';
	#nextId = 1;
	#listeners = new Map<number, Listener>();
	#lostListeners = new Set<(error: EngineError) => void>();
	#state: EngineSnapshot | null = null;
	#stateListeners = new Set<(state: EngineSnapshot | null) => void>();

	/**
	 * `hostStarted` calls back when a new host starts (connect.ts's `onHostStarted`): a tab with
	 * no link then links up, so it hears what that host holds (another tab's load after a
	 * hand-over) without asking anything itself.
	 */
	constructor(connect: Connect, hostStarted?: (listener: () => void) => () => void) {
		this.#connect = connect;
		hostStarted?.(() => {
			if (!this.#link) this.#ensureLink();
		});
	}

	/** This tab's id at the host now (it changes when the link is made again). */
	get client(): string {
		return this.#client;
	}

	/** Whether this tab runs the engine's worker (leader mode). */
	get hostedHere(): boolean {
		const state = this.#state;
		return state?.mode === 'leader' && isThisTab(state.hostTab);
	}

	/** The host's newest state heard here; null before the link is made or after the host ended. */
	get state(): EngineSnapshot | null {
		return this.#state;
	}

	onState(listener: (state: EngineSnapshot | null) => void): () => void {
		this.#stateListeners.add(listener);
		return () => this.#stateListeners.delete(listener);
	}

	#setState(state: EngineSnapshot | null) {
		if (state && !isNewer(state, this.#state)) return;
		this.#state = state;
		for (const listener of [...this.#stateListeners]) listener(state);
	}

	/**
	 * Links up now if another tab's engine already runs (a host holds its lifeline lock), so this
	 * tab shows at once what is loaded; otherwise the engine starts on first use, as before.
	 */
	async attach(): Promise<void> {
		if (this.#link) return;
		const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
		const held = (await locks?.query())?.held ?? [];
		if (held.some((lock) => lock.name?.startsWith('lantern-engine-host'))) this.#ensureLink();
	}

	#ensureLink(): Promise<Link> {
		if (this.#link) return this.#link;
		const client = crypto.randomUUID();
		this.#client = client;
		// The host watches this lock to learn when this tab is gone: held before saying hello.
		const release = holdLock(names.tab(client));
		this.#release = release;
		const link = release.then(() =>
			this.#connect(client, {
				message: (response) => {
					if (this.#link !== link) return;
					if (response.kind === 'welcome' || response.kind === 'state') {
						this.#setState(response.state);
					} else {
						if (response.kind === 'ok' && response.state) this.#setState(response.state);
						this.#listeners.get(response.id)?.(response);
					}
				},
				down: (detail) => {
					if (this.#link === link) this.#crash(detail);
				}
			})
		);
		this.#link = link;
		return link;
	}

	#crash(detail: string) {
		const link = this.#link;
		const release = this.#release;
		this.#link = null;
		this.#release = null;
		void link?.then((l) => l.close());
		void release?.then((r) => r());
		// Where another tab hosted the engine (leader mode), its end is most likely that tab closing
		// or reloading: the user is told so, not that the browser stopped an engine.
		const state = this.#state;
		const code =
			state?.mode === 'leader' && state.hostTab !== null && !isThisTab(state.hostTab)
				? ('host-closed' as const)
				: ('worker-crashed' as const);
		const error = { code, name: 'WorkerError', message: detail };
		for (const [id, listener] of [...this.#listeners]) listener({ kind: 'error', id, error });
		// Told before the state empties, so a listener can tell what the host took with it.
		for (const listener of [...this.#lostListeners]) listener(EngineError.from(error));
		this.#setState(null);
	}

	onLost(listener: (error: EngineError) => void): () => void {
		this.#lostListeners.add(listener);
		return () => this.#lostListeners.delete(listener);
	}

	#send(body: RequestBody, listener: Listener): number {
		const id = this.#nextId++;
		this.#listeners.set(id, listener);
		void this.#ensureLink().then((link) => link.post({ ...body, id }));
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
		const { signal, onProgress, contextWindowSize, memoryBudgetMB, ifBusy } = options;
		if (signal?.aborted) throw new EngineError('aborted', 'load cancelled');
		const body: RequestBody = {
			kind: 'load',
			models,
			...(contextWindowSize === undefined ? {} : { contextWindowSize }),
			...(memoryBudgetMB === undefined ? {} : { memoryBudgetMB }),
			...(ifBusy === undefined ? {} : { ifBusy })
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

	/** Leaves the host (as a closed tab would); the next call links up again. */
	terminate() {
		this.#crash('terminated');
	}
}

/**
 * The production engine: WebLLM in a module worker that Vite bundles as its own chunk, shared by
 * every tab (connect.ts).
 */
export function createSharedEngine(): EngineClient {
	const shared =
		typeof SharedWorker === 'undefined'
			? null
			: () =>
					new SharedWorker(new URL('./engine.worker.ts', import.meta.url), {
						type: 'module',
						name: names.sharedWorker
					});
	const dedicated = () =>
		new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
	return new EngineClient(sharedLink(shared, leaderLink(dedicated)), onHostStarted);
}
