// Sampling defaults per model. A conversation stores only what the user changed (see
// storage/types.ts), so these apply to every field it leaves out.
import type { GenerationSettings, ModelRecord } from '$lib/engine/types';

export const DEFAULT_SETTINGS = {
	temperature: 0.7,
	top_p: 0.95,
	max_tokens: 1024,
	presence_penalty: 0,
	frequency_penalty: 0
} as const satisfies GenerationSettings;

/** Thinking uses many tokens before the answer starts, so reasoning models get a larger allowance. */
const REASONING_MAX_TOKENS = 2048;

/**
 * The model's own name in an id: the id itself for an in-browser model, the name after the last
 * `/` for a server model (`127.0.0.1:11434/qwen3:32b`, `gpu-box:8000/Qwen/Qwen3-32B`; see
 * servers/types.ts), so a Qwen3 on a server is known as one.
 */
const ownName = (modelId: string) => modelId.slice(modelId.lastIndexOf('/') + 1);

/** Models that write `<think>…</think>` before answering. */
export function isReasoningModel(modelId: string): boolean {
	return /^(qwen3|deepseek-r1)/i.test(ownName(modelId));
}

/** Models whose thinking can be switched off per request (`enable_thinking`): Qwen3's template. */
export function canToggleThinking(modelId: string): boolean {
	return /^qwen3/i.test(ownName(modelId));
}

/** Vision-language models accept images in user messages. */
export function isVisionModel(record: Pick<ModelRecord, 'model_type'>): boolean {
	return record.model_type === 2;
}

/**
 * The defaults for one model. With the model's context window known, `max_tokens` is capped at half
 * of it, so that a "-1k" model still has room for the conversation. `seed` stays unset (random).
 */
export function defaultSettings(modelId: string, contextWindow?: number): GenerationSettings {
	const reasoning = isReasoningModel(modelId);
	const settings: GenerationSettings = {
		...DEFAULT_SETTINGS,
		// Qwen3 and DeepSeek-R1 both recommend 0.6 when thinking.
		temperature: reasoning ? 0.6 : DEFAULT_SETTINGS.temperature,
		max_tokens: reasoning ? REASONING_MAX_TOKENS : DEFAULT_SETTINGS.max_tokens
	};
	if (reasoning) settings.enable_thinking = true;
	if (contextWindow !== undefined && contextWindow > 0)
		settings.max_tokens = Math.min(
			settings.max_tokens ?? Infinity,
			Math.max(1, Math.floor(contextWindow / 2))
		);
	return settings;
}

/** What to send: the model's defaults, overridden by the conversation's own settings. */
export function effectiveSettings(
	modelId: string,
	overrides: GenerationSettings,
	contextWindow?: number
): GenerationSettings {
	const settings = { ...defaultSettings(modelId, contextWindow) };
	for (const [key, value] of Object.entries(overrides))
		if (value !== undefined) Object.assign(settings, { [key]: value });
	if (!canToggleThinking(modelId)) delete settings.enable_thinking;
	return settings;
}
