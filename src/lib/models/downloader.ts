// Downloads a model into WebLLM's own IndexedDB caches (see artifacts.ts for the keys), so that a
// later load by WebLLM finds everything and makes no network request. Why not let WebLLM download
// it? WebLLM 0.2.86 stores whatever a 200 response holds (a captive portal's HTML page becomes a
// "shard"), cannot resume within its progress reporting, ignores the storage quota until a write
// fails, and keeps a stale tensor-cache.json after its own delete.
//
// Order of work, chosen so that a failure never leaves something wrong behind:
//   1. the small files (manifest, config, tensor-cache.json, library, tokenizer) are read from
//      storage or fetched and checked, in memory only, a few at once;
//   2. the quota is checked against the exact bytes still missing: too little, nothing is stored;
//   3. the small files are stored while the first shards come (no shard is stored before them),
//      and the missing shards are streamed over a few connections at once (parallel.ts: as many
//      as make it faster, up to four; a shard may come over two or more, in parts,
//      shardSplit.ts), each size- and MD5-checked while it arrives (integrity.ts; fetched and
//      hashed in a worker, shardFetch.ts) and stored as soon as it is whole (written in another
//      worker, shardStore.ts), one write at a time.
// A shard is stored only whole, of the size and MD5 tensor-cache.json gives, so "the key exists"
// means "the shard is good" and a resumed download skips stored shards without reading them.
// `repair` reads them to check size and MD5 too, for files stored by someone else (WebLLM itself,
// an older Lantern). A stored tensor-cache.json none of whose shards is stored (what WebLLM's own
// delete leaves) is refetched. A file the server fails on (5xx, 408, 429) is fetched again twice,
// after a pause, while the other connections go on; a 404 stops the run at once (see `retryDelay`
// in errors.ts). Either way the stored shards stay.
import {
	configArtifact,
	libraryArtifact,
	manifestArtifact,
	shardArtifacts,
	tensorCacheArtifact,
	tokenizerArtifact,
	type Artifact,
	type ArtifactRecord
} from './artifacts';
import { DownloadError, RETRY_DELAYS_MS, retryDelay, toDownloadError } from './errors';
import { isImportedUrl } from './imported';
import { isShardIntact, verifyShardMd5 } from './integrity';
import {
	decodeConfig,
	deleteModel,
	modelStatus,
	type DeleteResult,
	type ModelStatus
} from './inventory';
import {
	AdaptiveConnections,
	fetchAndStoreAll,
	MAX_CONNECTIONS,
	type ConnectionPolicy
} from './parallel';
import { snapshot, SpeedMeter, type ProgressSnapshot } from './progress';
import { releaseBuffer } from './release';
import { parseTensorCache, type TensorCache } from './size';
import { inPageShards, type ShardFetcher } from './shardFetch';
import { createShardFetcher } from './shardWorker';
import { createShardWriter, pageShardWriter, type ShardWriter } from './shardStore';
import { ArtifactStore, storedSize } from './store';
import { checkBody, fetchBytes, type FetchLike } from './transfer';

export interface StorageEstimateLike {
	quota?: number;
	usage?: number;
}

export interface DownloaderDeps {
	fetch?: FetchLike;
	/** Defaults to `navigator.storage.estimate()`; a missing quota skips the check. */
	estimate?: () => Promise<StorageEstimateLike>;
	store?: ArtifactStore;
	now?: () => number;
	/** Least time between two progress reports within one file (file ends always report). */
	progressIntervalMs?: number;
	/** Waits before each automatic retry of a file that met a server error (see `retryDelay`). */
	retryDelaysMs?: readonly number[];
	/** Defaults to a timer; rejects when `signal` aborts. */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** How many shards may be fetched at once, per run (default: adaptive, up to four). */
	connections?: () => ConnectionPolicy;
	/**
	 * Fetches and hashes shards. Default: in a worker (shardWorker.ts), or on the page with
	 * `fetch` when one is given (tests) or no worker can start.
	 */
	shards?: ShardFetcher;
	/**
	 * Writes shards. Default: in a worker (shardStore.ts), or on the page into `store` when a
	 * `store` or `fetch` is given (tests) or no worker can start.
	 */
	writer?: ShardWriter;
}

