// Several shards in flight at once. A server or a long link often caps what one connection
// carries (a CDN's per-request limit, TCP over a long distance), so one connection at a time makes
// that cap the user's speed. Here up to `limit` shards are fetched at once, each over its own
// connection, and stored in the order they arrive (two writes at a time, see Writes below).
//
// How many: `AdaptiveConnections` starts with two and doubles only while the last step made the
// whole transfer faster (by `gain`), up to a small cap; a step that added nothing is taken back,
// and it stays there. Each level is judged over a short time window of bytes received (not whole
// shards: a 32 MB shard over a capped link takes seconds, and waiting for one shard per connection
// spent 10 of a 16-shard model's shards on the ramp). The window scales with the link: it opens
// once the first bytes of the level can have arrived (the first byte's wait, measured on the first
// shard: a round trip or two) and lasts at least `rttWindows` of those waits, so a long link's
// slow-starting connections are not judged too early, while on a near link the whole ramp takes a
// fraction of a second (each moment spent below the final level is lost throughput). Starting at
// two rather than one halves the ramp; a second connection holds one more shard in memory. It
// stops adding as soon as storing is the limit (the writes were busy nearly the whole window):
// then more connections would only hold more shards in memory while they wait for the disk.
// Helping: where the fetcher can split a shard over more than one connection (`help`, see
// shardSplit.ts), half the connections start shards and the others help them, so each shard comes
// in about twice as fast and shards complete one after the other (the writes take them as they
// come instead of in bunches), and at the end every connection works on what is
// left. When a help is declined (nothing worth splitting, a server that sends no parts), spare
// connections start shards as before, until the next shard is in. A shard's own connection that
// has nothing left worth taking over in it while helps bring its last parts is free (`free`): it
// starts the next shard instead of waiting idle for them (the shard is still held until it is in;
// if it then fails and is retried, the retry is one connection over the count until it is in).
// Memory: a shard is held from its first byte until it is stored, and no new fetch starts while
// `limit + WRITES_AT_ONCE` shards are held (with one connection: one arriving, two being
// stored); a help writes into the shard it helps and holds nothing more.
// Writes: two at once (`WRITES_AT_ONCE`), in the order the shards arrived: IndexedDB copies a value
// on the thread that calls `put` and then commits it in the browser, so the next shard's copy
// overlaps the last one's commit (measured here, 32 MiB values: 48 to 78 MB/s one at a time, 68 to
// 91 two at once; three added nothing).
// A failure of one fetch (after its own retries, see downloader.ts) starts no new one; those in
// flight finish and are stored, so nothing received is wasted and Resume fetches only what is
// missing. A failed write (a full disk) or a cancel stops everything at once.

/** Decides how many fetches may run; told about every byte received and every write. */
export interface ConnectionPolicy {
	readonly limit: number;
	received(bytes: number): void;
	/** A write started (true) or ended (false). */
	storing(busy: boolean): void;
	/** How many whole shards wait for the disk now (told when it changes). */
	waiting?(shards: number): void;
	/** Calls `onChange` whenever `limit` changes (so that a new fetch starts at once). */
	listen(onChange: () => void): void;
}

export interface AdaptiveOptions {
	/** Most connections ever used (browsers allow six per host over HTTP/1.1). */
	max?: number;
	/** Connections at the start. */
	start?: number;
	/** A step is kept when the transfer got at least this much faster with it. */
	gain?: number;
	/** The shortest window a level is measured over. */
	windowMs?: number;
	/** A window lasts at least this many times the first byte's wait. */
	rttWindows?: number;
	/** Storing is the limit when writes were busy at least this share of a window. */
	storeBound?: number;
	now?: () => number;
}

export const MAX_CONNECTIONS = 4;

/**
 * Writes in progress at once. IndexedDB copies a value on the thread that calls `put`, then
 * commits it in the browser: with two, the next shard's copy overlaps the last one's commit.
 */
export const WRITES_AT_ONCE = 2;

