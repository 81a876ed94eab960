// The app's view of models on this device: the catalog and the user's custom models, which are
// stored (and whether completely enough to load offline), how big each is, when each was last
// used, and whether the browser is online. Created in the root layout with the download queue
// (Downloads.svelte.ts) and the storage figures (StorageQuota.svelte.ts), which it tells when it
// deletes files; pages and the chat picker read it, and ask it to act through intention-named
// methods.
//
// Statuses come from WebLLM's own caches (inventory.ts), so they are true whoever stored the
// files: this page's downloader, or WebLLM during a chat load. Only models that have a config or
// tensor-cache.json stored are inspected file by file; the others are known absent from one key
// listing, which keeps a scan of the whole catalog cheap. Nothing here touches a browser API
// before `start()`, which the layout calls once mounted (pages are prerendered).
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { ModelRecord } from '$lib/engine/types';
import { StorageError } from '$lib/storage/errors';
import { configArtifact, tensorCacheArtifact } from './artifacts';
import { catalog, type ModelKind } from './catalog';
import { ModelRepository, type CustomModelEntry, type ModelNoteEntry } from './customModels';
import { ModelDownloader } from './downloader';
import type { Downloads } from './Downloads.svelte';
import { toDownloadError, type DownloadError } from './errors';
import {
	checkCustomModel,
	fetchModelFacts,
	RemoteCheckError,
	type CustomModelInput
} from './remote';
import { estimateSize, formatBytes } from './size';
import { libraryText } from './strings';
import type { StorageQuota } from './StorageQuota.svelte';
import type { FetchLike } from './transfer';

export interface ModelState {
	state: 'absent' | 'partial' | 'complete';
	storedBytes: number;
	/** Bytes of every file once tensor-cache.json is stored; null before. */
	totalBytes: number | null;
	/** Everything a load reads is stored: it loads with no network. */
	readyOffline: boolean;
}

export interface SizeInfo {
	bytes: number;
	/** False: an estimate from the parameter count, to be labelled as one. */
	exact: boolean;
}

/** Why a custom model was not added; worded by `customModelProblemText` (strings.ts). */
export type CustomModelProblem =
	/** A file is missing, unreachable or not what MLC writes. */
	| { kind: 'check'; error: RemoteCheckError }
	/** The check itself failed in another way (the network, most likely). */
	| { kind: 'network'; error: DownloadError }
	/** A model with that name exists already. */
	| { kind: 'duplicate'; modelId: string }
	/** The checked model could not be kept (IndexedDB). */
	| { kind: 'storage'; error: StorageError };

export type AddCustomResult =
	{ ok: true; modelId: string; bytes: number } | { ok: false; problem: CustomModelProblem };

