// Carries out a schedule (schedule.ts) against the Engine: unload, load a group, and let every
// model of the group answer at the same time, one stream per model. Used by a comparison round and
// by suite runs alike. It keeps no state of its own; whoever calls it reports to the user through
// the callbacks, and stops one answer (its signal) or everything (the round's signal).
import { loadAskingFirst, type ConfirmReplace } from '$lib/engine/askFirst';
import { EngineError } from '$lib/engine/errors';
import type {
	ChatMessage,
	Engine,
	GenerationSettings,
	LoadProgress,
	ModelRecord,
	UsageStats
} from '$lib/engine/types';

export function toEngineError(error: unknown): EngineError {
	return error instanceof EngineError ? error : new EngineError('unknown', String(error));
}

export interface LoadReport {
	modelIds: string[];
	/** Null when the group was loaded already. */
	loadMs: number | null;
}

export interface LoadCallbacks {
	onLoadStart?: (modelIds: string[]) => void;
	onLoadProgress?: (modelIds: string[], progress: LoadProgress) => void;
	/**
	 * Asked before the load takes a model another tab uses (engine/askFirst.ts); no: the load
	 * rejects with `aborted` and nothing was unloaded. Absent: the load goes ahead.
	 */
	confirm?: ConfirmReplace;
}

/**
 * Makes `records` the models on the GPU: nothing if they are loaded already, otherwise load them
 * together in place of what is there (the engine frees the old models' memory before the new ones
 * allocate: WebLLM's reload unloads first). No separate unload comes first, so a load that asks
 * before taking another tab's model has taken nothing when the user says no. When only server
 * models are missing, the GPU is left as it is: the in-browser models stay loaded and only the
 * server models are added (engine/router.ts does not reload what it holds).
 */
export async function ensureLoaded(
	engine: Engine,
	records: readonly ModelRecord[],
	callbacks: LoadCallbacks,
	signal?: AbortSignal
): Promise<LoadReport> {
	const modelIds = records.map((r) => r.model_id);
	const loaded = await engine.loaded();
	if (modelIds.every((id) => loaded.includes(id))) return { modelIds, loadMs: null };
	callbacks.onLoadStart?.(modelIds);
	const started = performance.now();
	const options = {
		signal,
		onProgress: (p: LoadProgress) => callbacks.onLoadProgress?.(modelIds, p)
	};
	if (callbacks.confirm) await loadAskingFirst(engine, [...records], options, callbacks.confirm);
	else await engine.load([...records], options);
	return { modelIds, loadMs: performance.now() - started };
}

export interface AnswerCallbacks {
	onDelta: (text: string) => void;
}

export type AnswerResult =
	{ ok: true; stats: UsageStats } | { ok: false; error: EngineError; stats: UsageStats | null };

/** Streams one answer; never throws (a failure is a result, so one pane cannot sink the others). */
export async function answer(
	engine: Engine,
	modelId: string,
	messages: ChatMessage[],
	settings: GenerationSettings,
	callbacks: AnswerCallbacks,
	signal: AbortSignal
): Promise<AnswerResult> {
	let stats: UsageStats | null = null;
	try {
		for await (const event of engine.chat({ modelId, messages, settings }, { signal })) {
			if (event.type === 'delta') callbacks.onDelta(event.text);
			else stats = event.stats;
		}
		if (stats) return { ok: true, stats };
		// A stream cancelled before it started reports nothing: count it as stopped.
		return { ok: false, error: new EngineError('aborted', 'stopped'), stats: null };
	} catch (error) {
		return { ok: false, error: toEngineError(error), stats };
	}
}
