// Reading a model's small files over the network without storing anything: its exact download
// size (tensor-cache.json lists every shard's bytes; the tokenizer and the model library are
// sized from their Content-Length, or counted when a server sends none), and the checks a custom
// model must pass before it is added. Each failure is a typed RemoteCheckError naming the file,
// so the interface can say in words what is wrong with which file.
import type { ModelRecord } from '$lib/engine/types';
import {
	configArtifact,
	isLibraryCacheable,
	modelBaseUrl,
	tensorCacheArtifact,
	tokenizerArtifact,
	type ChatConfigLike
} from './artifacts';
import { downloadBytes, parseTensorCache, weightBytes, type TensorCache } from './size';
import { isHtml, type FetchLike } from './transfer';
import { allowedBy, MODEL_HOSTS } from './hosts';

export type RemoteProblemCode =
	/** Not an absolute http(s) URL. */
	| 'bad-url'
	/** fetch() failed: offline, DNS, refused connection, or the server does not allow CORS. */
	| 'unreachable'
	/** The server answered, but not 2xx (`status` says which). */
	| 'http-status'
	/** A web page where a model file should be. */
	| 'html'
	/** A .json file that does not parse. */
	| 'bad-json'
	/** Valid JSON, but not what MLC writes (no tokenizer_files, no shard records, ...). */
	| 'wrong-layout'
	/** The model library is not a WebAssembly file. */
	| 'not-wasm'
	/** A host this build's Content-Security-Policy does not allow (src/lib/models/hosts.ts). */
	| 'host-not-allowed';

export class RemoteCheckError extends Error {
	readonly code: RemoteProblemCode;
	/** The file concerned. */
	readonly url: string;
	readonly status: number | undefined;

	constructor(code: RemoteProblemCode, url: string, detail = '', status?: number) {
		super(`${code}: ${url}${detail ? ` (${detail})` : ''}`);
		this.name = 'RemoteCheckError';
		this.code = code;
		this.url = url;
		this.status = status;
	}
}

async function get(fetchFn: FetchLike, url: string, signal?: AbortSignal): Promise<Response> {
	let response: Response;
	try {
		response = await fetchFn(url, signal ? { signal } : undefined);
	} catch (error) {
		if (error instanceof Error && error.name === 'AbortError') throw error;
		throw new RemoteCheckError('unreachable', url, String(error));
	}
	if (!response.ok) {
		await response.body?.cancel().catch(() => undefined);
		throw new RemoteCheckError('http-status', url, '', response.status);
	}
	if (isHtml(response.headers.get('content-type'))) {
		await response.body?.cancel().catch(() => undefined);
		throw new RemoteCheckError('html', url);
	}
	return response;
}

