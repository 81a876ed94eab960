// Bodies of known size that arrive as byte streams (as fetch bodies do in browsers) are read
// straight into one buffer; the size checks must hold on that path too.
import { describe, expect, it } from 'vitest';
import { DownloadError } from '$lib/models/errors';
import { fetchBytes } from '$lib/models/transfer';

/** A byte stream (BYOB-capable) that sends `total` bytes in chunks of `chunk`. */
function byteStream(total: number, chunk = 1000): ReadableStream<Uint8Array> {
	let sent = 0;
	return new ReadableStream({
		type: 'bytes',
		pull(controller) {
			if (sent >= total) {
				controller.close();
				controller.byobRequest?.respond(0);
				return;
			}
			const n = Math.min(chunk, total - sent);
			const bytes = new Uint8Array(n).map((_, i) => (sent + i) & 0xff);
			controller.enqueue(bytes);
			sent += n;
		}
	});
}

const serve = (total: number) => async () => new Response(byteStream(total));

async function failure(work: Promise<unknown>): Promise<DownloadError> {
	const error = await work.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(DownloadError);
	return error as DownloadError;
}

describe('fetchBytes with a byte stream', () => {
	it('reads exactly the promised bytes, reporting progress', async () => {
		let reported = 0;
		const body = await fetchBytes(serve(5500), 'https://x.test/s', {
			expectedBytes: 5500,
			onBytes: (n) => (reported += n)
		});
		expect(body.byteLength).toBe(5500);
		expect(new Uint8Array(body)[4321]).toBe(4321 & 0xff);
		expect(reported).toBe(5500);
	});

	it('refuses a body that is too short or too long', async () => {
		const short = await failure(
			fetchBytes(serve(4000), 'https://x.test/s', { expectedBytes: 5000 })
		);
		expect(short.code).toBe('size-mismatch');
		const long = await failure(
			fetchBytes(serve(6000), 'https://x.test/s', { expectedBytes: 5000 })
		);
		expect(long.code).toBe('size-mismatch');
	});

	it('stops when cancelled', async () => {
		const abort = new AbortController();
		abort.abort();
		const error = await failure(
			fetchBytes(serve(5000), 'https://x.test/s', { expectedBytes: 5000, signal: abort.signal })
		);
		expect(error.code).toBe('aborted');
	});
});
