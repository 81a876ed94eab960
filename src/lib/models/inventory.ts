// What is stored for a model, and removing it. Reads only what it must: shards are checked by
// key (a shard is tens of MB) unless `verify` asks for their sizes, and their bytes on disk are
// taken from tensor-cache.json, which the downloader enforces before it stores a shard.
import type { ModelRecord } from '$lib/engine/types';
import {
	configArtifact,
	libraryArtifact,
	manifestArtifact,
	modelArtifacts,
	modelBaseUrl,
	tensorCacheArtifact,
	tokenizerUrls,
	type Artifact,
	type ArtifactRecord,
	type CacheDb,
	type ChatConfigLike
} from './artifacts';
import { parseTensorCache, type TensorCache } from './size';
import { storedSize, type ArtifactStore } from './store';

export interface ArtifactStatus {
	artifact: Artifact;
	stored: boolean;
	/** Bytes on disk when known (stored small files; shards: their tensor-cache size). */
	bytes: number | null;
	/** Only with `verify`: false when the stored shard's size differs from tensor-cache.json. */
	sizeOk?: boolean;
}

export interface ModelStatus {
	modelId: string;
	/** Every artifact known so far; the tokenizer and shards only once config / tensor cache are stored. */
	artifacts: ArtifactStatus[];
	storedBytes: number;
	/**
	 * Bytes of every known file (shards as tensor-cache.json says, the rest as stored), or null
	 * until tensor-cache.json is stored. A shared library counts for each model that uses it.
	 */
	totalBytes: number | null;
	/** None of the model's own files stored (a shared library does not count) / some / all. */
	state: 'absent' | 'partial' | 'complete';
	/**
	 * True only when a load needs no network: config, library (and WebLLM caches it), tokenizer,
	 * tensor-cache.json and every shard stored (and, with `verify`, of the right size).
	 */
	readyOffline: boolean;
}

/** Decodes the stored chat config (an ArrayBuffer, as WebLLM stores it); null if unreadable. */
export function decodeConfig(data: unknown): ChatConfigLike | null {
	if (!(data instanceof ArrayBuffer)) return null;
	try {
		const value: unknown = JSON.parse(new TextDecoder().decode(data));
		return typeof value === 'object' && value !== null ? (value as ChatConfigLike) : null;
	} catch {
		return null;
	}
}

export async function storedTensorCache(
	store: ArtifactStore,
	record: ModelRecord
): Promise<TensorCache | null> {
	const artifact = tensorCacheArtifact(record);
	return parseTensorCache(await store.get(artifact.db, artifact.url));
}

export async function modelStatus(
	store: ArtifactStore,
	record: ArtifactRecord,
	options: { verify?: boolean } = {}
): Promise<ModelStatus> {
	const config = decodeConfig(await store.get('webllm/config', configArtifact(record).url));
	const cache = await storedTensorCache(store, record);
	const artifacts = modelArtifacts(record, config, cache);
	const states: ArtifactStatus[] = [];
	for (const artifact of artifacts) {
		states.push(await artifactStatus(store, artifact, options.verify === true));
	}
	// Without a readable config the tokenizer is unknown; count one WebLLM may have stored.
	if (!config) {
		for (const url of tokenizerUrls(record)) {
			const data = await store.get('webllm/model', url);
			if (data !== undefined) {
				states.push({
					artifact: {
						kind: 'tokenizer',
						url,
						db: 'webllm/model',
						storeAs: 'arraybuffer',
						cacheable: true
					},
					stored: true,
					bytes: storedSize(data)
				});
			}
		}
	}
	const storedBytes = states.reduce((sum, s) => sum + (s.stored ? (s.bytes ?? 0) : 0), 0);
	const complete =
		config !== null &&
		cache !== null &&
		states.some((s) => s.artifact.kind === 'tokenizer') &&
		states.every((s) => !s.artifact.cacheable || (s.stored && s.sizeOk !== false));
	const library = states.find((s) => s.artifact.kind === 'library');
	// A library shared with another model proves nothing about this one.
	const anyStored = states.some((s) => s.stored && s.artifact.kind !== 'library');
	return {
		modelId: record.model_id,
		artifacts: states,
		storedBytes,
		totalBytes: cache
			? states.reduce((sum, s) => sum + (s.artifact.nbytes ?? s.bytes ?? 0), 0)
			: null,
		state: complete ? 'complete' : anyStored ? 'partial' : 'absent',
		readyOffline: complete && library?.artifact.cacheable === true
	};
}

