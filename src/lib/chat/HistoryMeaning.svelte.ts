// Search by meaning over the history, an option the user switches on (off by default). Once on,
// and while an embedding model is picked (the one the documents use) and can be loaded, every
// message gets a vector from it, in the background, a batch per step; the vectors are stored
// (storage/messageVectors.ts), so a reload resumes with the messages still missing. A search then
// also names the conversations closest in meaning to the query (ConversationSearch merges them
// after the word matches).
//
// It never takes the GPU from the chat: when loading the embedding model would unload the chat's
// model (engine/memory.ts's rule), it waits and says so; the next search or switch tries again.
import { nextTask } from '$lib/nextTask';
import { EngineError, type EngineErrorCode } from '$lib/engine/errors';
import { fitsTogether, memoryNeed } from '$lib/engine/memory';
import type { Engine, ModelRecord } from '$lib/engine/types';
import { StorageError, type StorageErrorCode } from '$lib/storage/errors';
import type { SearchHit } from '$lib/storage/search';
import type { SearchRepository } from '$lib/storage/searchRepository';
import type { SettingsRepository } from '$lib/storage/settings';

/** The settings key of the option. */
export const MEANING_SETTING = 'search.byMeaning';
/** Messages embedded per request. */
const BATCH = 16;
/** Messages read per page while looking for those without a vector. */
const PAGE = 400;
/** What the model reads of a message: its start (embedding models read about 512 tokens). */
const EMBED_CHARS = 1200;
/** Shorter, for a message the model still refused as too long. */
const SHORT_CHARS = 400;
/** Conversations a search by meaning adds at most, and the least similarity that counts. */
const LIMIT = 8;
const FLOOR = 0.35;

export type MeaningStatus =
	| { state: 'off' }
	/** No embedding model is picked, or it is not on this device and there is no network. */
	| { state: 'no-model' }
	| { state: 'indexing'; done: number; total: number }
	| { state: 'ready'; done: number; total: number }
	/** Loading the embedding model would unload the chat's model. */
	| { state: 'gpu-busy' }
	| { state: 'failed'; source: 'engine'; code: EngineErrorCode }
	| { state: 'failed'; source: 'storage'; code: StorageErrorCode };

export interface MeaningDeps {
	repository: SearchRepository;
	settings: SettingsRepository;
	engine: Engine;
	/**
	 * The embedding model the user picked, if it can be loaded now (stored, or online); read at
	 * each run, once what the page knows of models is loaded.
	 */
	model: () => Promise<ModelRecord | null>;
	/** Records of the models Lantern knows, to tell chat models from embedding models. */
	records: () => readonly ModelRecord[];
	memoryBudgetMB: () => number | undefined;
}

const isBoolean = (x: unknown): x is boolean => typeof x === 'boolean';

export class HistoryMeaning {
	#deps: MeaningDeps;
	#enabled = $state(false);
	#status = $state.raw<MeaningStatus>({ state: 'off' });
	#running: Promise<void> | null = null;
	/** Bumped when switched off: a run in progress stops at its next step. */
	#generation = 0;

	constructor(deps: MeaningDeps) {
		this.#deps = deps;
	}

	get enabled() {
		return this.#enabled;
	}
	get status() {
		return this.#status;
	}

