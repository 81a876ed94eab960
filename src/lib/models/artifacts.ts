// Where WebLLM 0.2.86 looks for a model's files when `appConfig.cacheBackend` is "indexeddb".
// Each rule mirrors a named function in node_modules/@mlc-ai/web-llm/lib/index.js, so that files
// the app downloads itself land under exactly the keys WebLLM later reads, and a load makes no
// network request. If WebLLM is upgraded, re-read those functions and these tests first.
//
// What WebLLM stores (`ArtifactIndexedDBCache`): one database per scope, version 1, one object
// store "urls" with keyPath "url", values `{ url, data }`. `data` is what the response became
// under the requested store type: `response.json()` for "json", `response.arrayBuffer()` for
// "arraybuffer". Only tensor-cache.json is requested as JSON; everything else, the chat config
// included, is requested as "arraybuffer" (MLCEngine.reloadInternal decodes the config itself).
import type { ModelRecord } from '$lib/engine/types';
import type { TensorCache } from './size';

export type CacheDb = 'webllm/config' | 'webllm/wasm' | 'webllm/model';
export const CACHE_DBS: readonly CacheDb[] = ['webllm/config', 'webllm/wasm', 'webllm/model'];
/** `ArtifactIndexedDBCache`: dbVersion 1, store "urls", keyPath "url". */
export const IDB_VERSION = 1;
export const IDB_STORE = 'urls';

export type ArtifactKind =
	'manifest' | 'config' | 'library' | 'tokenizer' | 'tensor-cache' | 'shard';

/** How the value is stored: parsed JSON, or the raw bytes as an ArrayBuffer. */
export type StoreAs = 'json' | 'arraybuffer';

export interface Artifact {
	kind: ArtifactKind;
	/** Full URL: both what is fetched and the IndexedDB key. */
	url: string;
	db: CacheDb;
	storeAs: StoreAs;
	/** Exact size when tensor-cache.json says so (shards only). */
	nbytes?: number;
	/** The shard's MD5 (hex) when tensor-cache.json gives one: checked before it is stored. */
	md5?: string;
	/**
	 * False for a model library WebLLM never caches (see `isLibraryCacheable`): the app cannot make
	 * such a model work offline, and must not store it either (WebLLM would never read it).
	 */
	cacheable: boolean;
}

/** WebLLM's ModelRecord has these too; Lantern's engine type leaves them out. */
export type ArtifactRecord = ModelRecord & { model_manifest?: string };

/**
 * The weights' base URL. Mirrors `cleanModelUrl`: add a trailing slash, then "resolve/main/"
 * unless the URL already has a "/resolve/<rev>/" segment; normalised by `new URL(...).href`.
 * Like WebLLM, throws a TypeError for a relative URL (`cleanModelUrl` runs before WebLLM's own
 * attempt to resolve relative model URLs, so those fail inside WebLLM too).
 */
export function modelBaseUrl(model: string): string {
	let url = model.endsWith('/') ? model : `${model}/`;
	if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
	return new URL(url).href;
}

/** Mirrors `MLCEngine.reloadInternal`: the manifest is fetched only when the record names one. */
export function manifestArtifact(record: ArtifactRecord): Artifact | null {
	if (record.model_manifest === undefined) return null;
	return {
		kind: 'manifest',
		url: new URL(record.model_manifest, modelBaseUrl(record.model)).href,
		db: 'webllm/config',
		storeAs: 'arraybuffer',
		cacheable: true
	};
}

/**
 * Mirrors `resolveModelPackageResourceURLs` + `reloadInternal`: "mlc-chat-config.json" next to
 * the weights, fetched as "arraybuffer" into webllm/config. (A package manifest may name the
 * config and tensor cache, but 0.2.86's parser only accepts these two default names.)
 */
export function configArtifact(record: ModelRecord): Artifact {
	return {
		kind: 'config',
		url: new URL('mlc-chat-config.json', modelBaseUrl(record.model)).href,
		db: 'webllm/config',
		storeAs: 'arraybuffer',
		cacheable: true
	};
}

