// Messages between the page (`WorkerShards`, shardWorker.ts) and shards.worker.ts.
import type { CacheDb } from './artifacts';
import type { DownloadErrorCode } from './errors';

export interface ShardRequest {
	url: string;
	/** The size tensor-cache.json gives: the body must be exactly this long. */
	expectedBytes: number;
	/** Whether to compute the body's MD5 while it arrives. */
	hash: boolean;
}

export type ShardMessage =
	| ({ kind: 'fetch'; id: number } & ShardRequest)
	/** Stop fetching `id`; the page has already given up on it. */
	| { kind: 'cancel'; id: number }
	/**
	 * Use one more connection for a shard in flight (`ShardFetcher.help`); `id` names the help.
	 * It ends with that shard (cancelling the shard cancels its help).
	 */
	| { kind: 'help'; id: number }
	/** Shards are coming: load what the first one needs now (the MD5 library). */
	| { kind: 'prepare' };

export type ShardReply =
	/** More bytes of `id` arrived (progress), in batches. */
	| { kind: 'bytes'; id: number; n: number }
	/** Shard `id`'s own connection is free; helps bring the rest (`ShardFetchOptions.onFree`). */
	| { kind: 'free'; id: number }
	/** Help `id` ended: whether it took part of a shard over. */
	| { kind: 'helped'; id: number; helped: boolean }
	/** The whole body, transferred, and its MD5 when asked for. */
	| { kind: 'done'; id: number; body: ArrayBuffer; md5: string | null }
	| {
			kind: 'failed';
			id: number;
			code: DownloadErrorCode;
			detail: string;
			facts: Record<string, number | string>;
	  };

/** The worker reports progress once this many bytes arrived, or this long passed. */
export const PROGRESS_BATCH_BYTES = 1024 * 1024;
export const PROGRESS_BATCH_MS = 100;

/**
 * Batches a shard's byte counts for the page (`post`): its first bytes at once, since the page's
 * connection policy times the link's first-byte wait by them (batched, that wait read 100 ms or
 * more on a loopback link, and the ramp to more connections waited four times that), then once
 * `PROGRESS_BATCH_BYTES` arrived or `PROGRESS_BATCH_MS` passed. `flush` sends what is left.
 */
export function progressBatches(post: (n: number) => void, now = () => performance.now()) {
	let unreported = 0;
	let reportedAt: number | null = null;
	const flush = () => {
		if (unreported > 0) post(unreported);
		unreported = 0;
		reportedAt = now();
	};
	return {
		add(n: number) {
			unreported += n;
			if (
				reportedAt === null ||
				unreported >= PROGRESS_BATCH_BYTES ||
				now() - reportedAt >= PROGRESS_BATCH_MS
			)
				flush();
		},
		flush
	};
}

// Messages between the page (`WorkerShardWriter`, shardStore.ts) and shardStore.worker.ts.

export type StoreMessage =
	/** Store one whole, checked shard (transferred, not copied) under `url` in WebLLM's `db`. */
	| { kind: 'put'; id: number; db: CacheDb; url: string; body: ArrayBuffer }
	/** Shards are coming: open `db` now, so that the first write does not wait for it. */
	| { kind: 'open'; db: CacheDb };

export type StoreReply =
	/** The worker is up (sent once, first): from now on bodies can be handed to it. */
	| { kind: 'ready' }
	/** The write of `id` is committed. */
	| { kind: 'stored'; id: number }
	| { kind: 'failed'; id: number; code: DownloadErrorCode; detail: string };
