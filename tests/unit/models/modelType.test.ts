import { describe, expect, it } from 'vitest';
import { completeRecord, kindFromConfig } from '$lib/models/modelType';

describe('kindFromConfig', () => {
	it('reads the kind from the architecture MLC writes', () => {
		expect(kindFromConfig({ model_type: 'bert' })).toBe('embedding');
		expect(kindFromConfig({ model_type: 'nomic_bert' })).toBe('embedding');
		expect(kindFromConfig({ model_type: 'phi3_v' })).toBe('vision');
		expect(kindFromConfig({ model_type: 'llava' })).toBe('vision');
		expect(kindFromConfig({ model_type: 'qwen2_vl' })).toBe('vision');
		expect(kindFromConfig({ model_type: 'gemma3', vision_config: {} })).toBe('vision');
		expect(kindFromConfig({ model_type: 'qwen2' })).toBe('chat');
		expect(kindFromConfig({ model_type: 'llama' })).toBe('chat');
		expect(kindFromConfig({})).toBeNull();
		expect(kindFromConfig('nope')).toBeNull();
	});
});

describe('completeRecord', () => {
	const base = { model: 'https://x/m', model_id: 'm', model_lib: 'https://x/m.wasm' };
	it("sets WebLLM's model_type, shader-f16 and the context window from the config", () => {
		expect(
			completeRecord(base, { model_type: 'bert', quantization: 'q0f16', context_window_size: 512 })
		).toEqual({
			kind: 'embedding',
			record: {
				...base,
				model_type: 1,
				required_features: ['shader-f16'],
				overrides: { context_window_size: 512 }
			}
		});
		expect(completeRecord(base, { model_type: 'phi3_v' }).record.model_type).toBe(2);
		expect(completeRecord(base, { model_type: 'llama' }).record.model_type).toBeUndefined();
	});
	it('lets the user’s choice win over the config', () => {
		expect(completeRecord(base, { model_type: 'llama' }, 'embedding')).toMatchObject({
			kind: 'embedding',
			record: { model_type: 1 }
		});
	});
});
