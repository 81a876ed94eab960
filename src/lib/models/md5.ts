// MD5, incrementally, for checking weight shards against the `md5sum` that MLC writes into
// tensor-cache.json. WebCrypto has no MD5, so this uses hash-wasm (hand-written WebAssembly, a few
// hundred MB/s on one core, well-kept and dependency-free). It compiles its WebAssembly from bytes
// it carries, which the Content-Security-Policy allows ('wasm-unsafe-eval', as for WebLLM), and it
// is loaded only when the first shard is checked: the first page never pays for it.

/** One running hash: feed it chunks in order, then read the hex digest once. */
export interface Md5 {
	update(bytes: Uint8Array): void;
	/** Lowercase hex, as MLC writes it. The hash starts over afterwards. */
	digest(): string;
}

let loading: Promise<typeof import('./md5-wasm')> | null = null;

function load() {
	loading ??= import('./md5-wasm').catch((error: unknown) => {
		loading = null; // A failed load (offline before the chunk was cached) may work next time.
		throw error;
	});
	return loading;
}

/**
 * Loads the library now, in the background: the Models page does, so that an import works even
 * if the network is gone by then (the service worker also keeps the chunk for offline starts).
 */
export function preloadMd5(): void {
	void load().catch(() => undefined);
}

/** A fresh hash. The first call loads the library (about 10 kB). */
export async function createMd5(): Promise<Md5> {
	const { createMD5 } = await load();
	const hasher = await createMD5();
	return {
		update: (bytes) => void hasher.update(bytes),
		digest: () => {
			const hex = hasher.digest('hex');
			hasher.init();
			return hex;
		}
	};
}

/** Hashes bytes already in memory (a stored shard), a slice at a time. */
export async function md5Of(bytes: ArrayBuffer | Uint8Array): Promise<string> {
	const hash = await createMd5();
	const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
	const step = 4 * 1024 * 1024;
	for (let at = 0; at < view.byteLength; at += step) hash.update(view.subarray(at, at + step));
	return hash.digest();
}