/**
 * Mirrors `fetchWasmSource` in `reloadInternal`: a library URL containing "localhost", or not
 * starting with "http", is fetched on every load and never cached.
 */
export function isLibraryCacheable(modelLib: string): boolean {
	return !modelLib.includes('localhost') && modelLib.startsWith('http');
}

/** The model library, keyed by `record.model_lib` exactly as written (no normalisation). */
export function libraryArtifact(record: ModelRecord): Artifact {
	return {
		kind: 'library',
		url: record.model_lib,
		db: 'webllm/wasm',
		storeAs: 'arraybuffer',
		cacheable: isLibraryCacheable(record.model_lib)
	};
}

/** Mirrors `fetchTensorCache`: `new URL("tensor-cache.json", base)`, fetched as "json". */
export function tensorCacheArtifact(record: ModelRecord): Artifact {
	return {
		kind: 'tensor-cache',
		url: new URL('tensor-cache.json', modelBaseUrl(record.model)).href,
		db: 'webllm/model',
		storeAs: 'json',
		cacheable: true
	};
}

/** Mirrors `fetchTensorCacheInternal`: each shard at `new URL(dataPath, base)`, "arraybuffer". */
export function shardArtifacts(record: ModelRecord, cache: TensorCache): Artifact[] {
	const base = modelBaseUrl(record.model);
	return cache.records.map((shard) => ({
		kind: 'shard',
		url: new URL(shard.dataPath, base).href,
		db: 'webllm/model',
		storeAs: 'arraybuffer',
		nbytes: shard.nbytes,
		...(shard.md5sum ? { md5: shard.md5sum.toLowerCase() } : {}),
		cacheable: true
	}));
}

/** The part of mlc-chat-config.json that decides which tokenizer file is fetched. */
export interface ChatConfigLike {
	tokenizer_files?: unknown;
}

/**
 * Mirrors `asyncLoadTokenizer`: "tokenizer.json" if the config lists it, else "tokenizer.model",
 * else null (WebLLM then throws UnsupportedTokenizerFilesError). The list is read from the config
 * merged with `record.overrides`, as WebLLM does.
 */
export function tokenizerFile(
	record: ModelRecord,
	config: ChatConfigLike
): 'tokenizer.json' | 'tokenizer.model' | null {
	const override = record.overrides?.tokenizer_files;
	const files = override !== undefined ? override : config.tokenizer_files;
	if (!Array.isArray(files)) return null;
	if (files.includes('tokenizer.json')) return 'tokenizer.json';
	if (files.includes('tokenizer.model')) return 'tokenizer.model';
	return null;
}

export function tokenizerArtifact(record: ModelRecord, config: ChatConfigLike): Artifact | null {
	const file = tokenizerFile(record, config);
	if (file === null) return null;
	return {
		kind: 'tokenizer',
		url: new URL(file, modelBaseUrl(record.model)).href,
		db: 'webllm/model',
		storeAs: 'arraybuffer',
		cacheable: true
	};
}

/** Both tokenizer names WebLLM may have stored (its own delete removes both). */
export function tokenizerUrls(record: ModelRecord): string[] {
	const base = modelBaseUrl(record.model);
	return ['tokenizer.json', 'tokenizer.model'].map((f) => new URL(f, base).href);
}

/**
 * Everything a load reads, in the order WebLLM reads it: manifest (if any), config, library,
 * tokenizer, tensor-cache.json, shards. The tokenizer needs the parsed config and the shards need
 * tensor-cache.json, so callers that lack them get only what is known.
 */
export function modelArtifacts(
	record: ArtifactRecord,
	config: ChatConfigLike | null,
	cache: TensorCache | null
): Artifact[] {
	const list: Artifact[] = [];
	const manifest = manifestArtifact(record);
	if (manifest) list.push(manifest);
	list.push(configArtifact(record), libraryArtifact(record));
	const tokenizer = config ? tokenizerArtifact(record, config) : null;
	if (tokenizer) list.push(tokenizer);
	list.push(tensorCacheArtifact(record));
	if (cache) list.push(...shardArtifacts(record, cache));
	return list;
}
