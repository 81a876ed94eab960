// What kind of model a custom model is (chat, embedding or vision), and the rest of its record,
// read from its mlc-chat-config.json: the same rules for a model added by URL and one imported
// from files. WebLLM picks its pipeline by `model_type` in the record (0 or absent: chat, 1:
// embedding, 2: vision), so getting it right is what lets an embedding model embed at all.
import type { ModelRecord } from '$lib/engine/types';
import type { ModelKind } from './catalog';

/** WebLLM's ModelType numbers. */
const MODEL_TYPE: Record<ModelKind, number | undefined> = {
	chat: undefined,
	embedding: 1,
	vision: 2
};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kind a config describes, or null when it does not say (no `model_type`). MLC writes the
 * architecture there: encoder models ("bert", "nomic_bert", ...) embed; a `vision_config`, or an
 * architecture named for vision ("phi3_v", "llava", "qwen2_vl", "gemma3_v"), reads images.
 */
export function kindFromConfig(config: unknown): ModelKind | null {
	if (!isObject(config)) return null;
	const type = typeof config.model_type === 'string' ? config.model_type.toLowerCase() : null;
	if (isObject(config.vision_config)) return 'vision';
	if (type === null) return null;
	if (/bert|embed/.test(type)) return 'embedding';
	if (/(^|_)(v|vl|vision)$|llava|vision/.test(type)) return 'vision';
	return 'chat';
}

/**
 * Completes a custom model's record from its config: its kind (`chosen` wins, then the config,
 * then chat), whether it needs shader-f16 (from the quantization), and its context window.
 */
export function completeRecord(
	record: ModelRecord,
	config: Record<string, unknown>,
	chosen?: ModelKind
): { record: ModelRecord; kind: ModelKind } {
	const kind = chosen ?? kindFromConfig(config) ?? 'chat';
	const out: ModelRecord = { ...record };
	const modelType = MODEL_TYPE[kind];
	if (modelType === undefined) delete out.model_type;
	else out.model_type = modelType;
	const quantization = config.quantization;
	if (typeof quantization === 'string' && /f16/.test(quantization)) {
		out.required_features = ['shader-f16'];
	}
	const context = config.context_window_size;
	if (typeof context === 'number' && context > 0) {
		out.overrides = { ...out.overrides, context_window_size: context };
	}
	return { record: out, kind };
}
