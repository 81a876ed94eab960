// One weight shard over the network, read into a buffer of its exact size and hashed as it
// arrives (MD5, see integrity.ts). In the app this runs in a worker (shards.worker.ts, driven by
// `WorkerShards` in shardWorker.ts): reading a body chunk by chunk and hashing it kept the page's
// main thread, where the writes to IndexedDB then also ran, busy most of the time (a profile of a
// 512 MB download on a loaded machine: 1.5 s of MD5, 1.8 s of stream reading, 0.9 s of writes,
// 1.8 s idle), so the download ran slower than a loop that only fetches and stores. In the
// worker, the page was left with the writes (now in their own worker, shardStore.ts); a finished
// shard is handed over without a copy (transferred). Where no worker can start, and in unit tests, `inPageShards` does the same work
// on the page.
import { DownloadError, toDownloadError } from './errors';
import { createMd5, preloadMd5, type Md5 } from './md5';
import type { ShardReply, ShardRequest } from './shardProtocol';
import { SplitShard, type Segment } from './shardSplit';
import { declaredLength, fetchResponse, sizeMismatch, type FetchLike } from './transfer';

export type { ShardRequest } from './shardProtocol';

export interface FetchedShard {
	body: ArrayBuffer;
	/** The MD5 of the body (lowercase hex), or null when none was asked for. */
	md5: string | null;
}

export interface ShardFetchOptions {
	signal?: AbortSignal;
	/** Bytes received, for progress (in the worker, reported in batches). */
	onBytes?: (n: number) => void;
	/**
	 * The shard's own connection is done with it while other connections (helps) still bring the
	 * rest: it may start another shard instead of waiting idle for them.
	 */
	onFree?: () => void;
}

export interface ShardFetcher {
	/** The shard, of exactly `expectedBytes`; rejects with a DownloadError. */
	fetch(request: ShardRequest, options?: ShardFetchOptions): Promise<FetchedShard>;
	/**
	 * Uses one more connection for a shard in flight (see shardSplit.ts): resolves true once its
	 * part is in, false at once when no shard has enough left to split or the server cannot send
	 * parts. Its bytes count as the shard's; a failure fails that shard.
	 */
	help(signal?: AbortSignal): Promise<boolean>;
	/** Shards are coming: get ready (start, load the MD5 library) so the first is not slowed. */
	prepare(): void;
}

/** Each half of a split is at least this big, whatever the link. */
export const MIN_SPLIT_BYTES = 2 * 1024 * 1024;
/** ... and takes at least this many of the shard's first-byte waits (a request's overhead). */
const SPLIT_WAITS = 2;
/** ... and at least this long at one connection's speed. */
const SPLIT_MS = 50;
/** The link is measured over at least this long (a near server answers in a millisecond). */
const MEASURE_MS = 20;

/** Where a spare connection could take over: the second part of `segment`, from `at`. */
interface Choice {
	flight: Flight;
	segment: Segment;
	at: number;
}

/** A shard being received, over one connection or more. */
interface Flight {
	request: ShardRequest;
	shard: SplitShard;
	md5: Md5 | null;
	onBytes?: (n: number) => void;
	/** Aborts every connection of the shard. */
	controller: AbortController;
	failure: DownloadError | null;
	/** Settles when every segment is in, or the shard failed. */
	done: Promise<void>;
	settle(error?: DownloadError): void;
}

/**
 * Fetches and hashes shards where it is called (in the worker, and the page's fallback), each
 * into one buffer of its exact size; `help` splits the one with the most bytes to go.
 */
