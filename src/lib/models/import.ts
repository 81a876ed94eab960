// Importing a model from files: a folder in MLC's layout (or an archive Lantern exported), checked
// like a download and stored exactly where WebLLM reads it (artifacts.ts), so that it loads with no
// network. In three steps, so that a refused import leaves nothing behind:
//   1. `checkFolder`: the small files are read and parsed, every file the model needs must be
//      there with the size tensor-cache.json gives, and the library must be WebAssembly. Cheap:
//      shards are only looked at (their size), not read.
//   2. `identify` (identity.ts): a catalog model, or a custom one.
//   3. `storeImport`: the quota is checked against the bytes still missing; then each shard is read
//      from disk, its MD5 computed on the way, and stored (reading the next overlaps storing the
//      last: two shards in memory at most); the small files go last, so the model only appears
//      once it is whole. Any failure (an MD5 that differs, a full disk, a file that went away, a
//      cancel) removes what this import stored. Shards already stored under the same address are
//      kept and skipped: they were checked when they were stored.
import { nextTask } from '$lib/nextTask';
import {
	configArtifact,
	libraryArtifact,
	shardArtifacts,
	tensorCacheArtifact,
	tokenizerArtifact,
	tokenizerFile,
	type Artifact,
	type ArtifactRecord
} from './artifacts';
import type { ModelKind } from './catalog';
import { QUOTA_HEADROOM_BYTES, type StorageEstimateLike } from './downloader';
import { toDownloadError } from './errors';
import { identify, type Identity, type IdentityContext } from './identity';
import { readManifest, type ExportManifest } from './manifest';
import { createMd5, md5Of } from './md5';
import { releaseBuffer } from './release';
import { CONFIG_FILE, MANIFEST_FILE, type ModelFolder } from './modelFiles';
import { FixedConnections, fetchAndStoreAll } from './parallel';
import { snapshot, SpeedMeter, type ProgressSnapshot } from './progress';
import { parseTensorCache, type TensorCache } from './size';
import type { ArtifactStore } from './store';
import { errorName, ImportError, isAbort } from './transferErrors';

const TENSOR_CACHE_FILE = 'tensor-cache.json';
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface CheckedShard {
	name: string;
	file: Blob;
	nbytes: number;
}

/** A folder that passed every check that needs no reading of shards. */
export interface CheckedFolder {
	name: string;
	config: { bytes: ArrayBuffer; value: Record<string, unknown> };
	tensorCache: { bytes: ArrayBuffer; value: unknown; parsed: TensorCache; digest: string };
	tokenizer: { name: string; file: Blob };
	shards: CheckedShard[];
	library: { name: string; file: Blob };
	manifest: ExportManifest | null;
	/** Bytes of every file the import stores. */
	totalBytes: number;
}

async function readFile(file: Blob, name: string): Promise<ArrayBuffer> {
	try {
		return await file.arrayBuffer();
	} catch (error) {
		throw new ImportError('read-failed', `${errorName(error)} ${String(error)}`, name);
	}
}

