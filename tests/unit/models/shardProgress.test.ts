import { describe, expect, it } from 'vitest';
import {
	PROGRESS_BATCH_BYTES,
	PROGRESS_BATCH_MS,
	progressBatches
} from '$lib/models/shardProtocol';

describe('progressBatches (a shard’s bytes, reported to the page)', () => {
	it('reports the first bytes at once, so the page can time the first byte’s wait', () => {
		const posted: number[] = [];
		const batches = progressBatches(
			(n) => posted.push(n),
			() => 0
		);
		batches.add(16_384);
		expect(posted).toEqual([16_384]);
	});

	it('then batches the rest by size and by time, and sends what is left on flush', () => {
		const posted: number[] = [];
		let clock = 0;
		const batches = progressBatches(
			(n) => posted.push(n),
			() => clock
		);
		batches.add(1);
		batches.add(1000);
		batches.add(2000);
		expect(posted).toEqual([1]);
		batches.add(PROGRESS_BATCH_BYTES);
		expect(posted).toEqual([1, 3000 + PROGRESS_BATCH_BYTES]);
		batches.add(10);
		clock += PROGRESS_BATCH_MS;
		batches.add(20);
		expect(posted).toEqual([1, 3000 + PROGRESS_BATCH_BYTES, 30]);
		batches.add(5);
		batches.flush();
		batches.flush();
		expect(posted).toEqual([1, 3000 + PROGRESS_BATCH_BYTES, 30, 5]);
	});
});
