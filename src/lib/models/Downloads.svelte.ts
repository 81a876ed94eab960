// The download queue as the pages show it (queue.ts does the work, one model at a time): what is
// queued, running, done or failed, and the user's actions on it. A repair is a download that reads
// every stored file again first. When a model's download ends, listeners (the library, to look at
// its files again) hear its id.
import { SvelteSet } from 'svelte/reactivity';
import type { ModelRecord } from '$lib/engine/types';
import type { ModelDownloader } from './downloader';
import { DownloadQueue, type QueueEntry } from './queue';

export class Downloads {
	#entries = $state.raw<readonly QueueEntry[]>([]);
	/** Finished entries of models deleted since: their last report no longer applies. */
	readonly #dismissed = new SvelteSet<string>();
	readonly #queue: DownloadQueue;
	readonly #find: (modelId: string) => ModelRecord | undefined;
	/** Models whose next queue run is a repair (every stored file is read and checked). */
	#repairs: string[] = [];
	#listeners: Array<(modelId: string) => void> = [];

	/** `find`: the record of a model (catalog or custom) by id. */
	constructor(downloader: ModelDownloader, find: (modelId: string) => ModelRecord | undefined) {
		this.#find = find;
		this.#queue = new DownloadQueue({
			download: (record, options) => {
				const repair = this.#repairs.includes(record.model_id);
				this.#repairs = this.#repairs.filter((id) => id !== record.model_id);
				return repair ? downloader.repair(record, options) : downloader.download(record, options);
			}
		});
		this.#queue.subscribe((entries) => this.#onQueue(entries));
	}

	get queue(): readonly QueueEntry[] {
		return this.#entries.filter((e) => !this.#dismissed.has(e.record.model_id));
	}

	entryOf(modelId: string): QueueEntry | undefined {
		if (this.#dismissed.has(modelId)) return undefined;
		return this.#entries.find((e) => e.record.model_id === modelId);
	}

	/** Queues a download (or resumes one: stored files are kept and not fetched again). */
	download(modelId: string): void {
		const record = this.#find(modelId);
		if (!record) return;
		this.#dismissed.delete(modelId);
		this.#queue.enqueue(record);
	}

	/** Re-reads every stored file of the model and fetches whatever is missing or wrong. */
	repair(modelId: string): void {
		const record = this.#find(modelId);
		if (!record) return;
		if (!this.#repairs.includes(modelId)) this.#repairs.push(modelId);
		this.#dismissed.delete(modelId);
		this.#queue.enqueue(record);
	}

	cancel(modelId: string): void {
		this.#queue.cancel(modelId);
	}

	clearFinished(): void {
		this.#queue.clearFinished();
	}

	/** Stops the model's download and waits (a few seconds at most) until it has. */
	async stop(modelId: string): Promise<void> {
		this.#queue.cancel(modelId);
		const running = () => {
			const state = this.#queue.entries.find((e) => e.record.model_id === modelId)?.state;
			return state === 'downloading' || state === 'queued';
		};
		for (let i = 0; i < 200 && running(); i++) {
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	}

	/** Hides the model's last report: its files were deleted since. */
	dismiss(modelId: string): void {
		this.#dismissed.add(modelId);
	}

	/** Calls `listener` with a model's id when its download ends (done, failed or cancelled). */
	onFinished(listener: (modelId: string) => void): () => void {
		this.#listeners = [...this.#listeners, listener];
		return () => (this.#listeners = this.#listeners.filter((l) => l !== listener));
	}

	#onQueue(entries: readonly QueueEntry[]) {
		const before = this.#entries;
		this.#entries = entries;
		for (const entry of entries) {
			const was = before.find((e) => e.record.model_id === entry.record.model_id)?.state;
			const finished =
				entry.state === 'done' || entry.state === 'failed' || entry.state === 'cancelled';
			if (finished && was !== entry.state)
				for (const listener of this.#listeners) listener(entry.record.model_id);
		}
	}
}
