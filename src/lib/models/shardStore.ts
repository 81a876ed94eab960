// Where downloaded shards are written: in shardStore.worker.ts, so that the page's main thread
// never copies a shard's bytes (see that file for why), or on the page where no worker starts
// (and in unit tests). The stored record is the same either way (`ArtifactStore.put`: WebLLM's
// `{ url, data }`).
import type { CacheDb } from './artifacts';
import { DownloadError } from './errors';
import { LazyWorker } from './lazyWorker';
import type { StoreMessage, StoreReply } from './shardProtocol';
import type { ArtifactStore } from './store';

export interface ShardWriter {
	/**
	 * Stores a whole shard. `body` may be handed over (detached) whether or not it is stored;
	 * the caller must not read it afterwards. Rejects with a DownloadError ('quota' for a full
	 * disk) when the write fails.
	 */
	put(db: CacheDb, url: string, body: ArrayBuffer): Promise<void>;
	/** Shards for `db` are coming: get ready (start, open the database) so the first is not slowed. */
	prepare(db: CacheDb): void;
}

/** Writes on the page itself. */
export function pageShardWriter(store: ArtifactStore): ShardWriter {
	return {
		put: (db, url, body) => store.put(db, url, body),
		prepare: (db) => void store.prepare(db).catch(() => undefined)
	};
}

interface Waiting {
	message: Extract<StoreMessage, { kind: 'put' }>;
	resolve(): void;
	reject(error: unknown): void;
}

/** A worker with nothing to write for this long is ended (the next shard starts a fresh one). */
export const STORE_WORKER_IDLE_MS = 30_000;

export class WorkerShardWriter implements ShardWriter {
	readonly #fallback: ShardWriter;
	readonly #worker: LazyWorker<StoreReply>;
	/** The worker that said it is up: until then bodies wait here, still the page's. */
	#ready: Worker | null = null;
	#queued: Waiting[] = [];
	#sent = new Map<number, Waiting>();
	#nextId = 1;

	constructor(create: () => Worker, fallback: ShardWriter) {
		this.#fallback = fallback;
		this.#worker = new LazyWorker<StoreReply>({
			create,
			idleMs: STORE_WORKER_IDLE_MS,
			onReply: (reply) => this.#reply(reply),
			onFailed: () => this.#failed()
		});
	}

	put(db: CacheDb, url: string, body: ArrayBuffer): Promise<void> {
		const worker = this.#worker.start();
		if (!worker) return this.#fallback.put(db, url, body);
		return new Promise<void>((resolve, reject) => {
			const message = { kind: 'put' as const, id: this.#nextId++, db, url, body };
			const waiting = { message, resolve, reject };
			if (this.#ready === worker) this.#send(worker, waiting);
			else this.#queued.push(waiting);
		});
	}

	prepare(db: CacheDb): void {
		const worker = this.#worker.start();
		if (!worker) {
			this.#fallback.prepare(db);
			return;
		}
		// Nothing of the page's goes with it, so it need not wait for the worker to be up.
		worker.postMessage({ kind: 'open', db } satisfies StoreMessage);
		this.#idleUnlessBusy();
	}

	#idleUnlessBusy() {
		if (this.#sent.size === 0 && this.#queued.length === 0) this.#worker.idle();
	}

	#send(worker: Worker, waiting: Waiting) {
		this.#sent.set(waiting.message.id, waiting);
		worker.postMessage(waiting.message, [waiting.message.body]);
	}

	#reply(reply: StoreReply) {
		const worker = this.#worker.running;
		if (!worker) return;
		if (reply.kind === 'ready') {
			this.#ready = worker;
			for (const waiting of this.#queued.splice(0)) this.#send(worker, waiting);
			return;
		}
		const waiting = this.#sent.get(reply.id);
		if (!waiting) return;
		this.#sent.delete(reply.id);
		if (reply.kind === 'stored') waiting.resolve();
		else waiting.reject(new DownloadError(reply.code, reply.detail, waiting.message.url));
		this.#idleUnlessBusy();
	}

	/**
	 * The worker failed (its script did not load, or it crashed). From now on the page writes;
	 * shards not yet handed over are written here, a shard handed over fails as a failed write
	 * would (the download stops; Resume fetches it again).
	 */
	#failed() {
		this.#ready = null;
		for (const { message, resolve, reject } of this.#queued.splice(0)) {
			this.#fallback.put(message.db, message.url, message.body).then(resolve, reject);
		}
		const sent = [...this.#sent.values()];
		this.#sent.clear();
		for (const { message, reject } of sent) {
			reject(new DownloadError('storage', 'the storage worker stopped', message.url));
		}
	}
}

/** The production writer: shardStore.worker.ts where workers exist, else the page itself. */
export function createShardWriter(store: ArtifactStore): ShardWriter {
	const fallback = pageShardWriter(store);
	if (typeof Worker === 'undefined') return fallback;
	return new WorkerShardWriter(
		() => new Worker(new URL('./shardStore.worker.ts', import.meta.url), { type: 'module' }),
		fallback
	);
}
