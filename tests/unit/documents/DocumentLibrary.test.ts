// The documents service's own state against a real (fake-indexeddb) database. The page takes input
// before its stores are read (the shell is interactive at once), so a pick can land while the
// stored pick is still being read: the user's pick must win (commit c9ed4c2).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DocumentLibrary, MODEL_SETTING } from '$lib/documents/DocumentLibrary.svelte';
import { DocumentRepository } from '$lib/documents/repository';
import type { Engine, ModelRecord } from '$lib/engine/types';
import { connect } from '$lib/storage/db';
import { SettingsRepository } from '$lib/storage/settings';

const embed = (id: string): ModelRecord => ({
	model: `https://x/${id}/`,
	model_id: id,
	model_lib: `${id}.wasm`,
	model_type: 1
});
const MODELS = [embed('embed-stored'), embed('embed-picked')];

/** An engine that is never asked anything here: there are no documents to index. */
const idle: Engine = {
	async load() {},
	async embed() {
		return [];
	},
	async *chat() {},
	async interrupt() {},
	async unload() {},
	async loaded() {
		return [];
	},
	onLost: () => () => undefined
};

/**
 * Settings whose reads return what was stored when they began, but only once `release` is called,
 * as a slow first read of IndexedDB does.
 */
class SlowSettings extends SettingsRepository {
	reads = 0;
	#open = () => {};
	#gate = new Promise<void>((resolve) => (this.#open = resolve));
	release() {
		this.#open();
	}
	override async get<T>(key: string, guard: (v: unknown) => v is T, fallback: T): Promise<T> {
		this.reads++;
		const value = await super.get(key, guard, fallback);
		await this.#gate;
		return value;
	}
}

let count = 0;
let stop: (() => void) | null = null;

function setup() {
	const connection = connect(`library-${++count}`);
	const settings = new SlowSettings(connection, () => undefined);
	const library = new DocumentLibrary({
		repository: new DocumentRepository(connection),
		settings,
		engine: idle,
		reader: { read: async () => ({ pages: null, count: 0 }) },
		models: {
			records: () => MODELS,
			readyOffline: () => true,
			online: () => true,
			ready: async () => undefined
		},
		estimate: async () => ({ usage: 0, quota: 1e9 })
	});
	return { library, settings };
}

beforeEach(() => {
	vi.stubGlobal('window', new EventTarget());
});
afterEach(() => {
	stop?.();
	stop = null;
	vi.unstubAllGlobals();
});

describe('the picked embedding model', () => {
	it('is read from storage when the user picks nothing meanwhile', async () => {
		const { library, settings } = setup();
		await new SettingsRepository(connect(`library-${count}`), () => undefined).set(
			MODEL_SETTING,
			'embed-stored'
		);
		stop = library.start();
		settings.release();
		await vi.waitFor(() => expect(library.loaded).toBe(true));
		expect(library.modelId).toBe('embed-stored');
	});

	it('keeps a pick made while the stored pick is still being read', async () => {
		const { library, settings } = setup();
		await new SettingsRepository(connect(`library-${count}`), () => undefined).set(
			MODEL_SETTING,
			'embed-stored'
		);
		stop = library.start();
		// The read has begun (it holds the stored pick) and is slow; the user picks in the meantime.
		await vi.waitFor(() => expect(settings.reads).toBe(1));
		const picking = library.pickModel('embed-picked');
		expect(library.modelId).toBe('embed-picked');
		settings.release();
		await picking;
		await vi.waitFor(() => expect(library.loaded).toBe(true));
		expect(library.modelId).toBe('embed-picked');
		expect(library.model?.model_id).toBe('embed-picked');
		// And the pick is what is stored, for the next start.
		const stored = await new SettingsRepository(connect(`library-${count}`), () => undefined).get(
			MODEL_SETTING,
			(x: unknown): x is string | null => x === null || typeof x === 'string',
			null
		);
		expect(stored).toBe('embed-picked');
	});
});