async function artifactStatus(
	store: ArtifactStore,
	artifact: Artifact,
	verify: boolean
): Promise<ArtifactStatus> {
	if (!artifact.cacheable) return { artifact, stored: false, bytes: null };
	if (artifact.kind === 'shard' && !verify) {
		const stored = await store.has(artifact.db, artifact.url);
		return { artifact, stored, bytes: stored ? (artifact.nbytes ?? null) : null };
	}
	const data = await store.get(artifact.db, artifact.url);
	if (data === undefined) return { artifact, stored: false, bytes: null };
	const bytes = storedSize(data);
	if (artifact.kind === 'shard') {
		return { artifact, stored: true, bytes, sizeOk: bytes === artifact.nbytes };
	}
	return { artifact, stored: true, bytes };
}

export interface DeleteResult {
	/** Keys removed, as "db url". */
	removed: string[];
	/** Other records with the same weights URL (e.g. the "-1k" variant): their files went too. */
	alsoRemoved: string[];
	/** The model library, when it was kept for another downloaded model. */
	keptLibrary: string | null;
}

/**
 * Removes everything WebLLM stored or would read for `record`, tensor-cache.json included (which
 * WebLLM's `deleteModelAllInfoInCache` leaves behind, so that a later download reuses a stale
 * manifest). Shards are found through tensor-cache.json and, in case it is missing or stale,
 * by listing the keys directly under the model's base URL. The model library is kept when
 * another record that uses it has files stored (libraries are shared, e.g. by every Llama 3.1 8B
 * fine-tune of one quantization).
 */
export async function deleteModel(
	store: ArtifactStore,
	record: ArtifactRecord,
	allRecords: readonly ArtifactRecord[]
): Promise<DeleteResult> {
	const base = modelBaseUrl(record.model);
	const sameWeights = allRecords.filter(
		(r) => r.model_id !== record.model_id && modelBaseUrl(r.model) === base
	);
	const targets = new Map<string, { db: CacheDb; url: string }>();
	const add = (db: CacheDb, url: string) => targets.set(`${db} ${url}`, { db, url });

	const manifest = manifestArtifact(record);
	if (manifest) add(manifest.db, manifest.url);
	add('webllm/config', configArtifact(record).url);
	add('webllm/model', tensorCacheArtifact(record).url);
	for (const url of tokenizerUrls(record)) add('webllm/model', url);
	const cache = await storedTensorCache(store, record);
	for (const shard of cache?.records ?? []) add('webllm/model', new URL(shard.dataPath, base).href);
	for (const db of ['webllm/config', 'webllm/model'] as const) {
		for (const url of await store.keysWithPrefix(db, base)) {
			// Direct children only: another model's base URL may extend this one's.
			if (!url.slice(base.length).includes('/')) add(db, url);
		}
	}

	const library = libraryArtifact(record);
	const sharers = allRecords.filter(
		(r) =>
			r.model_lib === record.model_lib &&
			r.model_id !== record.model_id &&
			modelBaseUrl(r.model) !== base
	);
	let keptLibrary: string | null = null;
	for (const other of sharers) {
		if (await hasAnyFiles(store, other)) {
			keptLibrary = library.url;
			break;
		}
	}
	if (!keptLibrary) add(library.db, library.url);

	const removed: string[] = [];
	for (const [key, { db, url }] of targets) {
		if (await store.has(db, url)) {
			await store.delete(db, url);
			removed.push(key);
		}
	}
	return { removed, alsoRemoved: sameWeights.map((r) => r.model_id), keptLibrary };
}

/** A model counts as downloaded (fully or partly) once its config or tensor cache is stored. */
async function hasAnyFiles(store: ArtifactStore, record: ModelRecord): Promise<boolean> {
	const config = configArtifact(record);
	const cache = tensorCacheArtifact(record);
	return (await store.has(config.db, config.url)) || (await store.has(cache.db, cache.url));
}