export interface DownloadProgress extends ProgressSnapshot {
	modelId: string;
	/** 'preparing' until tensor-cache.json gives the total. */
	phase: 'preparing' | 'downloading' | 'done';
	filesDone: number;
	filesTotal: number;
	/** The file being fetched now, if any. */
	currentUrl: string | null;
}

export interface DownloadOptions {
	signal?: AbortSignal;
	onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadResult {
	modelId: string;
	/** Files fetched by this run (0 when everything was already stored). */
	fetchedFiles: number;
	fetchedBytes: number;
	totalBytes: number;
}

/** Kept free beyond the model itself, for the app's own data and IndexedDB's overhead. */
export const QUOTA_HEADROOM_BYTES = 32_000_000;

interface Planned {
	artifact: Artifact;
	/** The value to store, when it had to be fetched; undefined when already stored. */
	fresh?: unknown;
	bytes: number;
}

/** Waits `ms`, or rejects with an 'aborted' DownloadError as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(new DownloadError('aborted', 'cancelled'));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(new DownloadError('aborted', 'cancelled'));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function defaultEstimate(): Promise<StorageEstimateLike> {
	const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
	return storage?.estimate ? storage.estimate() : Promise.resolve({});
}

export class ModelDownloader {
	readonly store: ArtifactStore;
	readonly #fetch: FetchLike;
	readonly #estimate: () => Promise<StorageEstimateLike>;
	readonly #now: () => number;
	readonly #interval: number;
	readonly #retryDelays: readonly number[];
	readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	readonly #connections: () => ConnectionPolicy;
	readonly #shards: ShardFetcher;
	readonly #writer: ShardWriter;

	constructor(deps: DownloaderDeps = {}) {
		this.store = deps.store ?? new ArtifactStore();
		this.#fetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
		this.#estimate = deps.estimate ?? defaultEstimate;
		this.#now = deps.now ?? (() => Date.now());
		this.#interval = deps.progressIntervalMs ?? 250;
		this.#retryDelays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
		this.#sleep = deps.sleep ?? sleepUnlessAborted;
		this.#connections =
			deps.connections ?? (() => new AdaptiveConnections({ max: MAX_CONNECTIONS }));
		this.#shards =
			deps.shards ?? (deps.fetch ? inPageShards(deps.fetch) : createShardFetcher(this.#fetch));
		this.#writer =
			deps.writer ??
			(deps.fetch || deps.store ? pageShardWriter(this.store) : createShardWriter(this.store));
	}

	/** Fetches whatever is missing; files already stored are trusted (see the header). */
	download(record: ArtifactRecord, options: DownloadOptions = {}): Promise<DownloadResult> {
		return this.#run(record, options, false);
	}

	/** Like `download`, but first reads every stored file and replaces missing or bad ones. */
	repair(record: ArtifactRecord, options: DownloadOptions = {}): Promise<DownloadResult> {
		return this.#run(record, options, true);
	}

	modelStatus(record: ArtifactRecord, options: { verify?: boolean } = {}): Promise<ModelStatus> {
		return modelStatus(this.store, record, options);
	}

	deleteModel(
		record: ArtifactRecord,
		allRecords: readonly ArtifactRecord[]
	): Promise<DeleteResult> {
		return deleteModel(this.store, record, allRecords);
	}

