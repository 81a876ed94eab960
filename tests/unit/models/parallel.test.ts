import { describe, expect, it } from 'vitest';
import { AdaptiveConnections, fetchAndStoreAll, FixedConnections } from '$lib/models/parallel';

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
	let releaseStore: (() => void) | null = null;
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
		set slowStore(value: boolean) {
			slowStore = value;
		},
		releaseStore: () => releaseStore?.(),
		items: Array.from({ length: count }, (_, i) => i),
		fetch: (item: number, signal: AbortSignal) =>
			new Promise<ArrayBuffer>((resolve, reject) => {
				order.push(`fetch ${item}`);
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
			if (slowStore) await new Promise<void>((r) => (releaseStore = r));
			order.push(`store ${item}`);
			held--;
		}
	};
}

const tick = () => new Promise((r) => setTimeout(r, 0));

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

	it('never holds more than the connections plus the one being stored, however slow the disk', async () => {
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
		expect(h.peakHeld).toBeLessThanOrEqual(3);
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
		await tick();
		h.pending.get(0)?.resolve(new ArrayBuffer(1));
		h.pending.get(1)?.resolve(new ArrayBuffer(1));
		await expect(run).rejects.toThrow('full');
		expect(writes).toBe(1);
	});

	it('finishes at once with nothing to fetch', async () => {
		const h = harness(0);
		await expect(fetchAndStoreAll({ ...h, policy: new FixedConnections(2) })).resolves.toBe(
			undefined
		);
	});
});

/** Drives a policy with a link where each connection carries `perConnection` bytes/ms, up to `total`. */
function simulate(perConnection: number, total: number, shards = 40, shardBytes = 1000) {
	let clock = 0;
	const policy = new AdaptiveConnections({ now: () => clock, minWindowMs: 1 });
	const limits: number[] = [];
	for (let i = 0; i < shards; i++) {
		const rate = Math.min(total, perConnection * policy.limit);
		// One shard's worth of time at the aggregate rate per finished shard.
		clock += shardBytes / rate;
		policy.received(shardBytes);
		policy.shardDone();
		limits.push(policy.limit);
	}
	return { policy, limits };
}

describe('AdaptiveConnections', () => {
	it('adds connections while each adds speed, up to the cap', () => {
		const { policy } = simulate(40, 1_000);
		expect(policy.limit).toBe(4);
	});

	it('goes back to the last useful number when one more adds nothing (disk-bound)', () => {
		const { policy, limits } = simulate(40, 111);
		expect(policy.limit).toBe(3);
		expect(policy.peak).toBe(4);
		// It settled: no more probing later.
		expect(new Set(limits.slice(-20))).toEqual(new Set([3]));
	});

	it('stays at one connection when a second is no faster', () => {
		const { policy } = simulate(100, 100);
		expect(policy.limit).toBe(1);
		expect(policy.peak).toBe(2);
	});

	it('never goes above its cap', () => {
		let clock = 0;
		const policy = new AdaptiveConnections({ max: 2, now: () => clock, minWindowMs: 1 });
		for (let i = 0; i < 20; i++) {
			clock += 10 / policy.limit;
			policy.received(1000);
			policy.shardDone();
		}
		expect(policy.limit).toBe(2);
	});
});