	/** Reads the option; if it is on, resumes indexing. */
	async start() {
		try {
			this.#enabled = await this.#deps.settings.get(MEANING_SETTING, isBoolean, false);
		} catch {
			this.#enabled = false;
		}
		if (this.#enabled) void this.index();
	}

	async setEnabled(on: boolean) {
		this.#enabled = on;
		this.#generation++;
		try {
			await this.#deps.settings.set(MEANING_SETTING, on);
		} catch {
			// Kept for this visit; the option is asked again next time.
		}
		if (on) void this.index();
		else this.#status = { state: 'off' };
	}

	/**
	 * Tries again after a wait (no model then, the GPU busy, a failure), when the user may have
	 * changed that: the search box is shown again.
	 */
	retry() {
		const { state } = this.#status;
		if (this.#enabled && (state === 'no-model' || state === 'gpu-busy' || state === 'failed'))
			void this.index();
	}

	/** Embeds the messages that lack a vector, in the background; one run at a time. */
	index(): Promise<void> {
		this.#running ??= this.#run().finally(() => (this.#running = null));
		return this.#running;
	}

	/**
	 * The conversations closest in meaning to `query`, best first; empty when the option is off, or
	 * when the query cannot be embedded now (the word matches are then all there is).
	 */
	async search(query: string): Promise<SearchHit[]> {
		if (!this.#enabled || !query.trim()) return [];
		const model = await this.#deps.model();
		if (!model) return [];
		try {
			if (!(await this.#ready(model))) return [];
			const [vector] = await this.#deps.engine.embed({
				modelId: model.model_id,
				input: [query.trim()]
			});
			if (!vector) return [];
			return await this.#deps.repository.nearest(model.model_id, vector, {
				limit: LIMIT,
				floor: FLOOR
			});
		} catch {
			return [];
		} finally {
			// A search is a moment to try again after a wait.
			if (this.#status.state === 'gpu-busy') void this.index();
		}
	}

	async #run() {
		const generation = this.#generation;
		const stopped = () => generation !== this.#generation || !this.#enabled;
		const model = await this.#deps.model();
		if (!model) {
			this.#status = { state: 'no-model' };
			return;
		}
		const { repository } = this.#deps;
		const modelId = model.model_id;
		try {
			let { done, total } = await repository.embeddedCount(modelId);
			this.#status = { state: done >= total ? 'ready' : 'indexing', done, total };
			let after: string | null = null;
			do {
				if (stopped()) return;
				const page = await repository.unembedded(modelId, PAGE, after);
				after = page.next;
				for (let i = 0; i < page.messages.length; i += BATCH) {
					if (stopped()) return;
					if (!(await this.#ready(model))) {
						this.#status = { state: 'gpu-busy' };
						return;
					}
					const batch = page.messages.slice(i, i + BATCH);
					const vectors = await this.#embed(
						modelId,
						batch.map((m) => m.content)
					);
					await repository.putVectors(
						modelId,
						batch.flatMap((message, j) => {
							const vector = vectors[j];
							return vector ? [{ message, vector }] : [];
						})
					);
					({ done, total } = await repository.embeddedCount(modelId));
					if (!stopped()) this.#status = { state: 'indexing', done, total };
					await nextTask();
				}
			} while (after !== null);
			({ done, total } = await repository.embeddedCount(modelId));
			if (!stopped()) this.#status = { state: 'ready', done, total };
		} catch (error) {
			if (stopped()) return;
			if (error instanceof EngineError)
				this.#status = { state: 'failed', source: 'engine', code: error.code };
			else if (error instanceof StorageError)
				this.#status = { state: 'failed', source: 'storage', code: error.code };
			else throw error;
		}
	}

	/** Vectors for texts (their starts); a text still too long is cut shorter. */
	async #embed(modelId: string, texts: string[]): Promise<Float32Array[]> {
		const { engine } = this.#deps;
		try {
			return await engine.embed({ modelId, input: texts.map((t) => t.slice(0, EMBED_CHARS)) });
		} catch (error) {
			if (!(error instanceof EngineError) || error.code !== 'context-window-exceeded') throw error;
			return engine.embed({ modelId, input: texts.map((t) => t.slice(0, SHORT_CHARS)) });
		}
	}

	/**
	 * Whether the embedding model is loaded, loading it if that unloads no chat model. False when
	 * it would (the chat keeps the GPU).
	 */
	async #ready(model: ModelRecord): Promise<boolean> {
		const { engine, records } = this.#deps;
		const loaded = await engine.loaded();
		if (loaded.includes(model.model_id)) return true;
		const known = records();
		const chat = loaded
			.map(
				(id) => known.find((r) => r.model_id === id) ?? { model: '', model_id: id, model_lib: '' }
			)
			.filter((r) => r.model_type !== 1);
		if (
			chat.length > 0 &&
			!fitsTogether([...chat, model].map(memoryNeed), this.#deps.memoryBudgetMB())
		)
			return false;
		await engine.load([model], { memoryBudgetMB: this.#deps.memoryBudgetMB() });
		return true;
	}
}
