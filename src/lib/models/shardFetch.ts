// One weight shard over the network, read into a buffer of its exact size and hashed as it
// arrives (MD5, see integrity.ts). In the app this runs in a worker (shards.worker.ts, driven by
// `WorkerShards` in shardWorker.ts): reading a body chunk by chunk and hashing it kept the page's
// main thread, where the writes to IndexedDB must also run, busy most of the time (a profile of a
// 512 MB download on a loaded machine: 1.5 s of MD5, 1.8 s of stream reading, 0.9 s of writes,
// 1.8 s idle), so the download ran slower than a loop that only fetches and stores. In the
// worker, the page is left with the writes; a finished shard is handed over without a copy
// (transferred). Where no worker can start, and in unit tests, `inPageShards` does the same work
// on the page.
import { toDownloadError } from './errors';
import { createMd5 } from './md5';
import type { ShardReply, ShardRequest } from './shardProtocol';
import { fetchBytes, type FetchLike } from './transfer';

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
}

export interface ShardFetcher {
	/** The shard, of exactly `expectedBytes`; rejects with a DownloadError. */
	fetch(request: ShardRequest, options?: ShardFetchOptions): Promise<FetchedShard>;
}

/** Fetches and hashes one shard where it is called (the worker's body, and the fallback). */
export async function fetchShard(
	fetchFn: FetchLike,
	{ url, expectedBytes, hash }: ShardRequest,
	{ signal, onBytes }: ShardFetchOptions = {}
): Promise<FetchedShard> {
	const md5 = hash ? await createMd5() : null;
	const body = await fetchBytes(fetchFn, url, {
		signal,
		expectedBytes,
		onBytes,
		onChunk: md5 ? (bytes) => md5.update(bytes) : undefined
	});
	return { body, md5: md5 ? md5.digest() : null };
}

export function inPageShards(fetchFn: FetchLike): ShardFetcher {
	return { fetch: (request, options) => fetchShard(fetchFn, request, options) };
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
