// Embedding text beside whatever else is on the GPU, never in its place.
//
// Documents (a question's embedding when it is sent) and Compare (the agreement between answers)
// both need the embedding model while a chat model is loaded, and neither may take the GPU from
// it: the user is waiting on that model. So the embedding model is loaded only when the memory
// rule (engine/memory.ts, as the engine applies it at each load) says it fits beside the chat
// models on the GPU now; otherwise the caller hears why and does without (words only, or a figure
// shown as unavailable). Indexing, which the user can ask to take the GPU, uses `wouldUnload`.
import { EngineError } from '$lib/engine/errors';
import { fitsTogether, memoryNeed } from '$lib/engine/memory';
import { purposeOf } from '$lib/engine/purpose';
import type { Engine, ModelRecord } from '$lib/engine/types';

/** Why text could not be embedded now. Wording lives with each caller's strings. */
export type EmbedUnavailable =
	/** No embedding model is picked (documents) or stored (Compare). */
	| { code: 'no-model' }
	/** The model is not downloaded, and the device is offline. */
	| { code: 'offline'; modelId: string }
	/** Loading it would unload these chat models (they do not fit beside it, or nobody knows). */
	| { code: 'no-room'; modelId: string; loaded: string[] }
	/** The engine failed to load it or to embed. */
	| { code: 'failed'; modelId: string; error: EngineError };

export type EmbedOutcome =
	{ ok: true; modelId: string; vectors: Float32Array[] } | { ok: false; reason: EmbedUnavailable };

export interface BesideDeps {
	engine: Engine;
	/** Every model Lantern knows, to find the loaded ones' memory estimates. */
	records: () => readonly ModelRecord[];
	/** False when the model cannot be loaded now: not stored, and no network. */
	canLoad: (modelId: string) => boolean;
}

/**
 * Chat models on the GPU that loading the embedding `model` would unload: those it does not fit
 * beside by the memory rule with `budgetMB` (undefined: unknown, so none fits beside).
 */
export async function wouldUnload(
	engine: Engine,
	records: readonly ModelRecord[],
	model: ModelRecord,
	budgetMB: number | undefined
): Promise<string[]> {
	const loaded = await engine.loaded();
	const chat = loaded
		.filter((id) => id !== model.model_id)
		.map(
			(id) => records.find((r) => r.model_id === id) ?? { model: '', model_id: id, model_lib: '' }
		)
		.filter((r) => purposeOf(r) === 'chat');
	if (chat.length === 0) return [];
	const needs = [...chat, model].map(memoryNeed);
	return fitsTogether(needs, budgetMB) ? [] : chat.map((r) => r.model_id);
}

/**
 * Vectors for `texts` from `model`, loading it first only if that unloads nothing else. Never
 * throws: an abort or a failure comes back as `failed`.
 */
export async function embedBeside(
	deps: BesideDeps,
	model: ModelRecord | null,
	texts: string[],
	options: { budgetMB?: number; signal?: AbortSignal } = {}
): Promise<EmbedOutcome> {
	if (!model) return { ok: false, reason: { code: 'no-model' } };
	const { engine } = deps;
	const modelId = model.model_id;
	try {
		if (!(await engine.loaded()).includes(modelId)) {
			if (!deps.canLoad(modelId)) return { ok: false, reason: { code: 'offline', modelId } };
			const loaded = await wouldUnload(engine, deps.records(), model, options.budgetMB);
			if (loaded.length > 0) return { ok: false, reason: { code: 'no-room', modelId, loaded } };
			await engine.load([model], { memoryBudgetMB: options.budgetMB, signal: options.signal });
		}
		const vectors = await engine.embed({ modelId, input: texts }, { signal: options.signal });
		return { ok: true, modelId, vectors };
	} catch (error) {
		const e = error instanceof EngineError ? error : new EngineError('unknown', String(error));
		return { ok: false, reason: { code: 'failed', modelId, error: e } };
	}
}
