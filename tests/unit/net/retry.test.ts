import { describe, expect, it } from 'vitest';
import {
	backoffDelay,
	isTransientStatus,
	MAX_RETRY_AFTER_MS,
	parseRetryAfter,
	RETRY_DELAYS_MS
} from '$lib/net/retry';

describe('the shared retry rules', () => {
	it('count only server errors, timeouts and rate limits as transient', () => {
		expect([500, 502, 503, 504, 408, 429].every(isTransientStatus)).toBe(true);
		expect([400, 401, 403, 404, 410, 422].some(isTransientStatus)).toBe(false);
	});

	it('wait 1 s, then 3 s, then give up', () => {
		expect(RETRY_DELAYS_MS).toEqual([1_000, 3_000]);
		expect([1, 2, 3].map((attempt) => backoffDelay(attempt, null))).toEqual([1_000, 3_000, null]);
	});

	it('wait as long as Retry-After asks, up to 30 s, and never less than the usual delay', () => {
		expect(backoffDelay(1, 8_000)).toBe(8_000);
		expect(backoffDelay(1, 200)).toBe(1_000);
		expect(backoffDelay(1, MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
		expect(backoffDelay(1, MAX_RETRY_AFTER_MS + 1)).toBeNull();
		expect(backoffDelay(3, 1_000)).toBeNull();
	});

	it('read Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('Thu, 26 Nov 2026 09:00:00 GMT');
		expect(parseRetryAfter('2', now)).toBe(2_000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:04 GMT', now)).toBe(4_000);
		expect(parseRetryAfter('', now)).toBeNull();
		expect(parseRetryAfter('later', now)).toBeNull();
	});
});
