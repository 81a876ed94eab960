import { describe, expect, it } from 'vitest';
import type { Artifact } from '$lib/models/artifacts';
import { DownloadError } from '$lib/models/errors';
import { downloadErrorText } from '$lib/models/strings';
import { checkBody, fetchBytes, isHtml } from '$lib/models/transfer';

const artifact = (kind: Artifact['kind'], url = `https://x.test/${kind}`): Artifact => ({
	kind,
	url,
	db: 'webllm/model',
	storeAs: 'arraybuffer',
	cacheable: true
});

describe('isHtml', () => {
	it.each([
		['text/html', true],
		['text/html; charset=utf-8', true],
		['application/xhtml+xml', true],
		['application/octet-stream', false],
		['application/json', false],
		[null, false]
	])('%s -> %s', (type, html) => {
		expect(isHtml(type)).toBe(html);
	});
});

describe('fetchBytes', () => {
	it('returns the body of a file of unknown size', async () => {
		const body = await fetchBytes(async () => new Response('hello'), 'https://x.test/a');
		expect(new TextDecoder().decode(body)).toBe('hello');
	});

	it('maps a rejected fetch to a network error', async () => {
		const error = await fetchBytes(async () => {
			throw new TypeError('Failed to fetch');
		}, 'https://x.test/a').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DownloadError);
		expect((error as DownloadError).code).toBe('network');
	});

	it('ignores Content-Length for an encoded response', async () => {
		const response = new Response(new Uint8Array(4), {
			headers: { 'content-length': '2', 'content-encoding': 'gzip' }
		});
		const body = await fetchBytes(async () => response, 'https://x.test/a', { expectedBytes: 4 });
		expect(body.byteLength).toBe(4);
	});
});

describe('checkBody', () => {
	const enc = (s: string) => new TextEncoder().encode(s).buffer;

	it('parses JSON files', () => {
		expect(checkBody(artifact('config'), enc('{"a":1}'))).toEqual({ a: 1 });
		expect(() => checkBody(artifact('tensor-cache'), enc('<html>'))).toThrow(DownloadError);
	});

	it('wants the wasm magic number in a library', () => {
		expect(() =>
			checkBody(artifact('library'), new Uint8Array([0, 0x61, 0x73, 0x6d]).buffer)
		).not.toThrow();
		expect(() => checkBody(artifact('library'), enc('<!doctype html>'))).toThrow(DownloadError);
	});

	it('wants tokenizer.json to look like JSON, and any tokenizer to be non-empty', () => {
		expect(() =>
			checkBody(artifact('tokenizer', 'https://x.test/tokenizer.json'), enc(' {"v":1}'))
		).not.toThrow();
		expect(() =>
			checkBody(artifact('tokenizer', 'https://x.test/tokenizer.json'), enc('<html>'))
		).toThrow();
		expect(() =>
			checkBody(artifact('tokenizer', 'https://x.test/tokenizer.model'), new ArrayBuffer(0))
		).toThrow();
	});
});

describe('downloadErrorText', () => {
	it('says what to do next for every error a download can end with', () => {
		for (const text of Object.values(downloadErrorText)) {
			expect(text.title.length).toBeGreaterThan(0);
			expect(text.action.length).toBeGreaterThan(0);
		}
	});
});
