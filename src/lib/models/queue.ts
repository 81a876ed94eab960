// Several models waiting to download, fetched one at a time: the network is the bottleneck, and
// one model at a time keeps only one shard in memory. Plain TypeScript with a subscribe method,
// so it runs in Node tests; a `.svelte.ts` wrapper can mirror `entries` into `$state.raw`.
import type { ArtifactRecord } from './artifacts';
import type { DownloadOptions, DownloadProgress, DownloadResult } from './downloader';
import { DownloadError, toDownloadError } from './errors';

export type QueueState = 'queued' | 'downloading' | 'done' | 'failed' | 'cancelled';

export interface QueueEntry {
	readonly record: ArtifactRecord;
	readonly state: QueueState;
	/** The latest report while downloading (kept after it ends, for the last figures). */
	readonly progress: DownloadProgress | null;
	/** Set when `state` is 'failed'. */
	readonly error: DownloadError | null;
}

export interface DownloaderLike {
	download(record: ArtifactRecord, options?: DownloadOptions): Promise<DownloadResult>;
}

export class DownloadQueue {
	#entries: QueueEntry[] = [];
	#listeners = new Set<(entries: readonly QueueEntry[]) => void>();
	#current: { modelId: string; abort: AbortController } | null = null;
	#running: Promise<void> | null = null;
	readonly #downloader: DownloaderLike;

	constructor(downloader: DownloaderLike) {
		this.#downloader = downloader;
	}

	get entries(): readonly QueueEntry[] {
		return this.#entries;
	}

	/** Calls `listener` now and after every change; returns the unsubscribe function. */
	subscribe(listener: (entries: readonly QueueEntry[]) => void): () => void {
		this.#listeners.add(listener);
		listener(this.#entries);
		return () => this.#listeners.delete(listener);
	}

	/** Adds a model (again, if it failed or was cancelled); no-op while it is queued or running. */
	enqueue(record: ArtifactRecord): void {
		const existing = this.#find(record.model_id);
		if (existing && (existing.state === 'queued' || existing.state === 'downloading')) return;
		const entry: QueueEntry = { record, state: 'queued', progress: null, error: null };
		this.#entries = existing
			? this.#entries.map((e) => (e === existing ? entry : e))
			: [...this.#entries, entry];
		this.#emit();
		this.#running ??= this.#drain().finally(() => (this.#running = null));
	}

	/** Stops a running download (stored files are kept, so a later enqueue resumes) or unqueues one. */
	cancel(modelId: string): void {
		if (this.#current?.modelId === modelId) {
			this.#current.abort.abort();
			return;
		}
		const entry = this.#find(modelId);
		if (entry?.state === 'queued') this.#update(modelId, { state: 'cancelled' });
	}

	/** Forgets finished, failed and cancelled entries. */
	clearFinished(): void {
		this.#entries = this.#entries.filter((e) => e.state === 'queued' || e.state === 'downloading');
		this.#emit();
	}

	/** Resolves once nothing is queued or running. */
	async idle(): Promise<void> {
		while (this.#running) await this.#running;
	}

	async #drain(): Promise<void> {
		for (;;) {
			const next = this.#entries.find((e) => e.state === 'queued');
			if (!next) return;
			const modelId = next.record.model_id;
			const abort = new AbortController();
			this.#current = { modelId, abort };
			this.#update(modelId, { state: 'downloading' });
			try {
				await this.#downloader.download(next.record, {
					signal: abort.signal,
					onProgress: (progress) => this.#update(modelId, { progress })
				});
				this.#update(modelId, { state: 'done' });
			} catch (error) {
				const failure = toDownloadError(error, 'network');
				this.#update(
					modelId,
					failure.code === 'aborted' || abort.signal.aborted
						? { state: 'cancelled' }
						: { state: 'failed', error: failure }
				);
			} finally {
				this.#current = null;
			}
		}
	}

	#find(modelId: string): QueueEntry | undefined {
		return this.#entries.find((e) => e.record.model_id === modelId);
	}

	#update(modelId: string, patch: Partial<Omit<QueueEntry, 'record'>>) {
		this.#entries = this.#entries.map((e) =>
			e.record.model_id === modelId ? { ...e, ...patch } : e
		);
		this.#emit();
	}

	#emit() {
		for (const listener of this.#listeners) listener(this.#entries);
	}
}
