import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from '$lib/chat/throttle';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('throttle', () => {
	it('writes the latest value at most once per interval', async () => {
		const written: string[] = [];
		const save = throttle(async (v: string) => void written.push(v), 500);
		save.push('a');
		save.push('ab');
		save.push('abc');
		expect(written).toEqual([]);
		await vi.advanceTimersByTimeAsync(500);
		expect(written).toEqual(['abc']);
		save.push('abcd');
		await vi.advanceTimersByTimeAsync(499);
		expect(written).toEqual(['abc']);
		await vi.advanceTimersByTimeAsync(1);
		expect(written).toEqual(['abc', 'abcd']);
	});

	it('flushes the pending value at once and waits for it', async () => {
		const written: string[] = [];
		const save = throttle(async (v: string) => void written.push(v), 500);
		save.push('final');
		await save.flush();
		expect(written).toEqual(['final']);
		await vi.advanceTimersByTimeAsync(1000);
		expect(written).toEqual(['final']);
	});

	it('never runs two writes at once', async () => {
		let active = 0;
		let maxActive = 0;
		const save = throttle(async () => {
			active++;
			maxActive = Math.max(maxActive, active);
			await new Promise((r) => setTimeout(r, 800));
			active--;
		}, 100);
		save.push(1);
		await vi.advanceTimersByTimeAsync(100);
		save.push(2);
		await vi.advanceTimersByTimeAsync(100);
		const done = save.flush();
		await vi.advanceTimersByTimeAsync(2000);
		await done;
		expect(maxActive).toBe(1);
	});

	it('forgets a cancelled value and reports failed writes', async () => {
		const errors: unknown[] = [];
		const save = throttle(
			async (v: string) => {
				if (v === 'bad') throw new Error('quota');
			},
			100,
			(e) => errors.push(e)
		);
		save.push('dropped');
		save.cancel();
		save.push('bad');
		await save.flush();
		expect(errors).toHaveLength(1);
		await save.flush();
		expect(errors).toHaveLength(1);
	});
});