	async #run(
		record: ArtifactRecord,
		{ signal, onProgress }: DownloadOptions,
		verify: boolean
	): Promise<DownloadResult> {
		// While the small files come, the shard workers start, load the MD5 library and open the
		// database: done on the first shard, that held up its write (measured: 340 ms against
		// 175 for the next ones). Workers not needed after all (nothing missing) end when idle.
		this.#shards.prepare();
		this.#writer.prepare('webllm/model');
		const meter = new SpeedMeter(this.#now);
		let fetchedFiles = 0;
		let fetchedBytes = 0;
		let doneBytes = 0;
		let totalBytes = 0;
		let filesDone = 0;
		let filesTotal = 0;
		let phase: DownloadProgress['phase'] = 'preparing';
		let currentUrl: string | null = null;
		let lastReport = -Infinity;
		const report = (force: boolean) => {
			const now = this.#now();
			if (!onProgress || (!force && now - lastReport < this.#interval)) return;
			lastReport = now;
			onProgress({
				modelId: record.model_id,
				phase,
				filesDone,
				filesTotal,
				currentUrl,
				...snapshot(doneBytes, totalBytes, meter.speed())
			});
		};
		// Created when the shards start, so that its first measure is of shards only.
		let connections: ConnectionPolicy | null = null;
		const fetchChecked = async (
			artifact: Artifact,
			expectedBytes?: number,
			fileSignal: AbortSignal | undefined = signal,
			onFree?: () => void
		) => {
			currentUrl = artifact.url;
			report(true);
			// A model from files has made-up addresses (identity.ts): there is nothing to fetch.
			if (isImportedUrl(artifact.url)) {
				throw new DownloadError('from-files', 'imported from files', artifact.url);
			}
			const onBytes = (n: number) => {
				meter.add(n);
				connections?.received(n);
				doneBytes += n;
				report(false);
			};
			// A retried error (a status) comes before any body byte, so progress needs no undoing.
			let body: ArrayBuffer;
			for (let attempt = 1; ; attempt++) {
				try {
					if (artifact.kind === 'shard' && expectedBytes !== undefined) {
						const shard = await this.#shards.fetch(
							{ url: artifact.url, expectedBytes, hash: artifact.md5 !== undefined },
							{ signal: fileSignal, onBytes, onFree }
						);
						verifyShardMd5(artifact, shard.md5);
						body = shard.body;
					} else {
						body = await fetchBytes(this.#fetch, artifact.url, {
							signal: fileSignal,
							expectedBytes,
							onBytes
						});
					}
					break;
				} catch (error) {
					const failure = toDownloadError(error, 'network', artifact.url);
					const delay = retryDelay(failure, attempt, this.#retryDelays);
					if (delay === null) throw failure;
					await this.#sleep(delay, fileSignal);
				}
			}
			fetchedFiles++;
			fetchedBytes += body.byteLength;
			return body;
		};

		// 1. Small files, in memory only, a few at once: each costs a round trip, and one after the
		// other they held the first shard back (65 ms for five on a loopback server; a round trip
		// each on a far one). The config and tensor-cache.json first (what comes next depends on
		// them), then the library and the tokenizer while the stored shards are looked up.
		const manifest = manifestArtifact(record);
		const [manifestPlan, configPlan, firstCachePlan] = await allSettled([
			manifest ? this.#small(manifest, verify, fetchChecked) : null,
			this.#small(configArtifact(record), true, fetchChecked),
			this.#small(tensorCacheArtifact(record), true, fetchChecked)
		]);
		const config = decodeConfig(configPlan.fresh ?? (await this.#read(configPlan.artifact)));
		const tokenizer = config ? tokenizerArtifact(record, config) : null;
		if (!config || !tokenizer) {
			throw new DownloadError(
				'not-a-model-file',
				'mlc-chat-config.json names no tokenizer WebLLM can read',
				configPlan.artifact.url
			);
		}
		let cachePlan = firstCachePlan;
		let cache = parseTensorCache(cachePlan.fresh ?? (await this.#read(cachePlan.artifact)));
		// A stored tensor-cache.json with none of its shards is what WebLLM's own delete leaves
		// behind, possibly from an older revision of the model: fetch a current one.
		if (cache && cachePlan.fresh === undefined && !(await this.#anyShardStored(record, cache))) {
			cachePlan = await this.#small(cachePlan.artifact, true, fetchChecked, true);
			cache = parseTensorCache(cachePlan.fresh);
		}
		if (!cache) {
			throw new DownloadError(
				'not-a-model-file',
				'not a tensor-cache.json',
				cachePlan.artifact.url
			);
		}
		const library = libraryArtifact(record);
		const shards = shardArtifacts(record, cache);
		const [libraryPlan, tokenizerPlan, missing] = await allSettled([
			library.cacheable ? this.#small(library, verify, fetchChecked) : null,
			this.#small(tokenizer, verify, fetchChecked),
			this.#missingShards(shards, verify)
		]);
		const plan = [manifestPlan, configPlan, libraryPlan, tokenizerPlan, cachePlan].filter(
			(p): p is Planned => p !== null
		);

		// 2. The quota, for everything not yet stored.
		const smallBytes = plan.reduce((sum, p) => sum + p.bytes, 0);
		const shardBytes = shards.reduce((sum, s) => sum + (s.nbytes ?? 0), 0);
		const missingShardBytes = missing.reduce((sum, s) => sum + (s.nbytes ?? 0), 0);
		const freshBytes = plan.reduce((sum, p) => sum + (p.fresh !== undefined ? p.bytes : 0), 0);
		await this.#checkQuota(freshBytes + missingShardBytes);

		phase = 'downloading';
		totalBytes = smallBytes + shardBytes;
		doneBytes = totalBytes - missingShardBytes;
		filesTotal = plan.length + shards.length;
		filesDone = filesTotal - missing.length;
		currentUrl = null;
		report(true);

		// 3. The small files are stored while the first shards come; no shard is stored before
		// them (tensor-cache.json last, as before), so a shard is never stored without its model.
		const smallStored = (async () => {
			for (const { artifact, fresh } of plan) {
				if (fresh !== undefined) await this.#put(artifact, fresh);
			}
		})();
		// Its failure is reported by the first shard's write, or below when no shard is missing.
		smallStored.catch(() => undefined);
		// Several shards arrive at once (parallel.ts); each is stored as soon as it is whole and
		// checked. Whatever happens, a write in flight finishes before the caller looks at storage.
		connections = this.#connections();
		try {
			await fetchAndStoreAll({
				items: missing,
				policy: connections,
				signal,
				fetch: (shard, shardSignal, free) => fetchChecked(shard, shard.nbytes, shardSignal, free),
				help: (helpSignal) => this.#shards.help(helpSignal),
				store: async (shard, body) => {
					await smallStored;
					await this.#putShard(shard, body);
					// Stored on the page: its bytes are dropped now (handed to a worker: already gone).
					releaseBuffer(body);
					filesDone++;
					report(true);
				}
			});
		} finally {
			// A small file being written finishes before the caller looks at storage, too.
			await smallStored.catch(() => undefined);
		}

		await smallStored;

		phase = 'done';
		currentUrl = null;
		doneBytes = totalBytes;
		report(true);
		return { modelId: record.model_id, fetchedFiles, fetchedBytes, totalBytes };
	}

	/**
	 * A small file: the stored one, if present (and, when `check`, still readable as its kind),
	 * else fetched and checked. JSON artifacts are kept parsed, the rest as bytes.
	 */
	async #small(
		artifact: Artifact,
		check: boolean,
		fetchChecked: (a: Artifact) => Promise<ArrayBuffer>,
		refetch = false
	): Promise<Planned> {
		const stored = refetch ? undefined : await this.#read(artifact);
		if (stored !== undefined && (!check || isStoredValid(artifact, stored))) {
			return { artifact, bytes: storedSize(stored) };
		}
		const body = await fetchChecked(artifact);
		const parsed = checkBody(artifact, body);
		const fresh = artifact.storeAs === 'json' ? parsed : body;
		return { artifact, fresh, bytes: body.byteLength };
	}

	/**
	 * The shards not stored yet (with `verify`, also those stored wrong), looked up all at once;
	 * a check that reads the bytes goes one shard at a time, so that memory holds one.
	 */
	async #missingShards(shards: readonly Artifact[], verify: boolean): Promise<Artifact[]> {
		const stored: boolean[] = [];
		if (verify) for (const shard of shards) stored.push(await this.#shardStored(shard, true));
		else stored.push(...(await Promise.all(shards.map((s) => this.#shardStored(s, false)))));
		return shards.filter((_, i) => !stored[i]);
	}

	async #anyShardStored(record: ArtifactRecord, cache: TensorCache): Promise<boolean> {
		for (const shard of shardArtifacts(record, cache)) {
			if (await this.#shardStored(shard, false)) return true;
		}
		return false;
	}

	async #shardStored(shard: Artifact, verify: boolean): Promise<boolean> {
		try {
			if (!verify) return await this.store.has(shard.db, shard.url);
			const data = await this.store.get(shard.db, shard.url);
			if (data === undefined) return false;
			if (await isShardIntact(shard, data)) return true;
			// Wrong size or MD5: WebLLM would fail on it (or load garbage). Remove it now.
			await this.store.delete(shard.db, shard.url);
			return false;
		} catch (error) {
			throw toDownloadError(error, 'storage', shard.url);
		}
	}

	async #read(artifact: Artifact): Promise<unknown> {
		try {
			return await this.store.get(artifact.db, artifact.url);
		} catch (error) {
			throw toDownloadError(error, 'storage', artifact.url);
		}
	}

	async #put(artifact: Artifact, data: unknown): Promise<void> {
		try {
			await this.store.put(artifact.db, artifact.url, data);
		} catch (error) {
			throw toDownloadError(error, 'storage', artifact.url);
		}
	}

	async #putShard(shard: Artifact, body: ArrayBuffer): Promise<void> {
		try {
			await this.#writer.put(shard.db, shard.url, body);
		} catch (error) {
			throw toDownloadError(error, 'storage', shard.url);
		}
	}

	async #checkQuota(neededBytes: number): Promise<void> {
		if (neededBytes === 0) return;
		let estimate: StorageEstimateLike;
		try {
			estimate = await this.#estimate();
		} catch {
			return; // No estimate: let the writes themselves fail if space runs out.
		}
		if (typeof estimate.quota !== 'number') return;
		const available = estimate.quota - (estimate.usage ?? 0);
		if (neededBytes + QUOTA_HEADROOM_BYTES > available) {
			throw new DownloadError(
				'quota',
				`needs ${neededBytes} bytes, ${available} available`,
				undefined,
				{ needed: neededBytes, available }
			);
		}
	}
}

/**
 * Like `Promise.all`, but settles once every promise has: nothing of a failed step goes on (or
 * reports progress) after it, and the first failure in order is the one thrown.
 */
async function allSettled<T extends readonly unknown[]>(
	promises: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
	const results = await Promise.allSettled(promises);
	for (const result of results) if (result.status === 'rejected') throw result.reason;
	return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
		-readonly [K in keyof T]: Awaited<T[K]>;
	};
}

/** Whether a stored small file is still what WebLLM expects to read. */
function isStoredValid(artifact: Artifact, data: unknown): boolean {
	switch (artifact.kind) {
		case 'config':
			return decodeConfig(data) !== null;
		case 'tensor-cache':
			return parseTensorCache(data) !== null;
		case 'manifest':
		case 'library':
		case 'tokenizer':
			if (!(data instanceof ArrayBuffer) || data.byteLength === 0) return false;
			try {
				checkBody(artifact, data);
				return true;
			} catch {
				return false;
			}
		case 'shard':
			return data instanceof ArrayBuffer && data.byteLength === artifact.nbytes;
	}
}
