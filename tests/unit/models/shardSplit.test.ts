import { beforeAll, describe, expect, it } from 'vitest';
import { DownloadError } from '$lib/models/errors';
import { md5Of } from '$lib/models/md5';
import { ShardFetches } from '$lib/models/shardFetch';
import { SPLIT_MARGIN_BYTES, SplitShard, type Segment } from '$lib/models/shardSplit';
import type { FetchLike } from '$lib/models/transfer';

const MIB = 1024 * 1024;
const BODY = Uint8Array.from({ length: 12 * MIB }, (_, i) => (i * 7 + (i >> 16)) % 251);
const URL_A = 'https://models.example/m/params_shard_0.bin';
const URL_B = 'https://models.example/m/params_shard_1.bin';

/**
 * Serves BODY in 64 KiB chunks, one per macrotask (so that a second connection interleaves),
 * with parts for `Range` unless `ranges` is false. `cutPart` ends a part's body early with a
 * network error; `slowParts` sends parts at a quarter of the speed (`partTicks`: at 1/n). Records each request's Range
 * header (null: the whole file).
 */
function server({ ranges = true, cutPart = false, slowParts = false, partTicks = 0 } = {}) {
	const asked: Array<string | null> = [];
	const fetch: FetchLike = async (_url, init) => {
		const range = init?.headers?.range ?? null;
		asked.push(range);
		const match = ranges && range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
		const from = match ? Number(match[1]) : 0;
		const to = match ? Number(match[2]) + 1 : BODY.byteLength;
		const part = BODY.subarray(from, to);
		let offset = 0;
		const stream = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const ticks = match ? partTicks || (slowParts ? 4 : 1) : 1;
				for (let i = 0; i < ticks; i++) {
					await new Promise((r) => setTimeout(r, 0));
				}
				if (init?.signal?.aborted) {
					controller.error(new DOMException('aborted', 'AbortError'));
				} else if (match && cutPart && offset >= part.byteLength / 2) {
					controller.error(new TypeError('connection reset'));
				} else if (offset >= part.byteLength) {
					controller.close();
				} else {
					controller.enqueue(part.slice(offset, offset + 64 * 1024));
					offset += 64 * 1024;
				}
			}
		});
		return new Response(stream, {
			status: match ? 206 : 200,
			headers: {
				'content-type': 'application/octet-stream',
				'content-length': String(part.byteLength)
			}
		});
	};
	return { fetch, asked };
}

/** A clock that moves five milliseconds each time it is read (a link of a few MB/s). */
function clock() {
	let t = 0;
	return () => (t += 5);
}

const request = (url = URL_A) => ({ url, expectedBytes: BODY.byteLength, hash: true });

beforeAll(() => md5Of(new Uint8Array(1)), 30_000);

describe('SplitShard', () => {
	const chunk = (n: number, value = 1) => new Uint8Array(n).fill(value);

	it('keeps a segment to its own bytes once another took over the rest', () => {
		const shard = new SplitShard(8 * MIB);
		const first = shard.segments[0] as Segment;
		shard.write(first, chunk(MIB));
		const taken = shard.split(first, 4 * MIB);
		expect(taken).toMatchObject({ start: 4 * MIB, end: 8 * MIB });
		expect(first.end).toBe(4 * MIB);
		// A chunk crossing the split point: only the bytes before it are the segment's.
		expect(shard.write(first, chunk(3 * MIB + 10))).toBe(3 * MIB);
		expect(shard.remaining).toBe(4 * MIB);
	});

	it('hashes the bytes in order, however the segments arrive', () => {
		const shard = new SplitShard(4 * MIB);
		const first = shard.segments[0] as Segment;
		const second = shard.split(first, 2 * MIB) as Segment;
		const hashed: number[] = [];
		const update = (bytes: Uint8Array) => hashed.push(bytes.byteLength);
		shard.write(second, chunk(2 * MIB, 2));
		shard.hashReady(update);
		expect(hashed).toEqual([]);
		shard.write(first, chunk(MIB));
		shard.hashReady(update);
		shard.write(first, chunk(MIB));
		shard.hashReady(update);
		expect(hashed).toEqual([MIB, MIB, 2 * MIB]);
		expect(shard.complete).toBe(true);
	});

	it('splits the segment with the most to go, in the middle, and only if both halves are big enough', () => {
		const shard = new SplitShard(16 * MIB);
		const first = shard.segments[0] as Segment;
		shard.write(first, chunk(4 * MIB));
		expect(shard.splitPoint(MIB)).toEqual({ segment: first, at: 10 * MIB });
		expect(shard.splitPoint(7 * MIB)).toBeNull();
	});

	it('refuses a split its own connection has nearly reached meanwhile', () => {
		const shard = new SplitShard(8 * MIB);
		const first = shard.segments[0] as Segment;
		shard.write(first, chunk(4 * MIB - SPLIT_MARGIN_BYTES + 1));
		expect(shard.split(first, 4 * MIB)).toBeNull();
		expect(first.end).toBe(8 * MIB);
		expect(shard.segments).toHaveLength(1);
	});
});