/** Where online/offline comes from: the window (navigator.onLine and its events) by default. */
export interface OnlineSource {
	readonly navigator: { readonly onLine: boolean };
	addEventListener(type: 'online' | 'offline', listener: () => void): void;
	removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface ModelLibraryDeps {
	/** Stops a model's download before its files are deleted, and says when one ends. */
	downloads: Downloads;
	/** Read again after files are deleted. */
	quota: StorageQuota;
	online?: () => OnlineSource;
	downloader?: ModelDownloader;
	repository?: ModelRepository;
	fetch?: FetchLike;
	now?: () => number;
	catalog?: readonly ModelRecord[];
}

const ABSENT: ModelState = {
	state: 'absent',
	storedBytes: 0,
	totalBytes: null,
	readyOffline: false
};

export class ModelLibrary {
	#custom = $state.raw<readonly CustomModelEntry[]>([]);
	readonly #statuses = new SvelteMap<string, ModelState>();
	readonly #notes = new SvelteMap<string, ModelNoteEntry>();
	#online = $state(true);
	#scanned = $state(false);
	readonly #sizing = new SvelteSet<string>();
	readonly #sizeErrors = new SvelteSet<string>();
	#records = $derived<readonly ModelRecord[]>([
		...this.#catalogRecords(),
		...this.#custom.map((c) => c.record)
	]);

	readonly #catalog: readonly ModelRecord[];
	readonly #downloader: ModelDownloader;
	readonly #repository: ModelRepository;
	readonly #fetch: FetchLike;
	readonly #now: () => number;
	readonly #onlineSource: () => OnlineSource;
	readonly #downloads: Downloads;
	readonly #quota: StorageQuota;
	#started = false;
	#loaded: Promise<void> = Promise.resolve();

	constructor(deps: ModelLibraryDeps) {
		this.#catalog = deps.catalog ?? catalog;
		this.#downloader = deps.downloader ?? new ModelDownloader();
		this.#repository = deps.repository ?? new ModelRepository();
		this.#fetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
		this.#now = deps.now ?? Date.now;
		this.#onlineSource = deps.online ?? (() => window);
		this.#downloads = deps.downloads;
		this.#quota = deps.quota;
	}

	/** A method, because field initialisers (the `$derived` above) run before the constructor. */
	#catalogRecords() {
		return this.#catalog;
	}

	/** Catalog models, then custom ones. */
	get records(): readonly ModelRecord[] {
		return this.#records;
	}
	get customModels(): readonly CustomModelEntry[] {
		return this.#custom;
	}
	get online(): boolean {
		return this.#online;
	}
	/** False until the first look at what is stored has finished. */
	get scanned(): boolean {
		return this.#scanned;
	}
	get readyOfflineCount(): number {
		let n = 0;
		for (const s of this.#statuses.values()) if (s.readyOffline) n++;
		return n;
	}
	/** Models with files stored, largest first. */
	get stored(): ReadonlyArray<{ record: ModelRecord; status: ModelState }> {
		const list: Array<{ record: ModelRecord; status: ModelState }> = [];
		for (const record of this.#records) {
			const status = this.#statuses.get(record.model_id);
			if (status && status.state !== 'absent') list.push({ record, status });
		}
		return list.sort((a, b) => b.status.storedBytes - a.status.storedBytes);
	}

	find(modelId: string): ModelRecord | undefined {
		return this.#records.find((r) => r.model_id === modelId);
	}
	isCustom(modelId: string): boolean {
		return this.#custom.some((c) => c.modelId === modelId);
	}
	statusOf(modelId: string): ModelState {
		return this.#statuses.get(modelId) ?? ABSENT;
	}
	lastUsedOf(modelId: string): number | null {
		return this.#notes.get(modelId)?.lastUsedAt ?? null;
	}
	/** The exact size once known (remembered, or from the stored files), else an estimate. */
	sizeOf(modelId: string): SizeInfo {
		const known = this.#notes.get(modelId)?.sizeBytes;
		if (known !== undefined) return { bytes: known, exact: true };
		const total = this.#statuses.get(modelId)?.totalBytes;
		if (total !== null && total !== undefined) return { bytes: total, exact: true };
		const record = this.find(modelId);
		return { bytes: record ? estimateSize(record).bytes : 0, exact: false };
	}
	isSizing(modelId: string): boolean {
		return this.#sizing.has(modelId);
	}
	sizeFailed(modelId: string): boolean {
		return this.#sizeErrors.has(modelId);
	}

	/**
	 * Why loading `modelId` now cannot work, in words, or null. Offline, only a model whose files
	 * are all stored can load: say so here instead of letting WebLLM fail on a fetch.
	 */
	loadProblem(modelId: string): string | null {
		if (this.#online || this.statusOf(modelId).readyOffline) return null;
		return libraryText.offlineNotDownloaded(modelId);
	}

	/** Resolves once `start()` has read what is stored and remembered. */
	get ready(): Promise<void> {
		return this.#loaded;
	}

	/** Reads what is stored and remembered; watches the connection. Returns a stop function. */
	start(): () => void {
		if (this.#started) return () => undefined;
		this.#started = true;
		// A download that ended stored (or left) files: look at them, and at the space they take.
		const unsubscribe = this.#downloads.onFinished(
			(id) => void this.#refreshOne(id).then(() => this.#quota.refresh())
		);
		const source = this.#onlineSource();
		const setOnline = () => (this.#online = source.navigator.onLine);
		setOnline();
		source.addEventListener('online', setOnline);
		source.addEventListener('offline', setOnline);
		this.#loaded = this.#load();
		return () => {
			unsubscribe();
			source.removeEventListener('online', setOnline);
			source.removeEventListener('offline', setOnline);
		};
	}

	async #load() {
		const [custom, notes] = await Promise.all([
			this.#repository.customModels().catch(() => []),
			this.#repository.notes().catch(() => [])
		]);
		this.#custom = custom;
		for (const note of notes) this.#notes.set(note.modelId, note);
		await this.rescan();
	}

	/** Looks at every model's files again (after something else may have changed them). */
	async rescan(): Promise<void> {
		const store = this.#downloader.store;
		let configKeys: readonly string[];
		let cacheKeys: readonly string[];
		try {
			configKeys = await store.keysWithPrefix('webllm/config', '');
			cacheKeys = await store.keysWithPrefix('webllm/model', '');
		} catch {
			this.#scanned = true;
			return; // No IndexedDB (a private window in some browsers): everything stays absent.
		}
		const found: Array<[string, ModelState]> = [];
		for (const record of this.#records) {
			const present =
				configKeys.includes(configArtifact(record).url) ||
				cacheKeys.includes(tensorCacheArtifact(record).url);
			if (present) found.push([record.model_id, await this.#status(record)]);
		}
		this.#statuses.clear();
		for (const [id, status] of found) if (status.state !== 'absent') this.#statuses.set(id, status);
		this.#scanned = true;
	}

	async #status(record: ModelRecord): Promise<ModelState> {
		try {
			const s = await this.#downloader.modelStatus(record);
			return {
				state: s.state,
				storedBytes: s.storedBytes,
				totalBytes: s.totalBytes,
				readyOffline: s.readyOffline
			};
		} catch {
			return ABSENT;
		}
	}

	async #refreshOne(modelId: string) {
		const record = this.find(modelId);
		if (!record) return;
		const status = await this.#status(record);
		if (status.state === 'absent') this.#statuses.delete(modelId);
		else this.#statuses.set(modelId, status);
		if (status.state === 'complete' && status.totalBytes !== null) {
			await this.#note(modelId, { sizeBytes: status.totalBytes });
		}
	}

	async #note(modelId: string, patch: Omit<ModelNoteEntry, 'modelId'>) {
		const old = this.#notes.get(modelId) ?? { modelId };
		this.#notes.set(modelId, { ...old, ...patch });
		await this.#repository.updateNote(modelId, patch).catch(() => undefined);
	}

	/** Deletes every file of the model (a library another stored model uses stays). */
	async remove(modelId: string): Promise<void> {
		const record = this.find(modelId);
		if (!record) return;
		await this.#downloads.stop(modelId);
		this.#downloads.dismiss(modelId);
		try {
			const result = await this.#downloader.deleteModel(record, this.#records);
			await Promise.all(
				[modelId, ...result.alsoRemoved].map((id) => this.#refreshOne(id).catch(() => undefined))
			);
		} finally {
			await this.#quota.refresh();
		}
	}

	/** Deletes every stored model. */
	async removeAll(): Promise<void> {
		for (const { record } of this.stored) {
			await this.#downloads.stop(record.model_id);
			this.#downloads.dismiss(record.model_id);
			await this.#downloader.deleteModel(record, []).catch(() => undefined);
		}
		this.#downloads.clearFinished();
		await this.rescan();
		await this.#quota.refresh();
	}

	/** Remembers that the model was loaded now, and looks at its files again (WebLLM may have stored some). */
	async markUsed(modelId: string): Promise<void> {
		await this.#note(modelId, { lastUsedAt: this.#now() });
		await this.#refreshOne(modelId);
	}

	/** Fetches the model's small files to learn its exact size (a few KB), and remembers it. */
	async fetchExactSize(modelId: string): Promise<void> {
		const record = this.find(modelId);
		if (!record || this.#sizing.has(modelId)) return;
		this.#sizing.add(modelId);
		this.#sizeErrors.delete(modelId);
		try {
			const facts = await fetchModelFacts(this.#fetch, record);
			await this.#note(modelId, { sizeBytes: facts.bytes });
		} catch {
			this.#sizeErrors.add(modelId);
		} finally {
			this.#sizing.delete(modelId);
		}
	}

	/** Checks a custom model over the network and, if it is a valid MLC model, keeps it. */
	async addCustom(input: CustomModelInput): Promise<AddCustomResult> {
		let checked: Awaited<ReturnType<typeof checkCustomModel>>;
		try {
			checked = await checkCustomModel(this.#fetch, input);
		} catch (error) {
			if (error instanceof RemoteCheckError)
				return { ok: false, problem: { kind: 'check', error } };
			return { ok: false, problem: { kind: 'network', error: toDownloadError(error, 'network') } };
		}
		const { record, kind, facts } = checked;
		if (this.find(record.model_id)) {
			return { ok: false, problem: { kind: 'duplicate', modelId: record.model_id } };
		}
		const entry: CustomModelEntry = {
			modelId: record.model_id,
			record,
			addedAt: this.#now(),
			type: kind
		};
		try {
			await this.#repository.saveCustomModel(entry);
		} catch (error) {
			return { ok: false, problem: { kind: 'storage', error: StorageError.from(error) } };
		}
		this.#custom = [...this.#custom, entry];
		await this.#note(record.model_id, { sizeBytes: facts.bytes });
		await this.#refreshOne(record.model_id);
		return { ok: true, modelId: record.model_id, bytes: facts.bytes };
	}

	/**
	 * After an import stored a model's files (import.ts): keeps a new custom one in the list,
	 * remembers its exact size, and looks at its files again, so it shows as ready offline.
	 */
	async adoptImported(imported: {
		record: ModelRecord;
		kind: ModelKind;
		custom: boolean;
		existing: boolean;
		bytes: number;
	}): Promise<void> {
		const { record } = imported;
		if (imported.custom && !imported.existing) {
			const entry: CustomModelEntry = {
				modelId: record.model_id,
				record,
				addedAt: this.#now(),
				type: imported.kind,
				source: 'files'
			};
			await this.#repository.saveCustomModel(entry);
			this.#custom = [...this.#custom, entry];
		}
		// A download report from before the import no longer applies.
		this.#downloads.dismiss(record.model_id);
		await this.#note(record.model_id, { sizeBytes: imported.bytes });
		await this.#refreshOne(record.model_id);
		await this.#quota.refresh();
	}

	/** Forgets a custom model and deletes its files. */
	async removeCustom(modelId: string): Promise<void> {
		if (!this.isCustom(modelId)) return;
		await this.remove(modelId);
		await this.#repository.removeCustomModel(modelId).catch(() => undefined);
		this.#custom = this.#custom.filter((c) => c.modelId !== modelId);
		this.#notes.delete(modelId);
	}
}

/** "1.2 GB" or "about 1.2 GB (estimate)". */
export function sizeLabel(size: SizeInfo): string {
	if (size.bytes <= 0) return libraryText.unknown;
	const text = formatBytes(size.bytes);
	return size.exact ? libraryText.exact(text) : libraryText.about(text);
}