async function readJson(file: Blob, name: string): Promise<{ bytes: ArrayBuffer; value: unknown }> {
	const bytes = await readFile(file, name);
	try {
		return { bytes, value: JSON.parse(new TextDecoder().decode(bytes)) };
	} catch {
		throw new ImportError('bad-model-file', 'not valid JSON', name);
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The model library: the one picked apart, the one the manifest names, or the only one. */
function chooseLibrary(
	folder: ModelFolder,
	manifest: ExportManifest | null,
	picked: { name: string; file: Blob } | undefined
): { name: string; file: Blob } {
	if (picked) return picked;
	const named = manifest ? folder.libraries.get(manifest.library) : undefined;
	if (manifest && named) return { name: manifest.library, file: named };
	const all = [...folder.libraries];
	const only = all.length === 1 ? all[0] : undefined;
	if (only) return { name: only[0], file: only[1] };
	throw new ImportError(
		'no-library',
		all.length === 0 ? 'no .wasm file' : `${all.length} .wasm files`,
		undefined,
		{ count: all.length }
	);
}

/** Step 1 (see the header). Throws an ImportError naming the first problem found. */
export async function checkFolder(
	folder: ModelFolder,
	library?: { name: string; file: Blob }
): Promise<CheckedFolder> {
	const need = (name: string) => {
		const file = folder.files.get(name);
		if (!file) throw new ImportError('missing-file', 'not in the folder', name);
		return file;
	};
	const configJson = await readJson(need(CONFIG_FILE), CONFIG_FILE);
	if (!isObject(configJson.value)) {
		throw new ImportError('bad-model-file', 'not a JSON object', CONFIG_FILE);
	}
	const config = { bytes: configJson.bytes, value: configJson.value };
	const tokenizerName = tokenizerFile({ model: '', model_id: '', model_lib: '' }, config.value);
	if (!tokenizerName) throw new ImportError('bad-model-file', 'names no tokenizer', CONFIG_FILE);

	const cacheJson = await readJson(need(TENSOR_CACHE_FILE), TENSOR_CACHE_FILE);
	const parsed = parseTensorCache(cacheJson.value);
	if (!parsed || parsed.records.length === 0) {
		throw new ImportError('bad-model-file', 'lists no weight shards', TENSOR_CACHE_FILE);
	}
	const tokenizer = { name: tokenizerName, file: need(tokenizerName) };
	const shards = parsed.records.map((record) => {
		const file = need(record.dataPath);
		if (file.size !== record.nbytes) {
			throw new ImportError(
				'size-mismatch',
				`${file.size} bytes, tensor-cache.json says ${record.nbytes}`,
				record.dataPath,
				{ expected: record.nbytes, received: file.size }
			);
		}
		return { name: record.dataPath, file, nbytes: record.nbytes };
	});

	const manifestFile = folder.files.get(MANIFEST_FILE);
	const manifest = manifestFile
		? readManifest((await readJson(manifestFile, MANIFEST_FILE)).value)
		: null;
	const chosen = chooseLibrary(folder, manifest, library);
	const head = new Uint8Array(await readFile(chosen.file.slice(0, 4), chosen.name));
	if (!WASM_MAGIC.every((b, i) => head[i] === b)) {
		throw new ImportError('not-wasm', 'does not start with \\0asm', chosen.name);
	}

	const totalBytes =
		config.bytes.byteLength +
		cacheJson.bytes.byteLength +
		tokenizer.file.size +
		chosen.file.size +
		shards.reduce((sum, s) => sum + s.nbytes, 0);
	return {
		name: folder.name,
		config,
		tensorCache: {
			...cacheJson,
			parsed,
			digest: (await md5Of(cacheJson.bytes)).slice(0, 16)
		},
		tokenizer,
		shards,
		library: chosen,
		manifest,
		totalBytes
	};
}

/** Step 2: who the model is (identity.ts). */
export function identifyFolder(
	checked: CheckedFolder,
	context: IdentityContext,
	kind?: ModelKind
): Promise<Identity> {
	return identify(
		{
			name: checked.name,
			config: checked.config.value,
			cache: checked.tensorCache.parsed,
			cacheDigest: checked.tensorCache.digest,
			libraryName: checked.library.name,
			manifest: checked.manifest,
			kind
		},
		context
	);
}

export interface ImportProgress extends ProgressSnapshot {
	/** The file being read now. */
	file: string | null;
}

export interface StoreImportDeps {
	store: ArtifactStore;
	/** Defaults to `navigator.storage.estimate()`; a missing quota skips the check. */
	estimate?: () => Promise<StorageEstimateLike>;
	now?: () => number;
	onProgress?: (progress: ImportProgress) => void;
	signal?: AbortSignal;
	/** Least time between two progress reports. */
	progressIntervalMs?: number;
}

/**
 * Reads a shard from disk (one read of the whole file: the browser reads big files fastest that
 * way) and checks its size and MD5 before anyone stores it.
 */
async function readShard(
	shard: CheckedShard,
	artifact: Artifact,
	signal: AbortSignal,
	onBytes: (n: number) => void
): Promise<ArrayBuffer> {
	if (signal.aborted) throw new ImportError('aborted', 'cancelled');
	const buffer = await readFile(shard.file, shard.name);
	if (buffer.byteLength !== shard.nbytes) {
		throw new ImportError('size-mismatch', 'the file changed while it was read', shard.name, {
			expected: shard.nbytes,
			received: buffer.byteLength
		});
	}
	if (artifact.md5) {
		// Hashed a slice at a time, counting progress as it goes (hashing is the slow part).
		const hash = await createMd5();
		const view = new Uint8Array(buffer);
		for (let at = 0; at < view.byteLength; at += HASH_STEP) {
			if (signal.aborted) throw new ImportError('aborted', 'cancelled');
			const slice = view.subarray(at, at + HASH_STEP);
			hash.update(slice);
			onBytes(slice.byteLength);
			// Let the page breathe between slices (progress, clicks on Cancel).
			await nextTask();
		}
		const digest = hash.digest();
		if (digest !== artifact.md5) {
			throw new ImportError(
				'checksum-mismatch',
				`md5 ${digest}, expected ${artifact.md5}`,
				shard.name,
				{ expected: artifact.md5, received: digest }
			);
		}
	} else {
		onBytes(buffer.byteLength);
	}
	return buffer;
}

/** Bytes hashed between two looks at the page (a few ms of work). */
const HASH_STEP = 2 * 1024 * 1024;

function defaultEstimate(): Promise<StorageEstimateLike> {
	const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
	return storage?.estimate ? storage.estimate() : Promise.resolve({});
}

function storageFailure(error: unknown, file: string): ImportError {
	const failure = toDownloadError(error, 'storage');
	if (failure.code === 'aborted') return new ImportError('aborted', 'cancelled');
	return new ImportError(failure.code === 'quota' ? 'quota' : 'storage', failure.message, file);
}

/** Step 3 (see the header). Returns the bytes stored for the model (all of it, skipped included). */
export async function storeImport(
	checked: CheckedFolder,
	record: ArtifactRecord,
	deps: StoreImportDeps
): Promise<number> {
	const { store, signal } = deps;
	const now = deps.now ?? (() => Date.now());
	const interval = deps.progressIntervalMs ?? 250;
	const meter = new SpeedMeter(now);
	let doneBytes = 0;
	let current: string | null = null;
	let last = -Infinity;
	const report = (force: boolean) => {
		const at = now();
		if (!deps.onProgress || (!force && at - last < interval)) return;
		last = at;
		deps.onProgress({
			file: current,
			...snapshot(doneBytes, checked.totalBytes, meter.speed())
		});
	};
	const cancelled = () => signal?.aborted === true;
	if (cancelled()) throw new ImportError('aborted', 'cancelled');

	const shardArtifactList = shardArtifacts(record, checked.tensorCache.parsed);
	const tokenizer = tokenizerArtifact(record, checked.config.value);
	if (!tokenizer) throw new ImportError('bad-model-file', 'names no tokenizer', CONFIG_FILE);
	const library = libraryArtifact(record);
	const small: Array<{ artifact: Artifact; data: unknown; name: string }> = [];

	const missing: Array<{ shard: CheckedShard; artifact: Artifact }> = [];
	try {
		for (const [i, shard] of checked.shards.entries()) {
			const artifact = shardArtifactList[i];
			if (!artifact) continue;
			if (await store.has(artifact.db, artifact.url)) doneBytes += shard.nbytes;
			else missing.push({ shard, artifact });
		}
	} catch (error) {
		throw storageFailure(error, '');
	}
	const read = async (file: Blob, name: string) => readFile(file, name);
	small.push(
		{ artifact: configArtifact(record), data: checked.config.bytes, name: CONFIG_FILE },
		{
			artifact: tokenizer,
			data: await read(checked.tokenizer.file, checked.tokenizer.name),
			name: checked.tokenizer.name
		},
		{
			artifact: library,
			data: await read(checked.library.file, checked.library.name),
			name: checked.library.name
		},
		// Stored parsed, as WebLLM stores what it fetched as JSON; written last of all.
		{
			artifact: tensorCacheArtifact(record),
			data: checked.tensorCache.value,
			name: TENSOR_CACHE_FILE
		}
	);

	const needed =
		missing.reduce((sum, m) => sum + m.shard.nbytes, 0) +
		small.reduce((sum, s) => sum + (s.data instanceof ArrayBuffer ? s.data.byteLength : 0), 0) +
		checked.tensorCache.bytes.byteLength;
	await checkQuota(deps.estimate ?? defaultEstimate, needed);

	const written: Artifact[] = [];
	const put = async (artifact: Artifact, data: unknown, name: string) => {
		if (cancelled()) throw new ImportError('aborted', 'cancelled');
		try {
			await store.put(artifact.db, artifact.url, data);
		} catch (error) {
			throw storageFailure(error, name);
		}
		written.push(artifact);
	};
	report(true);
	try {
		const abort = new AbortController();
		const relay = () => abort.abort();
		signal?.addEventListener('abort', relay, { once: true });
		try {
			await fetchAndStoreAll({
				items: missing,
				policy: new FixedConnections(1),
				signal: abort.signal,
				fetch: ({ shard, artifact }, shardSignal) => {
					current = shard.name;
					return readShard(shard, artifact, shardSignal, (n) => {
						doneBytes += n;
						meter.add(n);
						report(false);
					});
				},
				store: async ({ shard, artifact }, body) => {
					await put(artifact, body, shard.name);
					releaseBuffer(body);
				}
			});
		} finally {
			signal?.removeEventListener('abort', relay);
		}
		current = null;
		for (const { artifact, data, name } of small) {
			await put(artifact, data, name);
			doneBytes +=
				data instanceof ArrayBuffer ? data.byteLength : checked.tensorCache.bytes.byteLength;
		}
	} catch (error) {
		// Nothing of a refused import stays: remove what this one stored (see the header).
		for (const artifact of written) {
			await store.delete(artifact.db, artifact.url).catch(() => undefined);
		}
		if (error instanceof ImportError) throw error;
		if (isAbort(error) || cancelled()) throw new ImportError('aborted', 'cancelled');
		throw storageFailure(error, current ?? '');
	}
	doneBytes = checked.totalBytes;
	report(true);
	return checked.totalBytes;
}

async function checkQuota(estimate: () => Promise<StorageEstimateLike>, needed: number) {
	let figures: StorageEstimateLike;
	try {
		figures = await estimate();
	} catch {
		return;
	}
	if (typeof figures.quota !== 'number') return;
	const available = figures.quota - (figures.usage ?? 0);
	if (needed + QUOTA_HEADROOM_BYTES > available) {
		throw new ImportError('quota', `needs ${needed} bytes, ${available} available`, undefined, {
			needed,
			available
		});
	}
}
