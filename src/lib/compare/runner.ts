// Carries out a schedule (schedule.ts) against the Engine: unload, load a group, and let every
// model of the group answer at the same time, one stream per model. Used by a comparison round and
// by suite runs alike. It keeps no state of its own; whoever calls it reports to the user through
// the callbacks, and stops one answer (its signal) or everything (the round's signal).
import { EngineError } from '$lib/engine/errors';
import type {
	ChatMessage,
	Engine,
	GenerationSettings,
	LoadProgress,
	ModelRecord,
	UsageStats
} from '$lib/engine/types';
import { needOf, runsElsewhere } from './schedule';

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
}

/**
 * Makes `records` the models on the GPU: nothing if they are loaded already, otherwise unload what
 * is there (so the old models' memory is free before the new ones allocate) and load them together.
 * When only server models are missing, the GPU is left as it is: the in-browser models stay
 * loaded and only the server models are added (engine/router.ts does not reload what it holds).
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
	const gpuChanges = records.some((r) => !runsElsewhere(needOf(r)) && !loaded.includes(r.model_id));
	if (loaded.length > 0 && gpuChanges) await engine.unload();
	await engine.load([...records], {
		signal,
		onProgress: (p) => callbacks.onLoadProgress?.(modelIds, p)
	});
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
