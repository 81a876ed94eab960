// One file over the network, checked before anyone stores it. A body is read as a stream into a
// buffer of the size tensor-cache.json promises, so a shard that runs long is stopped at once and
// one that runs short is refused; and an HTML answer (a captive portal's 200) never passes for a
// model file. Nothing here writes to storage.
import type { Artifact } from './artifacts';
import { DownloadError, httpErrorCode, parseRetryAfter, toDownloadError } from './errors';

export type FetchLike = (
	url: string,
	init?: { signal?: AbortSignal; headers?: Record<string, string> }
) => Promise<Response>;

export interface FetchOptions {
	signal?: AbortSignal;
	/** Exact size the body must have (shards). */
	expectedBytes?: number;
	/** Called with the length of each chunk as it arrives, for progress. */
	onBytes?: (n: number) => void;
	/**
	 * Called with each chunk's bytes as they arrive, in order (for a running checksum). The view is
	 * only valid during the call: the buffer behind it is read into again afterwards.
	 */
	onChunk?: (bytes: Uint8Array) => void;
}

export function isHtml(contentType: string | null): boolean {
	return contentType !== null && /\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

function throwIfAborted(signal: AbortSignal | undefined, url: string) {
	if (signal?.aborted) throw new DownloadError('aborted', 'cancelled', url);
}

/** Fetches `url` into an ArrayBuffer of exactly the body's bytes, or throws a DownloadError. */
export async function fetchBytes(
	fetchFn: FetchLike,
	url: string,
	options: FetchOptions = {}
): Promise<ArrayBuffer> {
	const { signal, expectedBytes, onChunk, onBytes: onCount } = options;
	const onBytes: OnBytes | undefined =
		onChunk || onCount
			? (n, bytes) => {
					onChunk?.(bytes);
					onCount?.(n);
				}
			: undefined;
	const response = await fetchResponse(fetchFn, url, { signal, expectedBytes });
	try {
		return await readBody(response, url, expectedBytes, signal, onBytes);
	} catch (error) {
		throw toDownloadError(error, 'network', url);
	}
}

/**
 * Asks for `url` and checks the answer before its body is read: a 2xx status, not an HTML page,
 * and (when `expectedBytes` is given and the body is not encoded) the declared length.
 */
export async function fetchResponse(
	fetchFn: FetchLike,
	url: string,
	{ signal, expectedBytes }: Pick<FetchOptions, 'signal' | 'expectedBytes'> = {}
): Promise<Response> {
	throwIfAborted(signal, url);
	let response: Response;
	try {
		response = await fetchFn(url, signal ? { signal } : undefined);
	} catch (error) {
		throw toDownloadError(error, 'network', url);
	}
	if (!response.ok) {
		const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
		throw new DownloadError(httpErrorCode(response.status), `HTTP ${response.status}`, url, {
			status: response.status,
			...(retryAfterMs === null ? {} : { retryAfterMs })
		});
	}
	const contentType = response.headers.get('content-type');
	if (isHtml(contentType)) {
		throw new DownloadError('not-a-model-file', `content-type ${contentType}`, url);
	}
	// Content-Length counts compressed bytes when the response is encoded: trust it only if not.
	const declared = declaredLength(response);
	if (expectedBytes !== undefined && declared !== null && declared !== expectedBytes) {
		throw sizeMismatch(url, expectedBytes, declared);
	}
	return response;
}

/** The body's length as the response declares it, or null (none, or an encoded body). */
export function declaredLength(response: Response): number | null {
	const declared = response.headers.get('content-length');
	if (declared === null || response.headers.get('content-encoding')) return null;
	return Number(declared);
}

/** Progress and checksum, per chunk: its length and (valid during the call only) its bytes. */
type OnBytes = (n: number, bytes: Uint8Array) => void;

export function sizeMismatch(url: string, expected: number, received: number): DownloadError {
	return new DownloadError('size-mismatch', `expected ${expected} bytes, got ${received}`, url, {
		expected,
		received
	});
}

async function readBody(
	response: Response,
	url: string,
	expected: number | undefined,
	signal: AbortSignal | undefined,
	onBytes: OnBytes | undefined
): Promise<ArrayBuffer> {
	if (!response.body) {
		const buffer = await response.arrayBuffer();
		if (expected !== undefined && buffer.byteLength !== expected) {
			throw sizeMismatch(url, expected, buffer.byteLength);
		}
		onBytes?.(buffer.byteLength, new Uint8Array(buffer));
		return buffer;
	}
	if (expected !== undefined) {
		const direct = await readInto(response.body, url, expected, signal, onBytes);
		if (direct) return direct;
	}
	const reader = response.body.getReader();
	// Known size: one allocation, filled in place. Unknown (small files): collect the chunks.
	const exact = expected !== undefined ? new Uint8Array(expected) : null;
	const chunks: Uint8Array[] = [];
	let received = 0;
	try {
		for (;;) {
			throwIfAborted(signal, url);
			const { done, value } = await reader.read();
			if (done) break;
			if (exact) {
				if (received + value.byteLength > exact.byteLength) {
					throw sizeMismatch(url, exact.byteLength, received + value.byteLength);
				}
				exact.set(value, received);
			} else {
				chunks.push(value);
			}
			received += value.byteLength;
			onBytes?.(value.byteLength, value);
		}
	} catch (error) {
		await reader.cancel().catch(() => undefined);
		throw error;
	}
	if (exact) {
		if (received !== exact.byteLength) throw sizeMismatch(url, exact.byteLength, received);
		return exact.buffer;
	}
	const joined = new Uint8Array(received);
	let offset = 0;
	for (const chunk of chunks) {
		joined.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return joined.buffer;
}

/**
 * Reads a body of known size straight into one buffer (a "bring your own buffer" reader), so a
 * shard costs one allocation instead of one per network chunk: less garbage, a smaller heap peak.
 * Returns null when the stream is not a byte stream (then the caller copies chunks instead).
 */
async function readInto(
	body: ReadableStream<Uint8Array>,
	url: string,
	expected: number,
	signal: AbortSignal | undefined,
	onBytes: OnBytes | undefined
): Promise<ArrayBuffer | null> {
	let reader: ReadableStreamBYOBReader;
	try {
		reader = body.getReader({ mode: 'byob' });
	} catch {
		return null;
	}
	let buffer = new ArrayBuffer(expected);
	let received = 0;
	try {
		while (received < expected) {
			throwIfAborted(signal, url);
			const { done, value } = await reader.read(
				new Uint8Array(buffer, received, expected - received)
			);
			// Each read hands the buffer back (transferred): keep reading into the returned one.
			if (value) buffer = value.buffer as ArrayBuffer;
			if (done) break;
			received += value.byteLength;
			onBytes?.(value.byteLength, value);
		}
		if (received !== expected) throw sizeMismatch(url, expected, received);
		// Anything after the promised size means the file is not the one described.
		const extra = await reader.read(new Uint8Array(1));
		if (!extra.done) throw sizeMismatch(url, expected, expected + (extra.value?.byteLength ?? 1));
	} catch (error) {
		await reader.cancel().catch(() => undefined);
		throw error;
	}
	return buffer;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function firstNonSpace(bytes: Uint8Array): number | undefined {
	return bytes.find(
		(b) =>
			b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf
	);
}

/**
 * Cheap checks that a body is the kind of file asked for, for files whose size nothing declares:
 * JSON files must parse (returns the parsed value), the library must start with the wasm magic
 * number, tokenizer.json must start like JSON. Throws 'not-a-model-file' otherwise.
 */
export function checkBody(artifact: Artifact, body: ArrayBuffer): unknown {
	const bytes = new Uint8Array(body);
	const refuse = (why: string) => new DownloadError('not-a-model-file', why, artifact.url);
	switch (artifact.kind) {
		case 'config':
		case 'manifest':
		case 'tensor-cache':
			try {
				return JSON.parse(new TextDecoder().decode(bytes));
			} catch {
				throw refuse('not valid JSON');
			}
		case 'library':
			if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) throw refuse('not a WebAssembly module');
			return undefined;
		case 'tokenizer':
			if (bytes.byteLength === 0) throw refuse('empty tokenizer');
			if (artifact.url.endsWith('.json') && firstNonSpace(bytes) !== 0x7b) {
				throw refuse('tokenizer.json is not JSON');
			}
			return undefined;
		case 'shard':
			return undefined;
	}
}
