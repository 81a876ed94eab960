import { describe, expect, it } from 'vitest';
import type { CacheDb } from '$lib/models/artifacts';
import { DownloadError } from '$lib/models/errors';
import type { StoreMessage, StoreReply } from '$lib/models/shardProtocol';
import { WorkerShardWriter, type ShardWriter } from '$lib/models/shardStore';

const DB: CacheDb = 'webllm/model';

/**
 * A worker in the test's own thread that answers as shardStore.worker.ts does: 'ready' first,
 * then 'stored' or, once the disk is full, 'failed' with code 'quota'. Bodies are moved the way
 * postMessage moves them (transferred: the page's copy is detached).
 */
class FakeStoreWorker extends EventTarget {
	received: Array<{ url: string; bytes: number }> = [];
	terminated = false;
	full = false;
	constructor(private readonly start: 'ok' | 'fails' | 'silent' = 'ok') {
		super();
		if (start === 'ok') queueMicrotask(() => this.#send({ kind: 'ready' }));
		if (start === 'fails') queueMicrotask(() => this.dispatchEvent(new Event('error')));
	}
	opened: string[] = [];
	postMessage(message: StoreMessage, transfer: Transferable[] = []) {
		if (message.kind === 'open') {
			this.opened.push(message.db);
			return;
		}
		const moved = structuredClone(message, { transfer });
		this.received.push({ url: moved.url, bytes: moved.body.byteLength });
		queueMicrotask(() =>
			this.#send(
				this.full
					? { kind: 'failed', id: moved.id, code: 'quota', detail: 'QuotaExceededError' }
					: { kind: 'stored', id: moved.id }
			)
		);
	}
	crash() {
		this.dispatchEvent(new Event('error'));
	}
	terminate() {
		this.terminated = true;
	}
	#send(reply: StoreReply) {
		this.dispatchEvent(new MessageEvent('message', { data: reply }));
	}
}

/** A page-side writer that records what it was given. */
function pageWriter() {
	const written: Array<{ url: string; bytes: number }> = [];
	const writer: ShardWriter = {
		put: async (_db, url, body) => void written.push({ url, bytes: body.byteLength }),
		prepare: () => undefined
	};
	return { writer, written };
}

function setup(start: 'ok' | 'fails' | 'silent' = 'ok') {
	const workers: FakeStoreWorker[] = [];
	const fallback = pageWriter();
	const writer = new WorkerShardWriter(() => {
		const worker = new FakeStoreWorker(start);
		workers.push(worker);
		return worker as unknown as Worker;
	}, fallback.writer);
	return { writer, workers, written: fallback.written };
}

describe('WorkerShardWriter', () => {
	it('hands each shard to the worker without a copy on the page, and resolves once it is stored', async () => {
		const { writer, workers, written } = setup();
		const a = new ArrayBuffer(1000);
		const b = new ArrayBuffer(2000);
		await Promise.all([writer.put(DB, 'https://x/a.bin', a), writer.put(DB, 'https://x/b.bin', b)]);
		expect(workers).toHaveLength(1);
		expect(workers[0]?.received).toEqual([
			{ url: 'https://x/a.bin', bytes: 1000 },
			{ url: 'https://x/b.bin', bytes: 2000 }
		]);
		// Transferred: the page holds none of the bytes any more.
		expect(a.byteLength).toBe(0);
		expect(b.byteLength).toBe(0);
		expect(written).toEqual([]);
	});

	it('getting ready starts the worker and opens the database before any shard comes', async () => {
		const { writer, workers } = setup('silent');
		writer.prepare(DB);
		expect(workers).toHaveLength(1);
		// Sent at once (nothing of the page's goes with it), before the worker said it is up.
		expect(workers[0]?.opened).toEqual([DB]);
		expect(workers[0]?.received).toEqual([]);
		// The first shard then uses the same worker.
		workers[0]?.dispatchEvent(new MessageEvent('message', { data: { kind: 'ready' } }));
		await writer.put(DB, 'https://x/a.bin', new ArrayBuffer(10));
		expect(workers).toHaveLength(1);
		expect(workers[0]?.received).toEqual([{ url: 'https://x/a.bin', bytes: 10 }]);
	});

	it('keeps bodies on the page until the worker is up', async () => {
		const { writer, workers } = setup('silent');
		const body = new ArrayBuffer(10);
		let stored = false;
		void writer.put(DB, 'https://x/a.bin', body).then(() => (stored = true));
		await Promise.resolve();
		const worker = workers[0];
		expect(worker?.received).toEqual([]);
		expect(body.byteLength).toBe(10);
		worker?.dispatchEvent(new MessageEvent('message', { data: { kind: 'ready' } }));
		await expect.poll(() => stored).toBe(true);
		expect(worker?.received).toEqual([{ url: 'https://x/a.bin', bytes: 10 }]);
	});

	it('a full disk in the worker rejects that shard with a quota error', async () => {
		const { writer, workers } = setup();
		await writer.put(DB, 'https://x/a.bin', new ArrayBuffer(10));
		const worker = workers[0];
		if (worker) worker.full = true;
		const failure = await writer.put(DB, 'https://x/b.bin', new ArrayBuffer(10)).catch((e) => e);
		expect(failure).toBeInstanceOf(DownloadError);
		expect(failure).toMatchObject({ code: 'quota', url: 'https://x/b.bin' });
	});

	it('a worker that cannot start: the page writes the shards itself, whole', async () => {
		const { writer, workers, written } = setup('fails');
		const first = writer.put(DB, 'https://x/a.bin', new ArrayBuffer(10));
		await first;
		await writer.put(DB, 'https://x/b.bin', new ArrayBuffer(20));
		expect(written).toEqual([
			{ url: 'https://x/a.bin', bytes: 10 },
			{ url: 'https://x/b.bin', bytes: 20 }
		]);
		expect(workers).toHaveLength(1);
		expect(workers[0]?.terminated).toBe(true);
	});

	it('a worker that stops with a shard handed over fails that shard as a failed write', async () => {
		const { writer, workers } = setup();
		await writer.put(DB, 'https://x/a.bin', new ArrayBuffer(10));
		const worker = workers[0];
		// The next reply never comes: the worker crashes first.
		if (worker)
			worker.postMessage = (message, transfer) => void structuredClone(message, { transfer });
		const pending = writer.put(DB, 'https://x/b.bin', new ArrayBuffer(10)).catch((e) => e);
		await Promise.resolve();
		worker?.crash();
		expect(await pending).toMatchObject({ code: 'storage', url: 'https://x/b.bin' });
	});
});
