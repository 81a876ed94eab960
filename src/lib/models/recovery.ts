// What to offer after the GPU gave up on a model (a lost device, usually out of memory): the same
// model with a smaller context window, or a smaller model. Pure rules over the catalog and the GPU
// probe, so the page only renders what they pick.
//
// Halving the window halves the KV cache WebLLM allocates up front, which is most of what a
// model needs beyond its weights; 1,024 tokens is the floor WebLLM's own "-1k" variants use.
import type { GpuReport } from '$lib/engine/gpu';
import type { ModelRecord } from '$lib/engine/types';
import { modelKind } from './catalog';
import { displayName, familyOf, needsF16, parseQuantization } from './families';
import { checkFit } from './fit';

export const MIN_CONTEXT_WINDOW = 1024;

/** The next context window to try after `current` tokens failed, or null at the floor. */
export function smallerContext(current: number): number | null {
	if (!(current > MIN_CONTEXT_WINDOW)) return null;
	return Math.max(MIN_CONTEXT_WINDOW, Math.floor(current / 2));
}

/**
 * A smaller chat model to try instead of `current`: the next smaller one of the same family, else
 * the smallest one in the list. Only models with a known memory figure below the current one's
 * count (all of them when the current one has none, e.g. a custom model), never another build of
 * the same model, never one the GPU cannot run, and never a 16-bit-float build in place of a
 * 32-bit one (the GPU may lack shader-f16 even before it was probed).
 */
export function smallerModel(
	current: ModelRecord,
	records: readonly ModelRecord[],
	report: GpuReport | null
): ModelRecord | null {
	const limit = current.vram_required_MB ?? Infinity;
	const name = displayName(current.model_id);
	const f32Only = !needsF16(current);
	const candidates = records.filter((r) => {
		const mb = r.vram_required_MB;
		if (typeof mb !== 'number' || !(mb > 0) || mb >= limit) return false;
		if (modelKind(r) !== 'chat' || displayName(r.model_id) === name) return false;
		if (f32Only && needsF16(r)) return false;
		return !report || checkFit(r, { report }).verdict !== 'unsupported';
	});
	const size = (r: ModelRecord) => r.vram_required_MB ?? 0;
	const family = familyOf(current.model_id).key;
	// Closest first: the same quantization, then the largest, then the fewest words the current
	// id lacks ("Qwen2.5-0.5B-Instruct" before "Qwen2.5-Coder-0.5B-Instruct" for "Qwen2.5-1.5B-Instruct").
	const quant = parseQuantization(current.model_id);
	const words = new Set(current.model_id.split('-'));
	const foreign = (r: ModelRecord) => r.model_id.split('-').filter((w) => !words.has(w)).length;
	const sameQuant = (r: ModelRecord) => (parseQuantization(r.model_id) === quant ? 0 : 1);
	const [next] = candidates
		.filter((r) => family !== 'unknown' && familyOf(r.model_id).key === family)
		.sort((a, b) => sameQuant(a) - sameQuant(b) || size(b) - size(a) || foreign(a) - foreign(b));
	return next ?? candidates.sort((a, b) => size(a) - size(b))[0] ?? null;
}
