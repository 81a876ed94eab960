// Several shards in flight at once. A server or a long link often caps what one connection
// carries (a CDN's per-request limit, TCP over a long distance), so one connection at a time makes
// that cap the user's speed. Here up to `limit` shards are fetched at once, each over its own
// connection, and stored one at a time, in the order they arrive.
//
// How many: `AdaptiveConnections` starts with one and adds one more only while the last one added
// made the whole transfer faster (by `gain`), up to a small cap: when the disk, not the network,
// is the limit (a fast local link), extra connections only cost memory, and it goes back down.
// Memory: a shard is held from its first byte until it is stored, and no new fetch starts while
// `limit + 1` shards are held (with one connection: one arriving, one being stored, as before).
// A failure of one fetch (after its own retries, see downloader.ts) starts no new one; those in
// flight finish and are stored, so nothing received is wasted and Resume fetches only what is
// missing. A failed write (a full disk) or a cancel stops everything at once.

/** Decides how many fetches may run; told about every byte and every finished shard. */
export interface ConnectionPolicy {
	readonly limit: number;
	received(bytes: number): void;
	shardDone(): void;
}

export interface AdaptiveOptions {
	/** Most connections ever used (browsers allow six per host over HTTP/1.1). */
	max?: number;
	/** A connection is kept when the transfer got at least this much faster with it. */
	gain?: number;
	/** Least time a level is measured over. */
	minWindowMs?: number;
	now?: () => number;
}

export const MAX_CONNECTIONS = 4;

export class AdaptiveConnections implements ConnectionPolicy {
	#limit = 1;
	#settled = false;
	#peak = 1;
	/** Bytes per ms measured at each level (index: connections - 1). */
	#rates: number[] = [];
	#received = 0;
	#done = 0;
	#window: { at: number; bytes: number; done: number };
	readonly #max: number;
	readonly #gain: number;
	readonly #minWindow: number;
	readonly #now: () => number;

	constructor(options: AdaptiveOptions = {}) {
		this.#max = Math.max(1, options.max ?? MAX_CONNECTIONS);
		this.#gain = options.gain ?? 1.15;
		this.#minWindow = options.minWindowMs ?? 250;
		this.#now = options.now ?? (() => performance.now());
		this.#window = { at: this.#now(), bytes: 0, done: 0 };
		if (this.#max === 1) this.#settled = true;
	}

	get limit(): number {
		return this.#limit;
	}
	/** The most connections used at once so far. */
	get peak(): number {
		return this.#peak;
	}

	received(bytes: number): void {
		this.#received += bytes;
	}

	shardDone(): void {
		this.#done++;
		if (this.#settled) return;
		const now = this.#now();
		const elapsed = now - this.#window.at;
		// A level is judged once each of its connections finished a shard, and not too soon.
		if (this.#done - this.#window.done < this.#limit || elapsed < this.#minWindow) return;
		const rate = (this.#received - this.#window.bytes) / elapsed;
		const before = this.#rates[this.#limit - 2];
		this.#rates[this.#limit - 1] = rate;
		if (before === undefined || rate >= before * this.#gain) {
			if (this.#limit < this.#max) {
				this.#limit++;
				this.#peak = Math.max(this.#peak, this.#limit);
			} else {
				this.#settled = true;
			}
		} else {
			// The last connection added nothing worth its memory: go back, and stay.
			this.#limit--;
			this.#settled = true;
		}
		this.#window = { at: now, bytes: this.#received, done: this.#done };
	}
}

/** A fixed number of connections (tests, and the benchmark's single-connection figure). */
export class FixedConnections implements ConnectionPolicy {
	readonly limit: number;
	constructor(limit: number) {
		this.limit = limit;
	}
	received(): void {}
	shardDone(): void {}
}

export interface ParallelRun<T> {
	items: readonly T[];
	policy: ConnectionPolicy;
	/** Fetches one item whole (retrying by itself if it should); rejects when `signal` aborts. */
	fetch(item: T, signal: AbortSignal): Promise<ArrayBuffer>;
	/** Stores one item; called one at a time. */
	store(item: T, body: ArrayBuffer): Promise<void>;
	signal?: AbortSignal;
}

/**
 * Fetches every item over up to `policy.limit` connections and stores each as it arrives.
 * Resolves when all are stored; rejects with the first failure once nothing is in flight.
 */
export function fetchAndStoreAll<T>(run: ParallelRun<T>): Promise<void> {
	const { items, policy } = run;
	const stop = new AbortController();
	const relay = () => stop.abort(run.signal?.reason);
	if (run.signal?.aborted) relay();
	else run.signal?.addEventListener('abort', relay, { once: true });

	let next = 0;
	let fetching = 0;
	let storing = false;
	let stored = 0;
	const arrived: Array<{ item: T; body: ArrayBuffer }> = [];
	let failure: { error: unknown } | null = null;
	let storeFailed = false;

	return new Promise<void>((resolve, reject) => {
		const finish = () => {
			run.signal?.removeEventListener('abort', relay);
			if (failure) reject(failure.error);
			else resolve();
		};
		const fail = (error: unknown, stopAll: boolean) => {
			failure ??= { error };
			if (stopAll) stop.abort();
		};
		const pump = () => {
			// Whole shards that arrived are worth storing even after another fetch failed, unless
			// storing itself failed (a full disk).
			if (!storing && !storeFailed) {
				const first = arrived.shift();
				if (first) {
					storing = true;
					run.store(first.item, first.body).then(
						() => {
							storing = false;
							stored++;
							pump();
						},
						(error: unknown) => {
							storing = false;
							storeFailed = true;
							arrived.length = 0;
							fail(error, true);
							pump();
						}
					);
				}
			}
			while (
				!failure &&
				next < items.length &&
				fetching < policy.limit &&
				fetching + arrived.length + (storing ? 1 : 0) < policy.limit + 1
			) {
				const item = items[next++] as T;
				fetching++;
				run.fetch(item, stop.signal).then(
					(body) => {
						fetching--;
						policy.shardDone();
						arrived.push({ item, body });
						pump();
					},
					(error: unknown) => {
						fetching--;
						fail(error, false);
						pump();
					}
				);
			}
			const idle = fetching === 0 && !storing && (arrived.length === 0 || storeFailed);
			if (idle && (failure || stored === items.length)) finish();
		};
		pump();
	});
}
