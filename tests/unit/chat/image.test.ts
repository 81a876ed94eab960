import { describe, expect, it } from 'vitest';
import { fitWithin } from '$lib/chat/image';

describe('fitWithin', () => {
	it('scales the longer side down to the limit, keeping the aspect ratio', () => {
		expect(fitWithin({ width: 4032, height: 3024 })).toEqual({ width: 1024, height: 768 });
		expect(fitWithin({ width: 3024, height: 4032 })).toEqual({ width: 768, height: 1024 });
		expect(fitWithin({ width: 2000, height: 2000 }, 512)).toEqual({ width: 512, height: 512 });
	});

	it('never upscales', () => {
		expect(fitWithin({ width: 640, height: 480 })).toEqual({ width: 640, height: 480 });
	});

	it('rounds to whole pixels and keeps at least one', () => {
		expect(fitWithin({ width: 1000, height: 333 }, 100)).toEqual({ width: 100, height: 33 });
		expect(fitWithin({ width: 10000, height: 1 }, 1024)).toEqual({ width: 1024, height: 1 });
	});

	it.each([
		[0, 10],
		[10, -1],
		[Number.NaN, 10],
		[Infinity, 10]
	])('refuses %s×%s', (width, height) => {
		expect(() => fitWithin({ width, height })).toThrow(RangeError);
	});
});
