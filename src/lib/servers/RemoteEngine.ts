// One user's server behind the app's `Engine` interface (engine/types.ts), so Chat and Compare can
// use its models like in-browser ones (engine/router.ts sends each request to the right engine).
//
// - `load` downloads nothing and puts nothing on a GPU: it asks the server for its models and
//   checks that each one asked for is there (a model removed from the server is named), then
//   remembers them as selected. `unload` and `loaded` are about that selection.
// - `chat` streams `POST {base}/chat/completions` as server-sent events (sse.ts, completion.ts).
//   A 429 or 5xx before the first token is tried again by the download manager's rules. Stopping
//   (the signal, `interrupt`, or leaving the loop) aborts the request; the answer ends with
//   finishReason 'aborted' and keeps what came. A connection that breaks mid-answer ends the
//   stream with RemoteError('lost') after the text that came, so the chat keeps it, marked cut off.
// - `onLost` never fires. It exists for an engine that can vanish while idle, taking loaded models
//   with it (a crashed worker). Nothing of a server lives in this tab: if it goes away, the next
//   request says so with its own typed error, and the selection is still valid when it is back.
//   Firing it would mark a model unloaded, with an alarm, for a server that may be down a minute.
import { EngineError } from '$lib/engine/errors';
import { purposeOf, type Purpose } from '$lib/engine/purpose';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	Engine,
	LoadOptions,
	ModelRecord
} from '$lib/engine/types';
import { CompletionFold, completionBody, remoteStats, StreamErrorEvent } from './completion';
import { RemoteError } from './errors';
import { send, sleep, type FetchFn, type RetryWait, type ServerAccess } from './http';
import { CHECK_TIMEOUT_MS, listModels, type ProbeDeps } from './probe';
import { SseParser } from './sse';
import { serversText } from './strings';
import { isRemoteRecord } from './types';
import type { PageLocation } from './url';