async function getJson(
	fetchFn: FetchLike,
	url: string,
	signal?: AbortSignal
): Promise<{ value: unknown; bytes: number }> {
	const response = await get(fetchFn, url, signal);
	const body = await response.arrayBuffer();
	try {
		return { value: JSON.parse(new TextDecoder().decode(body)), bytes: body.byteLength };
	} catch {
		throw new RemoteCheckError('bad-json', url);
	}
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * A file's size without keeping it: Content-Length when the body is not encoded, else its bytes
 * counted as they stream past. With `wasm`, the first bytes must be WebAssembly's magic number.
 */
export async function remoteFileSize(
	fetchFn: FetchLike,
	url: string,
	options: { wasm?: boolean; signal?: AbortSignal } = {}
): Promise<number> {
	const response = await get(fetchFn, url, options.signal);
	const declared = response.headers.get('content-length');
	const trusted =
		declared !== null && !response.headers.get('content-encoding') ? Number(declared) : null;
	const reader = response.body?.getReader();
	if (!reader) return trusted ?? (await response.arrayBuffer()).byteLength;
	let counted = 0;
	let head = new Uint8Array(0);
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			if (head.byteLength < 4) {
				const joined = new Uint8Array(head.byteLength + value.byteLength);
				joined.set(head);
				joined.set(value, head.byteLength);
				head = joined.slice(0, 4);
			}
			counted += value.byteLength;
			if (trusted !== null && (!options.wasm || head.byteLength >= 4)) break;
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
	if (options.wasm && !WASM_MAGIC.every((b, i) => head[i] === b)) {
		throw new RemoteCheckError('not-wasm', url);
	}
	return trusted ?? counted;
}

export interface RemoteModelFacts {
	/** Exact bytes a download stores. */
	bytes: number;
	weightBytes: number;
	config: Record<string, unknown>;
	cache: TensorCache;
}

/** Fetches config, tensor-cache.json and the sizes of tokenizer and library: a few KB of JSON. */
export async function fetchModelFacts(
	fetchFn: FetchLike,
	record: ModelRecord,
	signal?: AbortSignal
): Promise<RemoteModelFacts> {
	const configUrl = configArtifact(record).url;
	const config = await getJson(fetchFn, configUrl, signal);
	if (typeof config.value !== 'object' || config.value === null || Array.isArray(config.value)) {
		throw new RemoteCheckError('wrong-layout', configUrl, 'not a JSON object');
	}
	const configValue = config.value as Record<string, unknown>;
	const tokenizer = tokenizerArtifact(record, configValue as ChatConfigLike);
	if (!tokenizer) throw new RemoteCheckError('wrong-layout', configUrl, 'no tokenizer_files');

	const cacheUrl = tensorCacheArtifact(record).url;
	const rawCache = await getJson(fetchFn, cacheUrl, signal);
	const cache = parseTensorCache(rawCache.value);
	if (!cache || cache.records.length === 0) {
		throw new RemoteCheckError('wrong-layout', cacheUrl, 'no shard records');
	}
	const tokenizerBytes = await remoteFileSize(fetchFn, tokenizer.url, { signal });
	const libraryBytes = await remoteFileSize(fetchFn, record.model_lib, { wasm: true, signal });
	const bytes = downloadBytes(cache, {
		config: config.bytes,
		tensorCache: rawCache.bytes,
		tokenizer: [tokenizerBytes],
		library: isLibraryCacheable(record.model_lib) ? libraryBytes : 0
	});
	return { bytes, weightBytes: weightBytes(cache), config: configValue, cache };
}

export interface CustomModelInput {
	/** A Hugging Face repository of MLC files, or any mirror of one. */
	baseUrl: string;
	/** The compiled model library (.wasm). */
	libraryUrl: string;
	/** Optional; defaults to the repository's name. */
	modelId?: string;
}

function httpUrl(value: string): URL | null {
	try {
		const url = new URL(value.trim());
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
	} catch {
		return null;
	}
}

/** "https://huggingface.co/org/Name-q4f32_1-MLC/resolve/main/" -> "Name-q4f32_1-MLC". */
export function idFromBaseUrl(baseUrl: string): string {
	const url = httpUrl(baseUrl);
	if (!url) return '';
	const parts = url.pathname.split('/').filter(Boolean);
	const resolveAt = parts.indexOf('resolve');
	const kept = resolveAt >= 0 ? parts.slice(0, resolveAt) : parts;
	return decodeURIComponent(kept.at(-1) ?? '');
}

/**
 * The record a custom model's form describes, before any network check; throws 'bad-url', or
 * 'host-not-allowed' for a host this build may not download from.
 */
export function customRecord(
	input: CustomModelInput,
	allowedHosts: readonly string[] = MODEL_HOSTS
): ModelRecord {
	const base = httpUrl(input.baseUrl);
	if (!base) throw new RemoteCheckError('bad-url', input.baseUrl.trim());
	const lib = httpUrl(input.libraryUrl);
	if (!lib) throw new RemoteCheckError('bad-url', input.libraryUrl.trim());
	for (const url of [base, lib]) {
		if (!allowedBy(url.href, allowedHosts))
			throw new RemoteCheckError('host-not-allowed', url.origin);
	}
	const modelId = input.modelId?.trim() || idFromBaseUrl(base.href);
	if (!modelId) throw new RemoteCheckError('bad-url', base.href, 'no model name in the URL');
	// Validate the same way WebLLM will build its URLs.
	modelBaseUrl(base.href);
	return { model: base.href, model_id: modelId, model_lib: lib.href };
}

/**
 * Checks a custom model over the network and completes its record from its config: the
 * quantization decides whether it needs shader-f16, the context window is taken as given, and a
 * BERT model (MLC's embedding architecture, e.g. snowflake-arctic-embed) is an embedding model.
 */
export async function checkCustomModel(
	fetchFn: FetchLike,
	input: CustomModelInput
): Promise<{ record: ModelRecord; facts: RemoteModelFacts }> {
	const record = customRecord(input);
	const facts = await fetchModelFacts(fetchFn, record);
	const quantization = facts.config.quantization;
	if (typeof quantization === 'string' && /f16/.test(quantization)) {
		record.required_features = ['shader-f16'];
	}
	const context = facts.config.context_window_size;
	if (typeof context === 'number' && context > 0) {
		record.overrides = { context_window_size: context };
	}
	if (facts.config.model_type === 'bert') record.model_type = 1;
	return { record, facts };
}
