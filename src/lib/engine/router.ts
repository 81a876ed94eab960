// One Engine in front of several: the in-browser engine (WebLLM in its worker) and the engines of
// the user's own servers (servers/RemoteEngine.ts). Each model record is sent to the engine `pick`
// names for it, so Chat and Compare load, chat with and stop any mix of models through one
// `Engine` without knowing where each runs. The engine layer stays generic: which records belong
// to which server is the caller's business (the servers service's `engineFor`).
//
// - `load` replaces what was loaded, as every Engine does: the in-browser models go to the local
//   engine and each server's models to its engine, all at the same time; engines that held models
//   and get none now are unloaded. It settles when every part has, and rejects with the first
//   failure. Load progress comes from the local engine when it has models to load (a server's
//   load is only a question), else from the server engine.
// - A load whose in-browser models are exactly what the local engine holds (loaded by this router
//   with their own context window) leaves them there: adding a server model beside a loaded
//   in-browser one (Compare) costs no reload of the GPU model, which takes seconds to minutes.
// - `chat` goes to the engine that loaded the model; an id nobody loaded goes to the local engine,
//   which answers 'model-not-found' as before.
// - The local engine is only asked (`loaded`, `unload`, `interrupt`) once it holds models, given
//   here or by another tab (`localModels`, the shared engine's state): using only server models
//   never starts the WebLLM worker, and a model another tab loaded is seen (Compare skips its load).
// - `onLost` is the local engine's: a server engine never fires it (see RemoteEngine).
// - A load with `ifBusy: 'ask'` loads its in-browser models first, before any server engine is
//   unloaded or loaded: when the local engine refuses (another tab uses the model it would
//   unload), nothing has changed anywhere, so the user's "Cancel" leaves everything as it was.
import type { EngineError } from './errors';
import { purposeOf, type Purpose } from './purpose';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	EmbedOptions,
	EmbedRequest,
	Engine,
	LoadOptions,
	ModelRecord
} from './types';

interface Route {
	engine: Engine;
	purpose: Purpose;
}

/** The engine for a record, or null for the local one. May throw: the load then rejects with it. */
export type PickEngine = (record: ModelRecord) => Engine | null;

export class RoutingEngine implements Engine {
	readonly #local: Engine;
	readonly #pick: PickEngine;
	/** Loaded models that run elsewhere: id → their engine and purpose. */
	#routes = new Map<string, Route>();
	/** The purposes the local engine may hold models for (given some, not emptied since). */
	#localPurposes = new Set<Purpose>();
	/** The context window of the last local load (undefined: the models' own). */
	#localWindow: number | undefined = undefined;
	/** What the local engine holds, whichever tab loaded it (EngineState); none if not given. */
	readonly #localModels: () => readonly string[];

	constructor(local: Engine, pick: PickEngine, localModels: () => readonly string[] = () => []) {
		this.#local = local;
		this.#pick = pick;
		this.#localModels = localModels;
		local.onLost(() => this.#localPurposes.clear());
	}

	get #localInUse(): boolean {
		return this.#localPurposes.size > 0 || this.#localModels().length > 0;
	}

