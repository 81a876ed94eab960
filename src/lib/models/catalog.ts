// The model catalog as the page sees it: the pinned WebLLM's prebuilt list (serialised at build
// time, see scripts/webllm-catalog-plugin.js), with a few derived facts per model.
import { prebuiltModels } from 'virtual:webllm-catalog';
import type { ModelRecord } from '$lib/engine/types';

export type ModelKind = 'chat' | 'embedding' | 'vision';

export function modelKind(record: ModelRecord): ModelKind {
	if (record.model_type === 1) return 'embedding';
	if (record.model_type === 2) return 'vision';
	return 'chat';
}

export const catalog: readonly ModelRecord[] = prebuiltModels;

export function findModel(id: string, records: readonly ModelRecord[] = catalog) {
	return records.find((r) => r.model_id === id);
}

/** Chat models, small ones first: the sensible order for a first pick. */
export function chatModels(records: readonly ModelRecord[] = catalog): ModelRecord[] {
	return records
		.filter((r) => modelKind(r) === 'chat')
		.sort((a, b) => (a.vram_required_MB ?? Infinity) - (b.vram_required_MB ?? Infinity));
}