describe('ShardFetches.help', () => {
	it('takes over the second half of a shard in flight: the shard comes whole, hashed, counted once', async () => {
		const { fetch, asked } = server();
		const fetches = new ShardFetches(fetch, clock());
		let progress = 0;
		const shard = fetches.fetch(request(), { onBytes: (n) => (progress += n) });
		const helped = fetches.help();
		const [{ body, md5 }, wasHelped] = await Promise.all([shard, helped]);
		expect(wasHelped).toBe(true);
		expect(asked).toHaveLength(2);
		expect(asked[1]).toMatch(/^bytes=\d+-12582911$/);
		expect(Buffer.from(body).equals(Buffer.from(BODY))).toBe(true);
		expect(md5).toBe(await md5Of(BODY));
		expect(progress).toBe(BODY.byteLength);
	});

	it('a connection whose own part is in takes over half of what another still has to receive', async () => {
		const { fetch, asked } = server({ slowParts: true });
		const fetches = new ShardFetches(fetch, clock());
		let progress = 0;
		const shard = fetches.fetch(request(), { onBytes: (n) => (progress += n) });
		expect(await fetches.help()).toBe(true);
		const { body, md5 } = await shard;
		expect(asked.filter((range) => range !== null).length).toBeGreaterThanOrEqual(2);
		expect(Buffer.from(body).equals(Buffer.from(BODY))).toBe(true);
		expect(md5).toBe(await md5Of(BODY));
		expect(progress).toBe(BODY.byteLength);
	});

	it('frees a shard’s own connection once nothing is left worth taking over, while a help brings the rest', async () => {
		// Parts at half speed: when the shard's own part is in, the help's has too little left
		// to be worth splitting again.
		const { fetch } = server({ partTicks: 2 });
		const fetches = new ShardFetches(fetch, clock());
		const events: string[] = [];
		const shard = fetches
			.fetch(request(), { onFree: () => events.push('free') })
			.then((fetched) => (events.push('whole'), fetched));
		const helped = fetches.help().then(() => events.push('help ended'));
		const [{ body, md5 }] = await Promise.all([shard, helped]);
		// Freed before the shard was whole (the help still had its part to bring).
		expect([...events].sort()).toEqual(['free', 'help ended', 'whole']);
		expect(events.indexOf('free')).toBeLessThan(events.indexOf('whole'));
		expect(Buffer.from(body).equals(Buffer.from(BODY))).toBe(true);
		expect(md5).toBe(await md5Of(BODY));
	});

	it('does not free a connection that brought its shard whole', async () => {
		const { fetch } = server();
		const fetches = new ShardFetches(fetch, clock());
		let freed = 0;
		const { md5 } = await fetches.fetch(request(), { onFree: () => freed++ });
		expect(md5).toBe(await md5Of(BODY));
		expect(freed).toBe(0);
	});

	it('is declined by a server that sends the whole file for a Range, which is not asked again', async () => {
		const { fetch, asked } = server({ ranges: false });
		const fetches = new ShardFetches(fetch, clock());
		const shard = fetches.fetch(request());
		// Two at once: the second waits for what the first finds out, and asks nothing.
		expect(await Promise.all([fetches.help(), fetches.help()])).toEqual([false, false]);
		const next = fetches.fetch(request(URL_B));
		expect(await fetches.help()).toBe(false);
		const [a, b] = await Promise.all([shard, next]);
		expect(a.md5).toBe(await md5Of(BODY));
		expect(b.md5).toBe(a.md5);
		// The whole file twice, and one Range request: the one that found out.
		expect(asked).toEqual([null, expect.stringMatching(/^bytes=/), null]);
	});

	it('declines when no shard has enough left to split', async () => {
		const { fetch, asked } = server();
		const fetches = new ShardFetches(fetch, clock());
		expect(await fetches.help()).toBe(false);
		const shard = fetches.fetch({ ...request(), expectedBytes: BODY.byteLength });
		await shard;
		expect(await fetches.help()).toBe(false);
		expect(asked).toEqual([null]);
	});

	it('declines on a link fast enough that each half would come in a blink (the writes are the limit)', async () => {
		const { fetch, asked } = server();
		let t = 0;
		const fetches = new ShardFetches(fetch, () => (t += 0.05));
		const shard = fetches.fetch(request());
		expect(await fetches.help()).toBe(false);
		await shard;
		expect(asked).toEqual([null]);
	});

	it('measures the link again for a new download: a link that got slow is split at once', async () => {
		const { fetch, asked } = server();
		let step = 0.05; // First a fast link: nothing is split.
		let t = 0;
		const fetches = new ShardFetches(fetch, () => (t += step));
		const first = fetches.fetch(request());
		expect(await fetches.help()).toBe(false);
		await first;
		// A new download, over a slow link: without measuring again, the fast link's figure
		// would decline every help until a whole part had come in.
		step = 5;
		fetches.prepare();
		const second = fetches.fetch(request(URL_B));
		expect(await fetches.help()).toBe(true);
		expect((await second).md5).toBe(await md5Of(BODY));
		expect(asked.filter((range) => range !== null)).toHaveLength(1);
	});

	it('a part that fails fails its shard, with that part’s error', async () => {
		const { fetch } = server({ cutPart: true });
		const fetches = new ShardFetches(fetch, clock());
		const shard = fetches.fetch(request()).catch((e: unknown) => e);
		expect(await fetches.help()).toBe(true);
		const error = await shard;
		expect(error).toBeInstanceOf(DownloadError);
		expect((error as DownloadError).code).toBe('network');
		expect((error as DownloadError).detail).toContain('connection reset');
	});

	it('a cancel stops the shard and its helper', async () => {
		const { fetch } = server();
		const fetches = new ShardFetches(fetch, clock());
		const controller = new AbortController();
		const shard = fetches.fetch(request(), { signal: controller.signal }).catch((e: unknown) => e);
		const helped = fetches.help();
		await new Promise((r) => setTimeout(r, 50));
		controller.abort();
		expect(((await shard) as DownloadError).code).toBe('aborted');
		await expect(helped).resolves.toBeTypeOf('boolean');
	});
});
