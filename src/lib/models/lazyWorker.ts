// A worker that starts on first use and ends after a while with nothing to do (the next use starts
// a fresh one), shared by the shard fetcher (shardWorker.ts) and the shard writer (shardStore.ts).
// If it cannot start (its script failed to load) or it fails later, it is "broken" from then on:
// its owner is told once and does the work on the page, as it did before the worker existed.

export interface LazyWorkerOptions<Reply> {
	create: () => Worker;
	/** A worker with nothing to do for this long is ended. */
	idleMs: number;
	/** Every message from the running worker (a worker already replaced says nothing). */
	onReply: (reply: Reply) => void;
	/** The running worker failed; `start` returns null from now on. Called once. */
	onFailed: () => void;
}

export class LazyWorker<Reply> {
	readonly #options: LazyWorkerOptions<Reply>;
	#worker: Worker | null = null;
	#broken = false;
	#idle: ReturnType<typeof setTimeout> | null = null;

	constructor(options: LazyWorkerOptions<Reply>) {
		this.#options = options;
	}

	/** The worker could not start or failed: the owner does the work from now on. */
	get broken(): boolean {
		return this.#broken;
	}

	/** The worker now running, if any (not started by this). */
	get running(): Worker | null {
		return this.#worker;
	}

	/** The running worker, started if need be; null when it is broken or cannot start. */
	start(): Worker | null {
		if (this.#broken) return null;
		if (this.#idle !== null) clearTimeout(this.#idle);
		this.#idle = null;
		if (this.#worker) return this.#worker;
		let worker: Worker;
		try {
			worker = this.#options.create();
		} catch {
			this.#broken = true;
			return null;
		}
		worker.addEventListener('message', (event: MessageEvent<Reply>) => {
			if (this.#worker === worker) this.#options.onReply(event.data);
		});
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.#fail(worker);
		});
		this.#worker = worker;
		return worker;
	}

	/** Nothing left to do: the worker ends after `idleMs`, unless `start` is called first. */
	idle(): void {
		const worker = this.#worker;
		if (!worker) return;
		if (this.#idle !== null) clearTimeout(this.#idle);
		this.#idle = setTimeout(() => {
			this.#idle = null;
			if (this.#worker !== worker) return;
			worker.terminate();
			this.#worker = null;
		}, this.#options.idleMs);
	}

	#fail(worker: Worker) {
		worker.terminate();
		if (this.#worker !== worker) return;
		this.#worker = null;
		this.#broken = true;
		if (this.#idle !== null) clearTimeout(this.#idle);
		this.#idle = null;
		this.#options.onFailed();
	}
}
