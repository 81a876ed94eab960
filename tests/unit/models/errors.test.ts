import { describe, expect, it } from 'vitest';
import { DownloadError, httpErrorCode, parseRetryAfter, retryDelay } from '$lib/models/errors';

const status = (n: number) =>
	new DownloadError(httpErrorCode(n), `HTTP ${n}`, 'https://x/0.bin', { status: n });

describe('httpErrorCode', () => {
	it('tells "not there" from "broken for now" from the rest', () => {
		expect([404, 410].map(httpErrorCode)).toEqual(['not-found', 'not-found']);
		expect([500, 502, 503, 504].map(httpErrorCode)).toEqual(Array(4).fill('server-error'));
		expect([401, 403, 408, 429].map(httpErrorCode)).toEqual(Array(4).fill('http-status'));
	});
});

describe('retryDelay', () => {
	const delays = [1_000, 3_000];

	it('retries a server error twice, waiting longer the second time, then gives up', () => {
		expect([1, 2, 3].map((attempt) => retryDelay(status(500), attempt, delays))).toEqual([
			1_000,
			3_000,
			null
		]);
	});

	it('retries a timeout (408) and "too many requests" (429) like a server error', () => {
		expect(retryDelay(status(408), 1, delays)).toBe(1_000);
		expect(retryDelay(status(429), 2, delays)).toBe(3_000);
	});

	it('never retries a missing file, a refusal, or a failure the user must act on', () => {
		expect(retryDelay(status(404), 1, delays)).toBeNull();
		expect(retryDelay(status(410), 1, delays)).toBeNull();
		expect(retryDelay(status(403), 1, delays)).toBeNull();
		for (const code of [
			'network',
			'not-a-model-file',
			'size-mismatch',
			'quota',
			'aborted'
		] as const) {
			expect(retryDelay(new DownloadError(code, 'x'), 1, delays), code).toBeNull();
		}
	});

	it('uses the default delays when none are given', () => {
		expect(retryDelay(status(503), 1)).toBeGreaterThan(0);
	});
});

describe('Retry-After', () => {
	const delays = [1_000, 3_000];
	const asking = (n: number, retryAfterMs: number) =>
		new DownloadError(httpErrorCode(n), `HTTP ${n}`, 'https://x/0.bin', {
			status: n,
			retryAfterMs
		});

	it('reads seconds and HTTP dates, and nothing else', () => {
		const now = Date.parse('2026-11-26T09:00:00Z');
		expect(parseRetryAfter('5', now)).toBe(5_000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 08:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter(null, now)).toBeNull();
		expect(parseRetryAfter('soon', now)).toBeNull();
	});

	it('waits as long as the server asks, within reason, and tells the user when it asks for longer', () => {
		expect(retryDelay(asking(503, 8_000), 1, delays)).toBe(8_000);
		expect(retryDelay(asking(429, 200), 1, delays)).toBe(1_000);
		expect(retryDelay(asking(503, 120_000), 1, delays)).toBeNull();
		// It never makes a file retried that would not be otherwise.
		expect(retryDelay(asking(404, 1_000), 1, delays)).toBeNull();
		expect(retryDelay(asking(503, 1_000), 3, delays)).toBeNull();
	});
});