export class ShardFetches implements ShardFetcher {
	readonly #fetch: FetchLike;
	readonly #now: () => number;
	readonly #flights = new Set<Flight>();
	/**
	 * What each origin does with a Range request: sends the part (true), the whole file (false:
	 * never asked for parts again), or not known yet, while its first one is on its way ('asking':
	 * no second one until then).
	 */
	readonly #ranges = new Map<string, boolean | 'asking'>();
	/** The link as last seen: one connection's bytes per ms, and a request's wait for its answer. */
	#link: { rate: number; waitMs: number } | null = null;
	/** Helps waiting for a first measure of the link; woken by every chunk and every end. */
	#waiting: Array<() => void> = [];
	/** Helps waiting for the next shard; woken when one starts or ends. */
	#started: Array<() => void> = [];

	constructor(fetchFn: FetchLike, now: () => number = () => performance.now()) {
		this.#fetch = fetchFn;
		this.#now = now;
	}

	async fetch(
		request: ShardRequest,
		{ signal, onBytes, onFree }: ShardFetchOptions = {}
	): Promise<FetchedShard> {
		const { url, expectedBytes } = request;
		const controller = new AbortController();
		const relay = () => controller.abort(signal?.reason);
		if (signal?.aborted) relay();
		else signal?.addEventListener('abort', relay, { once: true });
		let settle: (error?: DownloadError) => void = () => undefined;
		const done = new Promise<void>((resolve, reject) => {
			settle = (error) => (error ? reject(error) : resolve());
		});
		// Nobody may be waiting on it yet when a part fails: that is reported through `fetch`.
		done.catch(() => undefined);
		const flight: Flight = {
			request,
			shard: new SplitShard(expectedBytes),
			md5: null,
			onBytes,
			controller,
			failure: null,
			done,
			settle: (error) => settle(error)
		};
		// Known at once, so that a help asked for right after it waits for its first bytes.
		this.#flights.add(flight);
		this.#wake(true);
		try {
			const md5 = request.hash ? await createMd5() : null;
			flight.md5 = md5;
			const asked = this.#now();
			const response = await fetchResponse(this.#fetch, url, {
				signal: controller.signal,
				expectedBytes
			});
			const first = flight.shard.segments[0] as Segment;
			await this.#read(flight, first, response, expectedBytes, this.#now() - asked);
			// Its own part is in while another connection's is not: this connection takes over
			// half of what is left of it, rather than wait idle (the scheduler counts it busy).
			while (!flight.shard.complete && !flight.failure) {
				const choice = this.#choose(flight);
				if (!choice || !(await this.#takeOver(choice))) break;
			}
			// Nothing left here worth a request: the rest comes over helps, and this connection
			// can start the next shard meanwhile.
			if (!flight.shard.complete && !flight.failure) onFree?.();
			await flight.done;
			return { body: flight.shard.bytes.buffer as ArrayBuffer, md5: md5 ? md5.digest() : null };
		} catch (error) {
			this.#fail(flight, error);
			throw flight.failure ?? toDownloadError(error, 'network', url);
		} finally {
			this.#flights.delete(flight);
			signal?.removeEventListener('abort', relay);
			this.#wake(true);
		}
	}

	prepare(): void {
		preloadMd5();
		// A new download may come from another host, or over a link that changed: measure it
		// again on its first shard rather than split (or not) by the last one's speed.
		if (this.#flights.size === 0) this.#link = null;
	}

	async help(signal?: AbortSignal): Promise<boolean> {
		// Once under way, a help ends with its shard (cancelling the shard cancels it).
		let choice = this.#choose();
		// The first shard's first bytes say how big a part is worth a request: wait for them.
		while (!choice && !this.#link && this.#flights.size > 0 && !signal?.aborted) {
			await new Promise<void>((resolve) => this.#waiting.push(resolve));
			choice = this.#choose();
		}
		let took = false;
		for (;;) {
			// Nothing to split now, but shards this link splits: the next shard the page starts
			// (when one ends) will be; wait for it once, rather than hand the connection back.
			if (!choice && this.#worthSplitting()) {
				await new Promise<void>((resolve) => this.#started.push(resolve));
				choice = this.#choose();
			}
			if (!choice || signal?.aborted || !(await this.#takeOver(choice))) return took;
			took = true;
			// Its part is in: the connection goes on helping here, without a round trip to the
			// page (whose thread may be busy with progress display).
			choice = this.#choose();
		}
	}

	/** Some shard in flight is big enough to split at this link's speed, from a server that can. */
	#worthSplitting(): boolean {
		const minBytes = this.#minSplitBytes();
		if (minBytes === null) return false;
		for (const flight of this.#flights) {
			if (flight.failure || flight.shard.size < 2 * minBytes) continue;
			if (this.#ranges.get(new URL(flight.request.url).origin) !== false) return true;
		}
		return false;
	}

	/**
	 * How big each half of a split must be, or null before the link was measured: long enough
	 * to be worth a request (SPLIT_WAITS request waits, and SPLIT_MS at one connection's speed:
	 * on a fast link, shards come whole quickly enough, and the writes are the limit anyway).
	 */
	#minSplitBytes(): number | null {
		if (!this.#link) return null;
		const { rate, waitMs } = this.#link;
		return Math.max(MIN_SPLIT_BYTES, rate * Math.max(SPLIT_WAITS * waitMs, SPLIT_MS));
	}

	/**
	 * Asks for `[at, end)` of the chosen segment (a Range request) and, if the server sends that
	 * part, reads it into the shard; false (nothing taken over) otherwise.
	 */
	async #takeOver({ flight, segment, at }: Choice): Promise<boolean> {
		const end = segment.end;
		const { url } = flight.request;
		const origin = new URL(url).origin;
		const known = this.#ranges.get(origin);
		if (known === undefined) this.#ranges.set(origin, 'asking');
		const learn = (sendsParts: boolean | undefined) => {
			if (known !== undefined) return;
			if (sendsParts === undefined) this.#ranges.delete(origin);
			else this.#ranges.set(origin, sendsParts);
		};
		segment.splitting = true;
		const asked = this.#now();
		let response: Response;
		try {
			response = await this.#fetch(url, {
				signal: flight.controller.signal,
				headers: { range: `bytes=${at}-${end - 1}` }
			});
		} catch {
			// The shard's own connection goes on, and reports any trouble of the server's.
			segment.splitting = false;
			learn(undefined);
			return false;
		}
		// 206 with the part's length, or no part at all: a server that ignores Range sends the
		// whole file (200), and is not asked again.
		const sendsParts = response.status === 206 && declaredLength(response) === end - at;
		learn(sendsParts ? true : response.status === 200 ? false : undefined);
		if (!sendsParts) {
			segment.splitting = false;
			await response.body?.cancel().catch(() => undefined);
			return false;
		}
		const taken = flight.failure ? null : flight.shard.split(segment, at);
		if (!taken) {
			await response.body?.cancel().catch(() => undefined);
			return false;
		}
		try {
			await this.#read(flight, taken, response, end, this.#now() - asked);
		} catch (error) {
			this.#fail(flight, error);
		}
		return true;
	}

	/**
	 * The segment with the most bytes to go, over every shard whose server sends parts, if each
	 * half would take several request waits at one connection's rate (a split costs a request).
	 */
	#choose(only?: Flight): Choice | null {
		const minBytes = this.#minSplitBytes();
		if (minBytes === null) return null;
		let best: Choice | null = null;
		for (const flight of only ? [only] : this.#flights) {
			if (flight.failure) continue;
			const ranges = this.#ranges.get(new URL(flight.request.url).origin);
			if (ranges === false || ranges === 'asking') continue;
			const point = flight.shard.splitPoint(minBytes);
			if (!point) continue;
			const left = (s: Segment) => s.end - s.next;
			if (!best || left(point.segment) > left(best.segment)) best = { flight, ...point };
		}
		return best;
	}

	/**
	 * Measures the link on a connection that received `bytes` since its first byte: at the end of
	 * every part, and early on the first shard's (before any part ended) once it ran for a while.
	 */
	#measure(bytes: number, firstByteAt: number, waitMs: number, early: boolean) {
		const elapsed = this.#now() - firstByteAt;
		if (early && (this.#link || elapsed < Math.max(waitMs, MEASURE_MS))) return;
		if (elapsed > 0) this.#link = { rate: bytes / elapsed, waitMs };
	}

	/** Wakes the helps waiting for bytes, and with `flights`, those waiting for a shard. */
	#wake(flights = false) {
		const waiting = flights ? [...this.#waiting, ...this.#started] : this.#waiting;
		this.#waiting = [];
		if (flights) this.#started = [];
		for (const wake of waiting) wake();
	}

	/**
	 * Reads one segment's body (a response for bytes up to `responseEnd`, asked for after
	 * `waitMs`) into the shard, counting and hashing what is new.
	 */
	async #read(
		flight: Flight,
		segment: Segment,
		response: Response,
		responseEnd: number,
		waitMs: number
	) {
		const { url } = flight.request;
		const { shard } = flight;
		if (!response.body) throw new DownloadError('network', 'no body', url);
		const reader = response.body.getReader();
		let firstByteAt: number | null = null;
		try {
			while (segment.next < segment.end) {
				if (flight.controller.signal.aborted) {
					throw new DownloadError('aborted', 'cancelled', url);
				}
				const { done, value } = await reader.read();
				if (done) throw sizeMismatch(url, shard.size, shard.size - shard.remaining);
				// Past what the response promised (not past a split: those bytes are another part's).
				if (segment.end === responseEnd && segment.next + value.byteLength > responseEnd) {
					throw sizeMismatch(url, shard.size, segment.next + value.byteLength);
				}
				firstByteAt ??= this.#now();
				const n = shard.write(segment, value);
				if (n > 0) {
					if (flight.md5) {
						const md5 = flight.md5;
						shard.hashReady((bytes) => md5.update(bytes));
					}
					flight.onBytes?.(n);
				}
				this.#measure(segment.next - segment.start, firstByteAt, waitMs, true);
				if (this.#waiting.length > 0) this.#wake();
			}
			if (firstByteAt !== null) {
				this.#measure(segment.end - segment.start, firstByteAt, waitMs, false);
			}
			if (segment.end === responseEnd) {
				// All it promised: anything more means the file is not the one described. Read to
				// its end, so that the connection can serve the next request.
				const extra = await reader.read();
				if (!extra.done) {
					throw sizeMismatch(url, shard.size, responseEnd + (extra.value?.byteLength ?? 1));
				}
			} else {
				// Another connection took the rest over: this one stops here.
				await reader.cancel().catch(() => undefined);
			}
		} catch (error) {
			await reader.cancel().catch(() => undefined);
			throw toDownloadError(error, 'network', url);
		}
		if (shard.complete) flight.settle();
	}

	/** The shard failed: every connection of it stops, and the first error is the one told. */
	#fail(flight: Flight, error: unknown) {
		if (!flight.failure) {
			const failure = toDownloadError(error, 'network', flight.request.url);
			flight.failure = failure;
			flight.settle(failure);
		}
		flight.controller.abort();
	}
}

/** Fetches and hashes one shard where it is called (tests, and code that needs just one). */
export function fetchShard(
	fetchFn: FetchLike,
	request: ShardRequest,
	options: ShardFetchOptions = {}
): Promise<FetchedShard> {
	return new ShardFetches(fetchFn).fetch(request, options);
}

export function inPageShards(fetchFn: FetchLike): ShardFetcher {
	return new ShardFetches(fetchFn);
}

/** What a worker sends when a shard failed: the error's parts, rebuilt on the page. */
export function failureReply(id: number, error: unknown, url: string): ShardReply {
	const failure = toDownloadError(error, 'network', url);
	return {
		kind: 'failed',
		id,
		code: failure.code,
		detail: failure.detail,
		facts: { ...failure.facts }
	};
}
