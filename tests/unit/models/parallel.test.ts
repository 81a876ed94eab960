import { describe, expect, it } from 'vitest';
import {
	AdaptiveConnections,
	fetchAndStoreAll,
	FixedConnections,
	type AdaptiveOptions,
	type ConnectionPolicy
} from '$lib/models/parallel';

/** A fetch per item that the test finishes by hand, watching how many are held at once. */
function harness(count: number) {
	const pending = new Map<
		number,
		{ resolve: (b: ArrayBuffer) => void; reject: (e: unknown) => void }
	>();
	const order: string[] = [];
	let held = 0;
	let peakHeld = 0;
	let fetching = 0;
	let peakFetching = 0;
	/** Writes waiting to be let through (`releaseStore`), oldest first. */
	const releases: Array<() => void> = [];
	let writing = 0;
	let peakWriting = 0;
	const frees = new Map<number, () => void>();
	let slowStore = false;
	return {
		order,
		pending,
		get peakHeld() {
			return peakHeld;
		},
		get peakFetching() {
			return peakFetching;
		},
		get peakWriting() {
			return peakWriting;
		},
		/** Each item's `free` (its own connection is done; helps bring the rest). */
		frees,
		set slowStore(value: boolean) {
			slowStore = value;
		},
		releaseStore: () => releases.shift()?.(),
		items: Array.from({ length: count }, (_, i) => i),
		fetch: (item: number, signal: AbortSignal, free: () => void) =>
			new Promise<ArrayBuffer>((resolve, reject) => {
				order.push(`fetch ${item}`);
				frees.set(item, free);
				fetching++;
				held++;
				peakFetching = Math.max(peakFetching, fetching);
				peakHeld = Math.max(peakHeld, held);
				const done = () => fetching--;
				signal.addEventListener('abort', () => {
					done();
					held--;
					reject(new DOMException('aborted', 'AbortError'));
				});
				pending.set(item, {
					resolve: (b) => {
						done();
						resolve(b);
					},
					reject: (e) => {
						done();
						held--;
						reject(e);
					}
				});
			}),
		store: async (item: number) => {
			writing++;
			peakWriting = Math.max(peakWriting, writing);
			if (slowStore) await new Promise<void>((r) => releases.push(r));
			writing--;
			order.push(`store ${item}`);
			held--;
		}
	};
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * A run of `count` items over four connections with a fetcher that can split: two start items,
 * two help (each help ends when the test calls its function in `helps`).
 */
async function helpingRun(count: number) {
	const h = harness(count);
	const helps: Array<(helped: boolean) => void> = [];
	const run = fetchAndStoreAll({
		...h,
		policy: new FixedConnections(4),
		help: () => new Promise<boolean>((resolve) => helps.push(resolve))
	});
	await tick();
	expect(h.order).toEqual(['fetch 0', 'fetch 1']);
	expect(helps).toHaveLength(2);
	return { h, helps, run };
}

describe('fetchAndStoreAll', () => {
	it('keeps up to the limit in flight and stores each one as it arrives', async () => {
		const h = harness(5);
		const run = fetchAndStoreAll({ ...h, policy: new FixedConnections(3) });
		await tick();
		expect(h.order).toEqual(['fetch 0', 'fetch 1', 'fetch 2']);
		h.pending.get(1)?.resolve(new ArrayBuffer(1));
		await tick();
		expect(h.order).toContain('store 1');
		expect(h.order).toContain('fetch 3');
		for (const i of [0, 2, 3]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		await tick();
		h.pending.get(4)?.resolve(new ArrayBuffer(1));
		await run;
		expect(h.order.filter((o) => o.startsWith('store')).sort()).toEqual(
			['store 0', 'store 1', 'store 2', 'store 3', 'store 4'].sort()
		);
		expect(h.peakFetching).toBe(3);
	});

	it('never holds more than the connections plus the two being stored, however slow the disk', async () => {
		const h = harness(8);
		h.slowStore = true;
		const run = fetchAndStoreAll({ ...h, policy: new FixedConnections(2) });
		for (let round = 0; round < 12; round++) {
			await tick();
			for (const [i, p] of [...h.pending]) {
				h.pending.delete(i);
				p.resolve(new ArrayBuffer(1));
			}
			await tick();
			h.releaseStore();
		}
		await run;
		expect(h.peakHeld).toBeLessThanOrEqual(4);
		expect(h.peakWriting).toBe(2);
	});

	it('writes two items at once (the next copy overlaps the last commit), never three', async () => {
		const h = harness(5);
		h.slowStore = true;
		const run = fetchAndStoreAll({ ...h, policy: new FixedConnections(3) });
		await tick();
		for (const i of [0, 1, 2]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		await tick();
		expect(h.peakWriting).toBe(2);
		// The third waits for a write to end; the held count lets two more fetches start.
		expect(h.order).toEqual(['fetch 0', 'fetch 1', 'fetch 2', 'fetch 3', 'fetch 4']);
		h.releaseStore();
		await tick();
		expect(h.order).toContain('store 0');
		for (const i of [3, 4]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		for (let i = 0; i < 4; i++) {
			await tick();
			h.releaseStore();
		}
		await run;
		expect(h.peakWriting).toBe(2);
		expect(h.order.filter((o) => o.startsWith('store'))).toEqual([
			'store 0',
			'store 1',
			'store 2',
			'store 3',
			'store 4'
		]);
	});

	it('after a failure, starts no new fetch but stores those in flight, then reports it', async () => {
		const h = harness(6);
		const run = fetchAndStoreAll({ ...h, policy: new FixedConnections(3) });
		await tick();
		h.pending.get(0)?.resolve(new ArrayBuffer(1));
		h.pending.get(1)?.reject(new Error('404'));
		await tick();
		h.pending.get(2)?.resolve(new ArrayBuffer(1));
		await tick();
		h.pending.get(3)?.resolve(new ArrayBuffer(1));
		await expect(run).rejects.toThrow('404');
		expect(h.order.filter((o) => o.startsWith('store')).sort()).toEqual([
			'store 0',
			'store 2',
			'store 3'
		]);
		expect(h.order).not.toContain('fetch 4');
	});

	it('stops at once when the signal aborts', async () => {
		const h = harness(4);
		const controller = new AbortController();
		const run = fetchAndStoreAll({
			...h,
			policy: new FixedConnections(2),
			signal: controller.signal
		});
		await tick();
		controller.abort();
		await expect(run).rejects.toThrow('aborted');
		expect(h.order).toEqual(['fetch 0', 'fetch 1']);
	});

	it('stops storing when a write fails (a full disk)', async () => {
		const h = harness(4);
		let writes = 0;
		const run = fetchAndStoreAll({
			...h,
			policy: new FixedConnections(2),
			store: async () => {
				writes++;
				throw new DOMException('full', 'QuotaExceededError');
			}
		});
		const failed = expect(run).rejects.toThrow('full');
		await tick();
		h.pending.get(0)?.resolve(new ArrayBuffer(1));
		await tick();
		// Stopped at once: the other fetch was cancelled, and nothing more is written.
		h.pending.get(1)?.resolve(new ArrayBuffer(1));
		await failed;
		expect(writes).toBe(1);
	});

	it('starts another fetch as soon as the policy raises its limit, mid-shard', async () => {
		const h = harness(4);
		let onChange = () => {};
		const policy: ConnectionPolicy & { limit: number } = {
			limit: 1,
			received: () => {},
			storing: () => {},
			listen: (listener) => (onChange = listener)
		};
		const run = fetchAndStoreAll({ ...h, policy });
		await tick();
		expect(h.order).toEqual(['fetch 0']);
		policy.limit = 2;
		onChange();
		await tick();
		expect(h.order).toEqual(['fetch 0', 'fetch 1']);
		for (const i of [0, 1, 2, 3]) {
			h.pending.get(i)?.resolve(new ArrayBuffer(1));
			await tick();
		}
		await run;
		expect(h.peakFetching).toBe(2);
	});

	it('tells the policy when each write starts and ends', async () => {
		const h = harness(2);
		const events: string[] = [];
		const policy: ConnectionPolicy = {
			limit: 1,
			received: () => {},
			storing: (busy) => events.push(busy ? 'write' : 'written'),
			listen: () => {}
		};
		const run = fetchAndStoreAll({ ...h, policy });
		await tick();
		h.pending.get(0)?.resolve(new ArrayBuffer(1));
		await tick();
		h.pending.get(1)?.resolve(new ArrayBuffer(1));
		await run;
		expect(events).toEqual(['write', 'written', 'write', 'written']);
	});

	it('with a fetcher that can split, half the connections start items and the others help', async () => {
		const { h, helps, run } = await helpingRun(3);
		// Nothing worth splitting: that connection starts the next item instead.
		helps.shift()?.(false);
		await tick();
		expect(h.order).toEqual(['fetch 0', 'fetch 1', 'fetch 2']);
		// A help that took part of an item over ends with it; the run waits for it.
		for (const i of [0, 1, 2]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		await tick();
		let finished = false;
		void run.then(() => (finished = true));
		await tick();
		expect(finished).toBe(false);
		for (const end of helps.splice(0)) end(true);
		await run;
		expect(h.peakFetching).toBe(3);
	});

	it('starts the next item on a connection its item no longer needs, and holds that item until it is in', async () => {
		const { h, helps, run } = await helpingRun(5);
		// Item 0's own part is in; a help brings the rest: its connection starts item 2.
		h.frees.get(0)?.();
		h.frees.get(0)?.();
		await tick();
		expect(h.order).toEqual(['fetch 0', 'fetch 1', 'fetch 2']);
		// Told twice, counted once: no fourth item while two have their own connections.
		expect(h.peakFetching).toBe(3);
		// Item 2 comes whole: its connection starts item 3. Told afterwards that it is free, nothing
		// changes (a late word frees no second connection).
		h.pending.get(2)?.resolve(new ArrayBuffer(1));
		await tick();
		h.frees.get(2)?.();
		await tick();
		expect(h.order.filter((o) => o.startsWith('fetch'))).toEqual([
			'fetch 0',
			'fetch 1',
			'fetch 2',
			'fetch 3'
		]);
		h.frees.get(1)?.();
		await tick();
		expect(h.order).toContain('fetch 4');
		for (const i of [0, 1, 3, 4]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		let finished = false;
		void run.then(() => (finished = true));
		while (!finished) {
			for (const end of helps.splice(0)) end(false);
			await tick();
		}
		expect(h.order.filter((o) => o.startsWith('store'))).toHaveLength(5);
	});

	it('tells the policy how many whole shards wait for the disk', async () => {
		const h = harness(3);
		h.slowStore = true;
		const waiting: number[] = [];
		const policy: ConnectionPolicy = {
			limit: 3,
			received: () => {},
			storing: () => {},
			waiting: (n) => waiting.push(n),
			listen: () => {}
		};
		const run = fetchAndStoreAll({ ...h, policy });
		await tick();
		for (const i of [0, 1, 2]) h.pending.get(i)?.resolve(new ArrayBuffer(1));
		await tick();
		// Two are being written; the third waits.
		expect(waiting.at(-1)).toBe(1);
		for (let i = 0; i < 3; i++) {
			h.releaseStore();
			await tick();
		}
		await run;
		expect(waiting.at(-1)).toBe(0);
	});

	it('finishes at once with nothing to fetch', async () => {
		const h = harness(0);
		await expect(fetchAndStoreAll({ ...h, policy: new FixedConnections(2) })).resolves.toBe(
			undefined
		);
	});
});

/**
 * Drives a policy in steps of 10 ms over a link where each connection carries `perConnection`
 * bytes/ms, the whole link `link`, and the disk stores `disk` bytes/ms. The first bytes come after
 * `firstByteMs` (a round trip); the first write starts once the first shard is in (`firstWriteMs`).
 * Returns the limit after every step.
 */
function simulate(
	{
		perConnection,
		link = Infinity,
		disk = Infinity,
		firstByteMs = 20,
		firstWriteMs = 300,
		seconds = 10
	}: {
		perConnection: number;
		link?: number;
		disk?: number;
		firstByteMs?: number;
		firstWriteMs?: number;
		seconds?: number;
	},
	options: AdaptiveOptions = {}
) {
	let clock = 0;
	const policy = new AdaptiveConnections({ now: () => clock, ...options });
	const limits: number[] = [];
	const step = 10;
	for (let t = 0; t < seconds * 1000; t += step) {
		const network = t < firstByteMs ? 0 : Math.min(perConnection * policy.limit, link);
		// Writes were busy this share of the step (all of it when the disk is the limit).
		const busy = t < firstWriteMs ? 0 : Math.min(1, network / disk);
		if (busy > 0) policy.storing(true);
		clock += busy * step;
		if (busy > 0) policy.storing(false);
		clock += (1 - busy) * step;
		if (network > 0) policy.received(Math.min(network, disk) * step);
		limits.push(policy.limit);
	}
	/** The limit at `ms` into the run. */
	const at = (ms: number) => limits[Math.floor(ms / step) - 1];
	return { policy, limits, at };
}

describe('AdaptiveConnections', () => {
	it('uses a link that caps each connection fully within a fraction of a second', () => {
		// 40 MB/s per connection, 32 MB shards: waiting for whole shards took 10 of 16 to get here.
		const { policy, at } = simulate({ perConnection: 40_000, firstWriteMs: 840 });
		expect(at(100)).toBe(2);
		expect(at(300)).toBe(4);
		expect(policy.limit).toBe(4);
		expect(policy.peak).toBe(4);
	});

	it('judges a long link over a longer window (its new connections start slowly)', () => {
		// A 300 ms wait for the first byte: each level is measured for 4 of those.
		const { policy, at } = simulate({ perConnection: 5_000, firstByteMs: 300 });
		expect(at(1500)).toBe(2);
		expect(at(1800)).toBe(4);
		expect(policy.limit).toBe(4);
	});

	it('stays at two connections when storing is the limit (a fast local link)', () => {
		const { policy, limits } = simulate({
			perConnection: 300_000,
			disk: 100_000,
			firstWriteMs: 40
		});
		expect(policy.peak).toBe(2);
		expect(new Set(limits)).toEqual(new Set([2]));
	});

	it('stops adding once storing becomes the limit', () => {
		const { policy } = simulate(
			{ perConnection: 40_000, disk: 100_000, firstWriteMs: 100 },
			{ max: 8 }
		);
		expect(policy.limit).toBe(4);
		expect(policy.peak).toBe(4);
	});

	it('takes back a step that is no faster (the link is the limit), and stays', () => {
		const { policy, limits } = simulate({ perConnection: 40_000, link: 80_000 });
		expect(policy.limit).toBe(2);
		expect(policy.peak).toBe(4);
		expect(new Set(limits.slice(-500))).toEqual(new Set([2]));
	});

	it('takes a shard waiting for the disk as proof that storing is the limit, at once', () => {
		let clock = 0;
		const policy = new AdaptiveConnections({ now: () => clock });
		for (let i = 0; i < 10; i++) {
			clock += 50;
			policy.received(100_000);
			policy.waiting(i === 2 ? 1 : 0);
		}
		expect([policy.limit, policy.peak]).toEqual([2, 2]);
	});

	it('takes back a step being tried as soon as a shard waits for the disk', () => {
		let clock = 0;
		const policy = new AdaptiveConnections({ now: () => clock });
		const seen: number[] = [];
		policy.listen(() => seen.push(policy.limit));
		for (let i = 0; i < 5; i++) {
			clock += 50;
			policy.received(100_000);
		}
		expect(policy.limit).toBe(4);
		policy.waiting(1);
		expect(policy.limit).toBe(2);
		for (let i = 0; i < 20; i++) {
			clock += 50;
			policy.received(1_000_000);
		}
		expect(seen).toEqual([4, 2]);
	});

	it('does not take a write that just began for a busy disk', () => {
		// The first shard arrives just before the first window ends; its write is all there is.
		const { at } = simulate({ perConnection: 40_000, disk: 60_000, firstWriteMs: 220 });
		expect(at(300)).toBe(4);
	});

	it('never goes above its cap, nor starts above it', () => {
		expect(simulate({ perConnection: 10_000 }, { max: 3 }).policy.peak).toBe(3);
		const one = simulate({ perConnection: 10_000 }, { max: 1 }).policy;
		expect([one.limit, one.peak]).toEqual([1, 1]);
	});

	it('tells its listener when the limit changes', () => {
		let clock = 0;
		const policy = new AdaptiveConnections({ now: () => clock, max: 8 });
		const seen: number[] = [];
		policy.listen(() => seen.push(policy.limit));
		for (let i = 0; i < 40; i++) {
			clock += 100;
			policy.received(1000 * policy.limit);
		}
		expect(seen).toEqual([4, 8]);
	});
});
