import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DownloadError } from '$lib/models/errors';
import { md5Of } from '$lib/models/md5';
import { failureReply, fetchShard, inPageShards } from '$lib/models/shardFetch';
import type { ShardMessage, ShardReply } from '$lib/models/shardProtocol';
import { WORKER_IDLE_MS, WorkerShards } from '$lib/models/shardWorker';
import type { FetchLike } from '$lib/models/transfer';

const BODY = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);

/** A server with one good file, one that fails with 503, and counts of what was asked. */
function server() {
	const asked: string[] = [];
	const fetch: FetchLike = async (url) => {
		asked.push(url);
		if (url.endsWith('/broken.bin')) return new Response('busy', { status: 503 });
		return new Response(BODY.slice(), {
			headers: { 'content-type': 'application/octet-stream' }
		});
	};
	return { fetch, asked };
}

/**
 * A worker in the test's own thread that answers as shards.worker.ts does (fetchShard, bytes in
 * batches, the body transferred, failures as their parts), unless `start` says it cannot start.
 */
class FakeWorker extends EventTarget {
	posted: ShardMessage[] = [];
	terminated = false;
	#cancelled = new Set<number>();
	constructor(
		private readonly fetchFn: FetchLike,
		private readonly start: 'ok' | 'fails' = 'ok'
	) {
		super();
		if (start === 'fails') queueMicrotask(() => this.dispatchEvent(new Event('error')));
	}
	postMessage(message: ShardMessage) {
		this.posted.push(message);
		if (this.start === 'fails') return;
		if (message.kind === 'cancel') this.#cancelled.add(message.id);
		else if (message.kind === 'help') this.#send({ kind: 'helped', id: message.id, helped: false });
		else if (message.kind === 'fetch') void this.#fetch(message);
	}
	terminate() {
		this.terminated = true;
	}
	#send(reply: ShardReply) {
		this.dispatchEvent(new MessageEvent('message', { data: reply }));
	}
	async #fetch({ id, ...request }: Extract<ShardMessage, { kind: 'fetch' }>) {
		try {
			const shard = await fetchShard(this.fetchFn, request, {
				onBytes: (n) => this.#send({ kind: 'bytes', id, n })
			});
			// As if helps had brought the end of it after its own connection was freed.
			if (request.url.endsWith('/helped.bin')) this.#send({ kind: 'free', id });
			this.#send({ kind: 'done', id, ...shard });
		} catch (error) {
			this.#send(failureReply(id, error, request.url));
		}
	}
}

function shards(start: 'ok' | 'fails' = 'ok') {
	const { fetch, asked } = server();
	const workers: FakeWorker[] = [];
	const fetcher = new WorkerShards(() => {
		const worker = new FakeWorker(fetch, start);
		workers.push(worker);
		return worker as unknown as Worker;
	}, inPageShards(fetch));
	return { fetcher, workers, asked };
}

const request = (name = 'params_shard_0.bin', hash = true) => ({
	url: `https://models.example/${name}`,
	expectedBytes: BODY.byteLength,
	hash
});

// The MD5 library loads (and compiles its WebAssembly) on first use: slow on a loaded machine.
beforeAll(() => md5Of(new Uint8Array(1)), 30_000);
afterEach(() => vi.useRealTimers());

describe('WorkerShards', () => {
	it('hands back the whole shard with its MD5, and reports every byte for progress', async () => {
		const { fetcher, workers } = shards();
		let progress = 0;
		const shard = await fetcher.fetch(request(), { onBytes: (n) => (progress += n) });
		expect(Buffer.from(shard.body).equals(BODY)).toBe(true);
		expect(shard.md5).toBe(await md5Of(BODY));
		expect(progress).toBe(BODY.byteLength);
		expect(workers).toHaveLength(1);
	});

	it('fetches several shards at once over one worker', async () => {
		const { fetcher, workers } = shards();
		const both = await Promise.all([
			fetcher.fetch(request('params_shard_0.bin')),
			fetcher.fetch(request('params_shard_1.bin', false))
		]);
		expect(both.map((s) => s.body.byteLength)).toEqual([BODY.byteLength, BODY.byteLength]);
		expect(both[1]?.md5).toBeNull();
		expect(workers).toHaveLength(1);
	});

	it('tells the page when a shard’s own connection is free, before the shard is whole', async () => {
		const { fetcher } = shards();
		const events: string[] = [];
		const options = { onFree: () => events.push('free') };
		await fetcher.fetch(request('helped.bin'), options);
		events.push('whole');
		await fetcher.fetch(request('params_shard_1.bin'), options);
		expect(events).toEqual(['free', 'whole']);
	});

	it('gives back a failure in the worker as the same typed error', async () => {
		const { fetcher } = shards();
		const error = await fetcher.fetch(request('broken.bin')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DownloadError);
		expect((error as DownloadError).code).toBe('server-error');
		expect((error as DownloadError).facts.status).toBe(503);
		expect((error as DownloadError).url).toBe('https://models.example/broken.bin');
	});

	it('a wrong size found in the worker is a size mismatch on the page', async () => {
		const { fetcher } = shards();
		const error = await fetcher
			.fetch({ ...request(), expectedBytes: BODY.byteLength + 1 })
			.catch((e: unknown) => e);
		expect((error as DownloadError).code).toBe('size-mismatch');
	});

	it('a cancel rejects at once, tells the worker, and ignores what it still sends', async () => {
		const { fetcher, workers } = shards();
		const controller = new AbortController();
		let progress = 0;
		const pending = fetcher.fetch(request(), {
			signal: controller.signal,
			onBytes: (n) => (progress += n)
		});
		controller.abort();
		const error = await pending.catch((e: unknown) => e);
		expect((error as DownloadError).code).toBe('aborted');
		expect(workers[0]?.posted.map((m) => m.kind)).toEqual(['fetch', 'cancel']);
		await new Promise((r) => setTimeout(r, 20));
		expect(progress).toBe(0);
	});

	it('when the worker cannot start, the page fetches the shard itself, and every later one', async () => {
		const { fetcher, workers, asked } = shards('fails');
		const first = await fetcher.fetch(request());
		expect(first.md5).toBe(await md5Of(BODY));
		const second = await fetcher.fetch(request('params_shard_1.bin'));
		expect(second.body.byteLength).toBe(BODY.byteLength);
		expect(workers).toHaveLength(1);
		expect(workers[0]?.terminated).toBe(true);
		expect(asked).toHaveLength(2);
	});

	it('getting ready starts the worker and has it load what the first shard needs', async () => {
		const { fetcher, workers } = shards();
		fetcher.prepare();
		expect(workers).toHaveLength(1);
		expect(workers[0]?.posted).toEqual([{ kind: 'prepare' }]);
		await fetcher.fetch(request());
		expect(workers).toHaveLength(1);
	});

	it('ends a worker left idle, and starts a fresh one for the next shard', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const { fetcher, workers } = shards();
		await fetcher.fetch(request());
		expect(workers[0]?.terminated).toBe(false);
		vi.advanceTimersByTime(WORKER_IDLE_MS);
		expect(workers[0]?.terminated).toBe(true);
		await fetcher.fetch(request());
		expect(workers).toHaveLength(2);
	});
});
