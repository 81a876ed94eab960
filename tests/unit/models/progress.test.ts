import { describe, expect, it } from 'vitest';
import { snapshot, SpeedMeter, SPEED_WINDOW_MS } from '$lib/models/progress';

describe('SpeedMeter', () => {
	it('is unknown at first, then measures bytes per second', () => {
		let now = 0;
		const meter = new SpeedMeter(() => now);
		expect(meter.speed()).toBeNull();
		now = 1000;
		meter.add(5_000_000);
		expect(meter.speed()).toBe(5_000_000);
	});

	it('forgets what is older than its window', () => {
		let now = 0;
		const meter = new SpeedMeter(() => now);
		now = 1000;
		meter.add(100_000_000); // a fast burst at the start
		for (let t = 2000; t <= 12_000; t += 1000) {
			now = t;
			meter.add(1_000_000);
		}
		// Only the last SPEED_WINDOW_MS count: 1 MB/s, not the burst.
		expect(meter.speed()).toBeCloseTo(1_000_000, -3);
	});

	it('drops to zero during a stall', () => {
		let now = 0;
		const meter = new SpeedMeter(() => now);
		now = 1000;
		meter.add(1000);
		now = 1000 + SPEED_WINDOW_MS + 1;
		expect(meter.speed()).toBe(0);
	});
});

describe('snapshot', () => {
	it('computes time left from speed', () => {
		expect(snapshot(250, 1250, 100)).toEqual({
			doneBytes: 250,
			totalBytes: 1250,
			bytesPerSecond: 100,
			etaSeconds: 10
		});
	});

	it('has no time left estimate without a speed, and zero when done', () => {
		expect(snapshot(0, 10, null).etaSeconds).toBeNull();
		expect(snapshot(0, 10, 0).etaSeconds).toBeNull();
		expect(snapshot(10, 10, null).etaSeconds).toBe(0);
	});
});