export class AdaptiveConnections implements ConnectionPolicy {
	#limit: number;
	#settled = false;
	#peak: number;
	/** Bytes per ms measured at each level judged so far. */
	#rates = new Map<number, number>();
	/** The level before the last step (taken back to if the step added nothing). */
	#previous: number | null = null;
	#received = 0;
	readonly #createdAt: number;
	/** How long the first shard's first byte took: a round trip or two. Null until it came. */
	#wait: number | null = null;
	/** The level's window opens at this time (null: at the first byte). */
	#opensAt: number | null = null;
	/** The level being measured: since when, bytes by then, write time in it so far. */
	#window: { at: number; bytes: number; busyMs: number } | null = null;
	/** When the write in progress started (or the window did, if later); null when idle. */
	#busySince: number | null = null;
	/** When the first write began: before it, nothing could be waiting for the disk. */
	#firstWriteAt: number | null = null;
	#onChange: () => void = () => undefined;
	readonly #max: number;
	readonly #gain: number;
	readonly #windowMs: number;
	readonly #rttWindows: number;
	readonly #storeBound: number;
	readonly #now: () => number;

	constructor(options: AdaptiveOptions = {}) {
		this.#max = Math.max(1, options.max ?? MAX_CONNECTIONS);
		this.#limit = Math.min(this.#max, Math.max(1, options.start ?? 2));
		this.#peak = this.#limit;
		this.#gain = options.gain ?? 1.15;
		this.#windowMs = options.windowMs ?? 150;
		this.#rttWindows = options.rttWindows ?? 4;
		this.#storeBound = options.storeBound ?? 0.9;
		this.#now = options.now ?? (() => performance.now());
		this.#createdAt = this.#now();
		if (this.#limit === this.#max) this.#settled = true;
	}

	get limit(): number {
		return this.#limit;
	}
	/** The most connections used at once so far. */
	get peak(): number {
		return this.#peak;
	}

	listen(onChange: () => void): void {
		this.#onChange = onChange;
	}

	received(bytes: number): void {
		const now = this.#now();
		this.#wait ??= now - this.#createdAt;
		this.#received += bytes;
		if (!this.#settled) this.#judge(now);
	}

	storing(busy: boolean): void {
		const now = this.#now();
		if (busy) {
			this.#busySince ??= now;
			this.#firstWriteAt ??= now;
		} else if (this.#busySince !== null) {
			if (this.#window) this.#window.busyMs += now - Math.max(this.#busySince, this.#window.at);
			this.#busySince = null;
		}
	}

	waiting(shards: number): void {
		if (shards === 0 || this.#settled) return;
		// Storing is the limit now: a step being tried only holds more shards in memory, so it is
		// taken back at once (not at the end of its window), and the ramp stops.
		const limit = this.#limit;
		if (this.#previous !== null) this.#limit = this.#previous;
		this.#settled = true;
		if (this.#limit !== limit) this.#onChange();
	}

	/** Once a level has been measured for a window: one step up, back one, or stay. */
	#judge(now: number) {
		if (!this.#window) {
			// Bytes that arrived before the window opened belong to the level before (or to no
			// level: the first shard's start); they are not counted.
			if (this.#opensAt === null || now >= this.#opensAt) {
				this.#window = { at: now, bytes: this.#received, busyMs: 0 };
			}
			return;
		}
		const elapsed = now - this.#window.at;
		if (elapsed < Math.max(this.#windowMs, this.#rttWindows * (this.#wait ?? 0))) return;
		const rate = (this.#received - this.#window.bytes) / elapsed;
		const busy =
			this.#window.busyMs +
			(this.#busySince === null ? 0 : now - Math.max(this.#busySince, this.#window.at));
		// Writes are judged from the first one on (the first shard takes a while to arrive), and
		// only over half a window or more: a write that just began proves nothing.
		const writing = now - Math.max(this.#window.at, this.#firstWriteAt ?? now);
		const storeBound = writing >= elapsed / 2 && busy >= this.#storeBound * writing;
		const before = this.#previous === null ? undefined : this.#rates.get(this.#previous);
		this.#rates.set(this.#limit, rate);
		const limit = this.#limit;
		if (this.#previous !== null && before !== undefined && rate < before * this.#gain) {
			// The last step added nothing worth its memory: take it back, and stay.
			this.#limit = this.#previous;
			this.#settled = true;
		} else if (storeBound || this.#limit >= this.#max) {
			// Storing is the limit (or the cap is reached): more would only wait in memory.
			this.#settled = true;
		} else {
			this.#previous = this.#limit;
			this.#limit = Math.min(this.#max, this.#limit * 2);
			this.#peak = Math.max(this.#peak, this.#limit);
			// The new connections' first bytes come a round trip or two from now.
			this.#opensAt = now + (this.#wait ?? 0);
		}
		this.#window = null;
		if (this.#limit !== limit) this.#onChange();
	}
}

/** A fixed number of connections (imports from files, and tests). */
export class FixedConnections implements ConnectionPolicy {
	readonly limit: number;
	constructor(limit: number) {
		this.limit = limit;
	}
	received(): void {}
	storing(): void {}
	listen(): void {}
}

export interface ParallelRun<T> {
	items: readonly T[];
	policy: ConnectionPolicy;
	/**
	 * Fetches one item whole (retrying by itself if it should); rejects when `signal` aborts.
	 * Calls `free` when the item's own connection is done with it while helps still bring the
	 * rest (see `ShardFetchOptions.onFree`): the connection may start the next item.
	 */
	fetch(item: T, signal: AbortSignal, free: () => void): Promise<ArrayBuffer>;
	/** Stores one item; called for up to `WRITES_AT_ONCE` items at once, in the order they arrived. */
	store(item: T, body: ArrayBuffer): Promise<void>;
	/**
	 * Uses one more connection for an item in flight: resolves true when its part is in, false
	 * when there is nothing worth splitting (see `ShardFetcher.help`). Its failures are the item's.
	 */
	help?(signal: AbortSignal): Promise<boolean>;
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
	/** Items fetched over a connection of their own. */
	let fetching = 0;
	/** Items whose own connection is free, still held while their helps bring the rest. */
	let finishing = 0;
	let helping = 0;
	/** A help found nothing to split: spare connections start items until the next one is in. */
	let declined = false;
	/** Writes in progress (up to `WRITES_AT_ONCE`). */
	let storing = 0;
	let stored = 0;
	const arrived: Array<{ item: T; body: ArrayBuffer }> = [];
	let failure: { error: unknown } | null = null;
	let storeFailed = false;

	return new Promise<void>((resolve, reject) => {
		let finished = false;
		const finish = () => {
			finished = true;
			run.signal?.removeEventListener('abort', relay);
			if (failure) reject(failure.error);
			else resolve();
		};
		const fail = (error: unknown, stopAll: boolean) => {
			failure ??= { error };
			if (stopAll) stop.abort();
		};
		const pump = () => {
			if (finished) return;
			// Whole shards that arrived are worth storing even after another fetch failed, unless
			// storing itself failed (a full disk).
			while (storing < WRITES_AT_ONCE && !storeFailed) {
				const first = arrived.shift();
				if (!first) break;
				storing++;
				if (storing === 1) policy.storing(true);
				const ended = () => {
					storing--;
					if (storing === 0) policy.storing(false);
				};
				run.store(first.item, first.body).then(
					() => {
						ended();
						stored++;
						pump();
					},
					(error: unknown) => {
						ended();
						storeFailed = true;
						arrived.length = 0;
						fail(error, true);
						pump();
					}
				);
			}
			policy.waiting?.(arrived.length);
			// With helping, half the connections start shards; the rest help (see the header).
			const starting = run.help && !declined ? Math.ceil(policy.limit / 2) : policy.limit;
			while (
				!failure &&
				next < items.length &&
				fetching < starting &&
				fetching + helping < policy.limit &&
				fetching + finishing + arrived.length + storing < policy.limit + WRITES_AT_ONCE
			) {
				const item = items[next++] as T;
				fetching++;
				let freed = false;
				let settled = false;
				const free = () => {
					if (freed || settled) return;
					freed = true;
					fetching--;
					finishing++;
					pump();
				};
				const ended = () => {
					settled = true;
					if (freed) finishing--;
					else fetching--;
				};
				run.fetch(item, stop.signal, free).then(
					(body) => {
						ended();
						declined = false;
						arrived.push({ item, body });
						pump();
					},
					(error: unknown) => {
						ended();
						fail(error, false);
						pump();
					}
				);
			}
			while (
				run.help &&
				!declined &&
				!failure &&
				fetching + finishing > 0 &&
				fetching + helping < policy.limit
			) {
				helping++;
				const ended = (helped: boolean) => {
					helping--;
					if (!helped) declined = true;
					pump();
				};
				run.help(stop.signal).then(ended, () => ended(false));
			}
			const idle =
				fetching === 0 &&
				finishing === 0 &&
				helping === 0 &&
				storing === 0 &&
				(arrived.length === 0 || storeFailed);
			if (idle && (failure || stored === items.length)) finish();
		};
		// A level added mid-shard starts its fetch now, not when some shard ends (after the
		// caller's progress callback that told the policy has returned).
		policy.listen(() => queueMicrotask(pump));
		pump();
	});
}