	async load(models: ModelRecord[], options: LoadOptions = {}): Promise<void> {
		if (options.ifBusy === 'ask') await this.#askFirst(models, options);
		const purposes = new Set(models.map(purposeOf));
		const local: ModelRecord[] = [];
		const elsewhere = new Map<Engine, ModelRecord[]>();
		for (const record of models) {
			const engine = this.#pick(record);
			if (engine === null || engine === this.#local) local.push(record);
			else elsewhere.set(engine, [...(elsewhere.get(engine) ?? []), record]);
		}
		const before = new Set([...this.#routes.values()].map((r) => r.engine));
		// The other purpose's routes stay; this purpose's are replaced by what loads now.
		this.#routes = new Map([...this.#routes].filter(([, r]) => !purposes.has(r.purpose)));
		const staying = new Set([...this.#routes.values()].map((r) => r.engine));
		const { signal, onProgress } = options;
		const tasks: Promise<unknown>[] = [];
		for (const engine of before)
			if (!elsewhere.has(engine) && !staying.has(engine)) tasks.push(engine.unload());
		if (local.length > 0) {
			const held = this.#localInUse ? this.#local.loaded().catch(() => []) : Promise.resolve([]);
			for (const purpose of purposes) this.#localPurposes.add(purpose);
			tasks.push(held.then((ids) => this.#loadLocal(local, ids, options)));
		} else if (
			// Only what this tab put there: server models alone never unload another tab's model.
			this.#localPurposes.size > 0 &&
			[...this.#localPurposes].every((p) => purposes.has(p))
		) {
			tasks.push(this.#local.unload().then(() => this.#localPurposes.clear()));
		}
		let reporting = local.length === 0;
		const ready = new Set<Engine>();
		for (const [engine, records] of elsewhere) {
			const progress = reporting && onProgress ? { onProgress } : {};
			reporting = false;
			tasks.push(
				engine
					.load(records, { ...(signal ? { signal } : {}), ...progress })
					.then(() => ready.add(engine))
			);
		}
		const failure = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected');
		for (const record of models) {
			const engine = [...elsewhere].find(([, records]) => records.includes(record))?.[0];
			if (engine && ready.has(engine))
				this.#routes.set(record.model_id, { engine, purpose: purposeOf(record) });
		}
		if (failure) throw failure.reason;
	}

	/** The in-browser part of a load that asks first, alone (its refusal changes nothing). */
	async #askFirst(models: ModelRecord[], options: LoadOptions): Promise<void> {
		const local = models.filter((r) => {
			const engine = this.#pick(r);
			return engine === null || engine === this.#local;
		});
		if (local.length === 0) return;
		const held = this.#localInUse ? await this.#local.loaded().catch(() => []) : [];
		await this.#loadLocal(local, held, options);
		for (const record of local) this.#localPurposes.add(purposeOf(record));
	}

	/** Loads the in-browser models, unless the local engine holds exactly these already. */
	async #loadLocal(records: ModelRecord[], held: string[], options: LoadOptions): Promise<void> {
		const window = options.contextWindowSize;
		const same =
			window === this.#localWindow &&
			held.length === records.length &&
			records.every((r) => held.includes(r.model_id));
		if (same) return;
		this.#localWindow = undefined;
		await this.#local.load(records, options);
		this.#localWindow = window;
	}

	async *chat(request: ChatRequest, options?: ChatOptions): AsyncGenerator<ChatEvent> {
		// `yield*` hands a caller's early `return()` on to the engine's stream, which stops it.
		yield* this.#engineOf(request.modelId).chat(request, options);
	}

	embed(request: EmbedRequest, options?: EmbedOptions): Promise<Float32Array[]> {
		return this.#engineOf(request.modelId).embed(request, options);
	}

	#engineOf(modelId: string): Engine {
		return this.#routes.get(modelId)?.engine ?? this.#local;
	}

	async interrupt(): Promise<void> {
		await Promise.all(this.#engines().map((e) => e.interrupt()));
	}

	async unload(): Promise<void> {
		const engines = this.#engines();
		this.#routes = new Map();
		const results = await Promise.allSettled(engines.map((e) => e.unload()));
		if (engines.includes(this.#local)) this.#localPurposes.clear();
		const failure = results.find((r) => r.status === 'rejected');
		if (failure) throw failure.reason;
	}

	async loaded(): Promise<string[]> {
		const local = this.#localInUse ? await this.#local.loaded() : [];
		return [...local, ...this.#routes.keys()];
	}

	onLost(listener: (error: EngineError) => void): () => void {
		return this.#local.onLost(listener);
	}

	/** Every engine that may hold models now, each once. */
	#engines(): Engine[] {
		const engines = new Set([...this.#routes.values()].map((r) => r.engine));
		if (this.#localInUse) engines.add(this.#local);
		return [...engines];
	}
}
