import { afterEach, describe, expect, it, vi } from 'vitest';
import { LazyWorker } from '$lib/models/lazyWorker';

class FakeWorker extends EventTarget {
	terminated = false;
	terminate() {
		this.terminated = true;
	}
	say(data: string) {
		this.dispatchEvent(new MessageEvent('message', { data }));
	}
	crash() {
		this.dispatchEvent(new Event('error', { cancelable: true }));
	}
}

function lazy(create: () => FakeWorker = () => new FakeWorker()) {
	const workers: FakeWorker[] = [];
	const replies: string[] = [];
	let failures = 0;
	const worker = new LazyWorker<string>({
		create: () => {
			const made = create();
			workers.push(made);
			return made as unknown as Worker;
		},
		idleMs: 1000,
		onReply: (reply) => replies.push(reply),
		onFailed: () => failures++
	});
	return { worker, workers, replies, failures: () => failures };
}

describe('LazyWorker', () => {
	afterEach(() => vi.useRealTimers());

	it('starts one worker on first use and relays its replies', () => {
		const { worker, workers, replies } = lazy();
		expect(worker.running).toBeNull();
		const first = worker.start();
		expect(worker.start()).toBe(first);
		expect(workers).toHaveLength(1);
		workers[0]?.say('hello');
		expect(replies).toEqual(['hello']);
	});

	it('ends a worker left idle, unless it is used again first; the next use starts a fresh one', () => {
		vi.useFakeTimers();
		const { worker, workers, replies } = lazy();
		worker.start();
		worker.idle();
		vi.advanceTimersByTime(900);
		worker.start(); // Used again: the idle ending is called off.
		vi.advanceTimersByTime(900);
		expect(workers[0]?.terminated).toBe(false);
		worker.idle();
		vi.advanceTimersByTime(1000);
		expect(workers[0]?.terminated).toBe(true);
		expect(worker.running).toBeNull();
		workers[0]?.say('late'); // An ended worker's messages are dropped.
		expect(replies).toEqual([]);
		worker.start();
		expect(workers).toHaveLength(2);
	});

	it('a worker that fails is ended, its owner told once, and none starts again', () => {
		const { worker, workers, failures } = lazy();
		worker.start();
		workers[0]?.crash();
		workers[0]?.crash();
		expect(workers[0]?.terminated).toBe(true);
		expect(failures()).toBe(1);
		expect(worker.broken).toBe(true);
		expect(worker.start()).toBeNull();
		expect(workers).toHaveLength(1);
	});

	it('a worker that cannot be created is broken at once', () => {
		const { worker } = lazy(() => {
			throw new Error('no workers here');
		});
		expect(worker.start()).toBeNull();
		expect(worker.broken).toBe(true);
	});
});
