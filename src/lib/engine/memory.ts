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

/** Share of the device's RAM we assume WebGPU can use (unified memory: OS and browser need the rest). */
export const DEVICE_MEMORY_SHARE = 0.5;
/** navigator.deviceMemory is capped: Chrome reports at most 8 (GB), meaning "8 or more". */
export const DEVICE_MEMORY_CAP_GB = 8;

/**
 * A budget from `navigator.deviceMemory` (GB, rounded down to a power of two), or undefined when
 * it says nothing useful: missing (Firefox, Safari) or at the cap, where a desktop with a 24 GB
 * GPU looks the same as an 8 GB laptop. Phones and small laptops, where it matters most, report
 * below the cap.
 */
export function memoryBudgetMB(deviceMemoryGB: number | undefined): number | undefined {
	if (deviceMemoryGB === undefined || !(deviceMemoryGB > 0)) return undefined;
	if (deviceMemoryGB >= DEVICE_MEMORY_CAP_GB) return undefined;
	return deviceMemoryGB * 1024 * DEVICE_MEMORY_SHARE;
}