export interface RemoteEngineDeps {
	fetch?: FetchFn;
	/** Milliseconds, for the stats. */
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Waits before retrying a 429/5xx (the download manager's by default). */
	retryDelaysMs?: readonly number[];
	page?: PageLocation;
	hosts?: readonly string[];
	/** An answer waits before trying a 429/5xx again (null: the wait is over), for the page to say. */
	onRetry?: (wait: RetryWait | null) => void;
}

/** What the docs branch adds to the Engine interface; implemented here so the merge fits. */
export interface EmbedRequest {
	modelId: string;
	input: string[];
}

/** The server's own name for a record's model. */
function serverName(record: ModelRecord): string {
	return isRemoteRecord(record) ? record.remote.name : record.model_id;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

export class RemoteEngine implements Engine {
	readonly #server: () => ServerAccess;
	readonly #fetch: FetchFn;
	readonly #now: () => number;
	readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	readonly #retryDelays: readonly number[] | undefined;
	readonly #onRetry: ((wait: RetryWait | null) => void) | undefined;
	readonly #probe: ProbeDeps;
	/** Selected models: the app's id → the server's name. */
	#selected = new Map<string, string>();
	/** What each model was loaded for, by the app's id. */
	readonly #purposes = new Map<string, Purpose>();
	/** Requests in flight, so that `interrupt` and `unload` can stop them. */
	readonly #running = new Set<AbortController>();

	/** `server` is read at every request, so a changed key or address applies at once. */
	constructor(server: ServerAccess | (() => ServerAccess), deps: RemoteEngineDeps = {}) {
		this.#server = typeof server === 'function' ? server : () => server;
		this.#fetch = deps.fetch ?? ((input, init) => fetch(input, init));
		this.#now = deps.now ?? (() => performance.now());
		this.#sleep = deps.sleep ?? sleep;
		this.#retryDelays = deps.retryDelaysMs;
		this.#onRetry = deps.onRetry;
		this.#probe = {
			fetch: this.#fetch,
			page: deps.page ?? (typeof location === 'undefined' ? { protocol: 'http:' } : location),
			...(deps.hosts ? { hosts: deps.hosts } : {})
		};
	}

	async load(models: ModelRecord[], options: LoadOptions = {}): Promise<void> {
		const { signal, onProgress } = options;
		const server = this.#server();
		// Like every engine, a load replaces the models of its own purpose (chat or embedding) only.
		const purposes = new Set(models.map(purposeOf));
		const kept = [...this.#selected].filter(
			([id]) => !purposes.has(this.#purposes.get(id) ?? 'chat')
		);
		this.#selected = new Map(kept);
		if (signal?.aborted) throw new RemoteError('aborted', server.baseUrl);
		const started = this.#now();
		const progress = (value: number) =>
			onProgress?.({
				phase: 'other',
				progress: value,
				text: serversText.loading(server.baseUrl),
				elapsedMs: this.#now() - started
			});
		progress(0);
		const listed = await listModels(server, this.#probe, {
			...(signal ? { signal } : {}),
			timeoutMs: CHECK_TIMEOUT_MS,
			sleep: this.#sleep,
			...this.#retryOptions()
		});
		const names = new Set(listed.map((m) => m.name));
		const missing = models.map(serverName).find((name) => !names.has(name));
		if (missing !== undefined)
			throw new RemoteError('model-gone', server.baseUrl, { model: missing });
		this.#selected = new Map([...kept, ...models.map((m) => [m.model_id, serverName(m)] as const)]);
		for (const m of models) this.#purposes.set(m.model_id, purposeOf(m));
		progress(1);
	}

	async *chat(request: ChatRequest, options: ChatOptions = {}): AsyncGenerator<ChatEvent> {
		const name = this.#selected.get(request.modelId);
		if (name === undefined)
			throw new EngineError('model-not-found', `${request.modelId} is not loaded`);
		const server = this.#server();
		const abort = this.#track(options.signal);
		const fold = new CompletionFold();
		const startedAt = this.#now();
		let firstTokenAt: number | null = null;
		let lastTokenAt: number | null = null;
		const stats = () =>
			remoteStats(
				fold,
				{ startedAt, firstTokenAt, lastTokenAt, endedAt: this.#now() },
				abort.signal.aborted
			);
		const shown = (text: string): ChatEvent => {
			lastTokenAt = this.#now();
			firstTokenAt ??= lastTokenAt;
			return { type: 'delta', text };
		};
		try {
			let response: Response;
			try {
				response = await send(
					this.#fetch,
					server,
					'/chat/completions',
					{
						method: 'POST',
						headers: { 'Content-Type': 'application/json' },
						body: JSON.stringify(completionBody(request, name))
					},
					{
						signal: abort.signal,
						model: name,
						sleep: this.#sleep,
						...this.#retryOptions(),
						...(this.#onRetry ? { onRetry: this.#onRetry } : {})
					}
				);
			} catch (error) {
				// Stopped before the server answered: an empty, stopped answer, like the worker's.
				if (abort.signal.aborted) {
					yield { type: 'done', stats: stats() };
					return;
				}
				throw error;
			}
			if (!/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
				const text = await this.#whole(response, fold, server, name, abort.signal);
				if (text) yield shown(text);
				yield { type: 'done', stats: stats() };
				return;
			}
			if (!response.body) throw new RemoteError('not-openai', server.baseUrl, { model: name });
			const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
			const parser = new SseParser();
			try {
				reading: for (;;) {
					let chunk: ReadableStreamReadResult<string>;
					try {
						chunk = await reader.read();
					} catch (error) {
						if (abort.signal.aborted) break;
						throw new RemoteError('lost', server.baseUrl, { model: name }, String(error));
					}
					const events = chunk.done ? parser.end() : parser.push(chunk.value);
					for (const event of events) {
						let text: string;
						try {
							text = fold.push(event.data);
						} catch (error) {
							if (!(error instanceof StreamErrorEvent)) throw error;
							throw new RemoteError('stream-error', server.baseUrl, { model: name }, error.message);
						}
						if (text) yield shown(text);
						if (fold.done) break reading;
					}
					if (chunk.done) break;
				}
			} finally {
				await reader.cancel().catch(() => undefined);
			}
			// Ended without [DONE] or a finish reason: a proxy or the server dropped the connection.
			if (!fold.done && fold.finishReason === null && !abort.signal.aborted)
				throw new RemoteError('lost', server.baseUrl, { model: name }, 'the stream ended early');
			const closing = fold.finish();
			if (closing) yield shown(closing);
			yield { type: 'done', stats: stats() };
		} finally {
			this.#untrack(abort);
		}
	}

	async interrupt(): Promise<void> {
		for (const abort of this.#running) abort.abort();
	}

	async unload(): Promise<void> {
		await this.interrupt();
		this.#selected = new Map();
	}

	async loaded(): Promise<string[]> {
		return [...this.#selected.keys()];
	}

	onLost(_listener: (error: EngineError) => void): () => void {
		return () => undefined;
	}

	/**
	 * Embeddings of `input` (`POST {base}/embeddings`, OpenAI format), one vector per text, in order.
	 * The model must be loaded (selected), as for `chat`.
	 */
	async embed(
		request: EmbedRequest,
		options: { signal?: AbortSignal } = {}
	): Promise<Float32Array[]> {
		const name = this.#selected.get(request.modelId);
		if (name === undefined)
			throw new EngineError('model-not-found', `${request.modelId} is not loaded`);
		const server = this.#server();
		const abort = this.#track(options.signal);
		try {
			const response = await send(
				this.#fetch,
				server,
				'/embeddings',
				{
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ model: name, input: request.input, encoding_format: 'float' })
				},
				{ signal: abort.signal, model: name, sleep: this.#sleep, ...this.#retryOptions() }
			);
			const vectors = parseEmbeddings(
				await response.json().catch(() => null),
				request.input.length
			);
			if (!vectors) throw new RemoteError('not-openai', server.baseUrl, { model: name });
			return vectors;
		} finally {
			this.#untrack(abort);
		}
	}

	#retryOptions() {
		return this.#retryDelays ? { retryDelaysMs: this.#retryDelays } : {};
	}

	/** An AbortController for one request, aborted by `signal`, `interrupt` or `unload`. */
	#track(signal: AbortSignal | undefined): AbortController {
		const abort = new AbortController();
		const follow = () => abort.abort();
		if (signal?.aborted) abort.abort();
		signal?.addEventListener('abort', follow, { once: true });
		abort.signal.addEventListener('abort', () => signal?.removeEventListener('abort', follow), {
			once: true
		});
		this.#running.add(abort);
		return abort;
	}

	/** The request is over: a consumer that left early gets its request cancelled too. */
	#untrack(abort: AbortController) {
		this.#running.delete(abort);
		abort.abort();
	}

	/** A server that ignored `stream: true` and sent the whole answer as JSON. */
	async #whole(
		response: Response,
		fold: CompletionFold,
		server: ServerAccess,
		name: string,
		signal: AbortSignal
	): Promise<string> {
		let body: unknown;
		try {
			body = await response.json();
		} catch (error) {
			if (signal.aborted) return '';
			throw new RemoteError('not-openai', server.baseUrl, { model: name }, String(error));
		}
		try {
			return fold.pushWhole(body);
		} catch (error) {
			if (!(error instanceof StreamErrorEvent)) throw error;
			throw new RemoteError('stream-error', server.baseUrl, { model: name }, error.message);
		}
	}
}

/** `{"data": [{"embedding": [...], "index": n}, ...]}` as vectors in input order; null if malformed. */
export function parseEmbeddings(json: unknown, expected: number): Float32Array[] | null {
	if (!isObject(json) || !Array.isArray(json.data) || json.data.length !== expected) return null;
	const vectors: Array<Float32Array | undefined> = new Array(expected);
	for (const [position, entry] of json.data.entries()) {
		if (!isObject(entry) || !Array.isArray(entry.embedding)) return null;
		const index = typeof entry.index === 'number' ? entry.index : position;
		if (!Number.isInteger(index) || index < 0 || index >= expected || vectors[index]) return null;
		if (!entry.embedding.every((x) => typeof x === 'number')) return null;
		vectors[index] = Float32Array.from(entry.embedding as number[]);
	}
	return vectors.every((v) => v !== undefined) ? (vectors as Float32Array[]) : null;
}
