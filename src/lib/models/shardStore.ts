// Where downloaded shards are written: in shardStore.worker.ts, so that the page's main thread
// never copies a shard's bytes (see that file for why), or on the page where no worker starts
// (and in unit tests). The stored record is the same either way (`ArtifactStore.put`: WebLLM's
// `{ url, data }`).
import type { CacheDb } from './artifacts';
import { DownloadError } from './errors';
import type { StoreMessage, StoreReply } from './shardProtocol';
import type { ArtifactStore } from './store';

export interface ShardWriter {
	/**
	 * Stores a whole shard. `body` may be handed over (detached) whether or not it is stored;
	 * the caller must not read it afterwards. Rejects with a DownloadError ('quota' for a full
	 * disk) when the write fails.
	 */
	put(db: CacheDb, url: string, body: ArrayBuffer): Promise<void>;
}

/** Writes on the page itself. */
export function pageShardWriter(store: ArtifactStore): ShardWriter {
	return { put: (db, url, body) => store.put(db, url, body) };
}

interface Waiting {
	message: StoreMessage;
	resolve(): void;
	reject(error: unknown): void;
}

/** A worker with nothing to write for this long is ended (the next shard starts a fresh one). */
export const STORE_WORKER_IDLE_MS = 30_000;

export class WorkerShardWriter implements ShardWriter {
	readonly #create: () => Worker;
	readonly #fallback: ShardWriter;
	#worker: Worker | null = null;
	/** Whether the worker said it is up: until then bodies wait here, still the page's. */
	#ready = false;
	/** The worker could not start: the page writes from now on. */
	#broken = false;
	#queued: Waiting[] = [];
	#sent = new Map<number, Waiting>();
	#nextId = 1;
	#idle: ReturnType<typeof setTimeout> | null = null;

	constructor(create: () => Worker, fallback: ShardWriter) {
		this.#create = create;
		this.#fallback = fallback;
	}

	put(db: CacheDb, url: string, body: ArrayBuffer): Promise<void> {
		if (this.#broken) return this.#fallback.put(db, url, body);
		try {
			this.#start();
		} catch {
			this.#broken = true;
			return this.#fallback.put(db, url, body);
		}
		return new Promise<void>((resolve, reject) => {
			const waiting = { message: { id: this.#nextId++, db, url, body }, resolve, reject };
			if (this.#ready) this.#send(waiting);
			else this.#queued.push(waiting);
		});
	}

	#start() {
		if (this.#idle !== null) clearTimeout(this.#idle);
		this.#idle = null;
		if (this.#worker) return;
		const worker = this.#create();
		this.#ready = false;
		worker.addEventListener('message', (event: MessageEvent<StoreReply>) =>
			this.#reply(worker, event.data)
		);
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.#failed(worker);
		});
		this.#worker = worker;
	}

	#send(waiting: Waiting) {
		this.#sent.set(waiting.message.id, waiting);
		this.#worker?.postMessage(waiting.message, [waiting.message.body]);
	}

	#reply(worker: Worker, reply: StoreReply) {
		if (worker !== this.#worker) return;
		if (reply.kind === 'ready') {
			this.#ready = true;
			for (const waiting of this.#queued.splice(0)) this.#send(waiting);
			return;
		}
		const waiting = this.#sent.get(reply.id);
		if (!waiting) return;
		this.#sent.delete(reply.id);
		if (reply.kind === 'stored') waiting.resolve();
		else waiting.reject(new DownloadError(reply.code, reply.detail, waiting.message.url));
		this.#idleLater(worker);
	}

	#idleLater(worker: Worker) {
		if (this.#sent.size > 0 || this.#queued.length > 0) return;
		this.#idle = setTimeout(() => {
			if (this.#worker === worker && this.#sent.size === 0 && this.#queued.length === 0) {
				worker.terminate();
				this.#worker = null;
			}
		}, STORE_WORKER_IDLE_MS);
	}

	/**
	 * The worker failed (its script did not load, or it crashed). From now on the page writes;
	 * shards not yet handed over are written here, a shard handed over fails as a failed write
	 * would (the download stops; Resume fetches it again).
	 */
	#failed(worker: Worker) {
		worker.terminate();
		if (this.#worker !== worker) return;
		this.#worker = null;
		this.#broken = true;
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
