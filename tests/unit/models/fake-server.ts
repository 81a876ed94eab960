// A scripted model server for the downloader tests: files by URL, per-URL faults, and a count
// of every request, so a test can say exactly what was fetched.
import { createHash } from 'node:crypto';
import { modelBaseUrl, type ArtifactRecord } from '$lib/models/artifacts';

export interface Route {
	body: Uint8Array | string;
	status?: number;
	headers?: Record<string, string>;
}

export type Fault =
	| { kind: 'status'; status: number; headers?: Record<string, string> }
	| { kind: 'html' }
	| { kind: 'truncate'; bytes: number }
	| { kind: 'extend'; bytes: number }
	/** The right number of bytes, one of them changed (a corrupted transfer). */
	| { kind: 'corrupt'; at: number }
	| { kind: 'network' }
	| { kind: 'abort'; controller: AbortController };

export class FakeServer {
	routes = new Map<string, Route>();
	faults = new Map<string, Fault[]>();
	calls: string[] = [];

	set(url: string, route: Route) {
		this.routes.set(url, route);
	}

	/** The next request(s) for `url` fail this way, once per fault queued. */
	fail(url: string, fault: Fault) {
		this.faults.set(url, [...(this.faults.get(url) ?? []), fault]);
	}

	count(url: string): number {
		return this.calls.filter((u) => u === url).length;
	}

	fetch = async (url: string, init?: { signal?: AbortSignal }): Promise<Response> => {
		this.calls.push(url);
		if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
		const fault = this.faults.get(url)?.shift();
		const route = this.routes.get(url);
		if (fault?.kind === 'network') throw new TypeError('fetch failed');
		if (fault?.kind === 'status')
			return new Response('nope', { status: fault.status, headers: fault.headers ?? {} });
		if (fault?.kind === 'html') {
			return new Response('<!doctype html><title>Sign in to Wi-Fi</title>', {
				status: 200,
				headers: { 'content-type': 'text/html; charset=utf-8' }
			});
		}
		if (!route) return new Response('not found', { status: 404 });
		let body = typeof route.body === 'string' ? new TextEncoder().encode(route.body) : route.body;
		if (fault?.kind === 'truncate') body = body.slice(0, body.byteLength - fault.bytes);
		if (fault?.kind === 'extend') body = concat(body, new Uint8Array(fault.bytes));
		if (fault?.kind === 'corrupt') {
			body = body.slice();
			body[fault.at] = (body[fault.at] ?? 0) ^ 0xff;
		}
		if (fault?.kind === 'abort') {
			// The user cancels while this file is on its way.
			fault.controller.abort();
			throw new DOMException('The operation was aborted.', 'AbortError');
		}
		return new Response(chunked(body), { status: route.status ?? 200, headers: route.headers });
	};
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.byteLength + b.byteLength);
	out.set(a);
	out.set(b, a.byteLength);
	return out;
}

/** Streams the body in small chunks, as a real network does. */
function chunked(body: Uint8Array, size = 256): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream({
		pull(controller) {
			if (offset >= body.byteLength) {
				controller.close();
				return;
			}
			controller.enqueue(body.slice(offset, offset + size));
			offset += size;
		}
	});
}

export function md5(data: Uint8Array): string {
	return createHash('md5').update(data).digest('hex');
}

export function bytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(n);
	for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
	return out;
}

export interface FixtureModel {
	record: ArtifactRecord;
	base: string;
	shardUrls: string[];
	shardSizes: number[];
	configUrl: string;
	tensorCacheUrl: string;
	tokenizerUrl: string;
	libraryUrl: string;
	/** Sum of every file's bytes. */
	totalBytes: number;
}

/** Serves a small model in MLC's layout: config, tokenizer.json, tensor-cache.json, shards, wasm. */
export function serveModel(
	server: FakeServer,
	name: string,
	options: { shardSizes?: number[]; library?: string; model?: string; modelType?: string } = {}
): FixtureModel {
	const model = options.model ?? `https://huggingface.co/test/${name}`;
	const base = modelBaseUrl(model);
	const libraryUrl =
		options.library ?? `https://raw.githubusercontent.com/test/${name}-webgpu.wasm`;
	const shardSizes = options.shardSizes ?? [1000, 2000, 500];
	const config = JSON.stringify({
		tokenizer_files: ['tokenizer.json'],
		context_window_size: 512,
		...(options.modelType ? { model_type: options.modelType } : {})
	});
	const tokenizer = JSON.stringify({ version: '1.0', model: { type: 'WordPiece' } });
	const tensorCache = JSON.stringify({
		metadata: { ParamSize: shardSizes.length },
		records: shardSizes.map((nbytes, i) => ({
			dataPath: `params_shard_${i}.bin`,
			format: 'raw-shard',
			nbytes,
			md5sum: md5(bytes(nbytes, i)),
			records: [
				{
					name: `p${i}`,
					shape: [nbytes / 4],
					dtype: 'float32',
					format: 'raw',
					nbytes,
					byteOffset: 0
				}
			]
		}))
	});
	const wasm = concat(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), bytes(300, 7));
	server.set(`${base}mlc-chat-config.json`, { body: config });
	server.set(`${base}tokenizer.json`, { body: tokenizer });
	server.set(`${base}tensor-cache.json`, { body: tensorCache });
	server.set(libraryUrl, { body: wasm });
	const shardUrls = shardSizes.map((nbytes, i) => {
		const url = `${base}params_shard_${i}.bin`;
		server.set(url, { body: bytes(nbytes, i) });
		return url;
	});
	const enc = (s: string) => new TextEncoder().encode(s).byteLength;
	return {
		record: { model, model_id: `${name}-q4f32_1-MLC`, model_lib: libraryUrl },
		base,
		shardUrls,
		shardSizes,
		configUrl: `${base}mlc-chat-config.json`,
		tensorCacheUrl: `${base}tensor-cache.json`,
		tokenizerUrl: `${base}tokenizer.json`,
		libraryUrl,
		totalBytes:
			enc(config) +
			enc(tokenizer) +
			enc(tensorCache) +
			wasm.byteLength +
			shardSizes.reduce((a, b) => a + b, 0)
	};
}
