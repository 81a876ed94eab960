// Page side of shards.worker.ts (see shardFetch.ts for why shards are fetched there): any number
// of shards at once, each with its own id, progress relayed as it comes. The worker starts on the
// first shard and ends after a while with nothing to do; if it cannot start (its script failed to
// load), the page fetches from then on (lazyWorker.ts).
import { DownloadError } from './errors';
import { LazyWorker } from './lazyWorker';
import {
	inPageShards,
	type FetchedShard,
	type ShardFetcher,
	type ShardFetchOptions
} from './shardFetch';
import type { ShardMessage, ShardReply, ShardRequest } from './shardProtocol';
import type { FetchLike } from './transfer';

interface Pending {
	request: ShardRequest;
	options: ShardFetchOptions;
	received: number;
	resolve(shard: FetchedShard): void;
	reject(error: unknown): void;
}

/** A worker with nothing to fetch for this long is ended (the next shard starts a fresh one). */
export const WORKER_IDLE_MS = 30_000;

export class WorkerShards implements ShardFetcher {
	readonly #fallback: ShardFetcher;
	readonly #worker: LazyWorker<ShardReply>;
	#pending = new Map<number, Pending>();
	/** Helps asked for and not yet ended (their ids share the shards' numbering). */
	#helps = new Map<number, (helped: boolean) => void>();
	#nextId = 1;

	constructor(create: () => Worker, fallback: ShardFetcher) {
		this.#fallback = fallback;
		this.#worker = new LazyWorker<ShardReply>({
			create,
			idleMs: WORKER_IDLE_MS,
			onReply: (reply) => this.#reply(reply),
			onFailed: () => this.#failed()
		});
	}

	fetch(request: ShardRequest, options: ShardFetchOptions = {}): Promise<FetchedShard> {
		const { signal } = options;
		if (!this.#worker.broken && signal?.aborted) return Promise.reject(aborted(request.url));
		const worker = this.#worker.start();
		if (!worker) return this.#fallback.fetch(request, options);
		const id = this.#nextId++;
		return new Promise<FetchedShard>((resolve, reject) => {
			const onAbort = () => {
				if (!this.#settle(id)) return;
				worker.postMessage({ kind: 'cancel', id } satisfies ShardMessage);
				reject(aborted(request.url));
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			const done = () => signal?.removeEventListener('abort', onAbort);
			this.#pending.set(id, {
				request,
				options,
				received: 0,
				resolve: (shard) => {
					done();
					resolve(shard);
				},
				reject: (error) => {
					done();
					reject(error);
				}
			});
			worker.postMessage({ kind: 'fetch', id, ...request } satisfies ShardMessage);
		});
	}

	prepare(): void {
		const worker = this.#worker.start();
		if (!worker) {
			this.#fallback.prepare();
			return;
		}
		worker.postMessage({ kind: 'prepare' } satisfies ShardMessage);
		if (this.#pending.size === 0) this.#worker.idle();
	}

	help(signal?: AbortSignal): Promise<boolean> {
		if (this.#worker.broken) return this.#fallback.help(signal);
		// Only a shard in flight can be helped, and only the worker holds those.
		const worker = this.#worker.running;
		if (!worker || this.#pending.size === 0 || signal?.aborted) return Promise.resolve(false);
		const id = this.#nextId++;
		return new Promise<boolean>((resolve) => {
			const onAbort = () => this.#helps.get(id)?.(false);
			signal?.addEventListener('abort', onAbort, { once: true });
			this.#helps.set(id, (helped) => {
				this.#helps.delete(id);
				signal?.removeEventListener('abort', onAbort);
				resolve(helped);
			});
			worker.postMessage({ kind: 'help', id } satisfies ShardMessage);
		});
	}

	#reply(data: ShardReply) {
		if (data.kind === 'helped') {
			this.#helps.get(data.id)?.(data.helped);
			return;
		}
		const pending = this.#pending.get(data.id);
		if (!pending) return; // Cancelled: whatever it sends now is dropped.
		if (data.kind === 'bytes') {
			pending.received += data.n;
			pending.options.onBytes?.(data.n);
			return;
		}
		if (data.kind === 'free') {
			pending.options.onFree?.();
			return;
		}
		this.#settle(data.id);
		if (data.kind === 'done') pending.resolve({ body: data.body, md5: data.md5 });
		else {
			const { code, detail, facts } = data;
			pending.reject(new DownloadError(code, detail, pending.request.url, facts));
		}
	}

	/** Forgets a request; false if it was settled already. Ends an idle worker later. */
	#settle(id: number): boolean {
		if (!this.#pending.delete(id)) return false;
		if (this.#pending.size === 0) this.#worker.idle();
		return true;
	}

	/**
	 * The worker failed (its script did not load, or it crashed). From now on the page fetches;
	 * a shard that had received nothing yet is fetched here instead, the others fail as a network
	 * error would (their bytes were counted, and Resume fetches them again).
	 */
	#failed() {
		for (const end of [...this.#helps.values()]) end(false);
		const pending = [...this.#pending.values()];
		this.#pending.clear();
		for (const p of pending) {
			if (p.received === 0) this.#fallback.fetch(p.request, p.options).then(p.resolve, p.reject);
			else p.reject(new DownloadError('network', 'the download worker stopped', p.request.url));
		}
	}
}

function aborted(url: string): DownloadError {
	return new DownloadError('aborted', 'cancelled', url);
}

/** The production fetcher: shards.worker.ts where workers exist, else the page itself. */
export function createShardFetcher(fetchFn: FetchLike): ShardFetcher {
	const fallback = inPageShards(fetchFn);
	if (typeof Worker === 'undefined') return fallback;
	return new WorkerShards(
		() => new Worker(new URL('./shards.worker.ts', import.meta.url), { type: 'module' }),
		fallback
	);
}
