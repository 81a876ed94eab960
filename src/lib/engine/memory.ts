// The GPU memory rule, in one place for every part of the app that decides what may share the GPU:
// the Compare scheduler (which models answer together), the engine worker (whether an embedding
// model may stay loaded beside a chat model) and the Models page's verdicts.
//
// Browsers do not say how much GPU memory there is, and a load that does not fit ends in a lost
// device, so the rule is conservative: models share the GPU only when the sum of their estimates
// (WebLLM's vram_required_MB times a safety margin) is within a known budget. A model without an
// estimate, or any pair when the budget is unknown, does not share: it takes turns. A need of 0 is
// a model that takes no GPU memory here (one on the user's own server): it shares with anything.
import type { ModelRecord } from './types';

/** WebLLM's figure leaves out the browser's own buffers and fragmentation; loads that fit it exactly fail. */
export const VRAM_SAFETY_MARGIN = 1.2;

export interface MemoryNeed {
	modelId: string;
	/** MB, or null when unknown; 0 for a model that runs elsewhere (on a server). */
	estimateMB: number | null;
}

/** vram_required_MB x VRAM_SAFETY_MARGIN, or null when the record gives no figure. */
export function estimateVramMB(record: ModelRecord): number | null {
	const mb = record.vram_required_MB;
	return typeof mb === 'number' && mb > 0 ? mb * VRAM_SAFETY_MARGIN : null;
}

export function memoryNeed(record: ModelRecord): MemoryNeed {
	return { modelId: record.model_id, estimateMB: estimateVramMB(record) };
}

/** Whether these models may be on the GPU at once: one alone always may. */
export function fitsTogether(needs: readonly MemoryNeed[], budgetMB: number | undefined): boolean {
	const onGpu = needs.filter((need) => need.estimateMB !== 0);
	if (onGpu.length <= 1) return true;
	if (budgetMB === undefined) return false;
	let sum = 0;
	for (const need of onGpu) {
		if (need.estimateMB === null) return false;
		sum += need.estimateMB;
	}
	return sum <= budgetMB;
}
