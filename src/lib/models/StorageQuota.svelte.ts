// How much the browser lets this site store, how much it uses, and whether it promised to keep it
// ("Keep my models": persistent storage). Read at start and again after anything that changes what
// is stored (a download finishing, a model deleted).

export interface StorageInfo {
	usage: number | null;
	quota: number | null;
}

/** `persisted`: what the browser says; 'unsupported' when it cannot be asked. */
export type PersistState = 'unknown' | 'unsupported' | 'persisted' | 'not-persisted';

export interface StorageManagerLike {
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
	persist?: () => Promise<boolean>;
	persisted?: () => Promise<boolean>;
}

export class StorageQuota {
	#storage = $state.raw<StorageInfo>({ usage: null, quota: null });
	#persist = $state<PersistState>('unknown');
	readonly #manager: () => StorageManagerLike | undefined;
	#loaded: Promise<void> = Promise.resolve();

	/** `manager`: navigator.storage by default (asked for only once started). */
	constructor(
		manager: () => StorageManagerLike | undefined = () =>
			typeof navigator === 'undefined' ? undefined : navigator.storage
	) {
		this.#manager = manager;
	}

	get storage(): StorageInfo {
		return this.#storage;
	}
	get persist(): PersistState {
		return this.#persist;
	}
	/** Bytes the browser would still store; null when it does not say. */
	get freeBytes(): number | null {
		const { quota, usage } = this.#storage;
		return quota !== null ? Math.max(0, quota - (usage ?? 0)) : null;
	}
	/** Resolves once `start()` has read the figures. */
	get ready(): Promise<void> {
		return this.#loaded;
	}

	start(): Promise<void> {
		this.#loaded = Promise.all([this.refresh(), this.#readPersisted()]).then(() => undefined);
		return this.#loaded;
	}

	async refresh(): Promise<void> {
		const storage = this.#manager();
		if (!storage?.estimate) return;
		try {
			const { usage, quota } = await storage.estimate();
			this.#storage = { usage: usage ?? null, quota: quota ?? null };
		} catch {
			/* Keep the last figures. */
		}
	}

	async #readPersisted() {
		const storage = this.#manager();
		if (!storage?.persisted || !storage.persist) {
			this.#persist = 'unsupported';
			return;
		}
		try {
			this.#persist = (await storage.persisted()) ? 'persisted' : 'unknown';
		} catch {
			this.#persist = 'unsupported';
		}
	}

	/** "Keep my models": asks the browser not to evict stored data; shows what it answered. */
	async keepModels(): Promise<void> {
		const storage = this.#manager();
		if (!storage?.persist) {
			this.#persist = 'unsupported';
			return;
		}
		try {
			this.#persist = (await storage.persist()) ? 'persisted' : 'not-persisted';
		} catch {
			this.#persist = 'not-persisted';
		}
	}
}
