import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '$lib/engine/types';
import {
	contextWindow,
	describeModel,
	displayName,
	familyOf,
	floatSibling,
	isInstructionTuned,
	modelCardUrl,
	needsF16,
	parseParameters,
	parseQuantization,
	UNKNOWN_FAMILY
} from '$lib/models/families';

const catalog: ModelRecord[] = prebuiltAppConfig.model_list;

function find(id: string): ModelRecord {
	const record = catalog.find((r) => r.model_id === id);
	if (!record) throw new Error(`${id} is not in the pinned WebLLM catalog`);
	return record;
}

function record(overrides: Partial<ModelRecord> & { model_id: string }): ModelRecord {
	return {
		model: `https://huggingface.co/mlc-ai/${overrides.model_id}`,
		model_lib: 'https://example.org/lib.wasm',
		...overrides
	};
}

describe('familyOf', () => {
	it('knows every model family in the pinned catalog', () => {
		const unknown = catalog.filter((r) => familyOf(r.model_id) === UNKNOWN_FAMILY);
		expect(unknown.map((r) => r.model_id)).toEqual([]);
	});

	it.each([
		['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'llama', 'Meta', 'Llama 3.2 Community License'],
		['Llama-3.1-8B-Instruct-q4f32_1-MLC-1k', 'llama', 'Meta', 'Llama 3.1 Community License'],
		['Llama-3-8B-Instruct-q4f16_1-MLC', 'llama', 'Meta', 'Meta Llama 3 Community License'],
		['Llama-2-7b-chat-hf-q4f16_1-MLC', 'llama', 'Meta', 'Llama 2 Community License'],
		['Qwen3-0.6B-q4f16_1-MLC', 'qwen', 'Alibaba Cloud (Qwen team)', 'Apache 2.0'],
		[
			'Qwen2.5-3B-Instruct-q4f16_1-MLC',
			'qwen',
			'Alibaba Cloud (Qwen team)',
			'Qwen Research License'
		],
		['Phi-3.5-mini-instruct-q4f16_1-MLC', 'phi', 'Microsoft', 'MIT'],
		['gemma-2-2b-it-q4f16_1-MLC', 'gemma', 'Google', 'Gemma Terms of Use'],
		['gemma-4-E2B-it-q4f16_1-MLC', 'gemma', 'Google', 'Apache 2.0'],
		['Mistral-7B-Instruct-v0.3-q4f16_1-MLC', 'mistral', 'Mistral AI', 'Apache 2.0'],
		['Ministral-3-3B-Reasoning-2512-q4f16_1-MLC', 'mistral', 'Mistral AI', 'Apache 2.0'],
		['SmolLM2-360M-Instruct-q4f16_1-MLC', 'smollm', 'Hugging Face', 'Apache 2.0'],
		['DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC', 'deepseek-r1-distill', 'DeepSeek', 'MIT'],
		['Hermes-3-Llama-3.1-8B-q4f16_1-MLC', 'hermes', 'Nous Research', 'Llama 3.1 Community License'],
		['Hermes-2-Pro-Mistral-7B-q4f16_1-MLC', 'hermes', 'Nous Research', 'Apache 2.0'],
		['TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC', 'tinyllama', 'TinyLlama', 'Apache 2.0'],
		[
			'stablelm-2-zephyr-1_6b-q4f16_1-MLC',
			'stablelm',
			'Stability AI',
			'Stability AI Community License'
		],
		['RedPajama-INCITE-Chat-3B-v1-q4f16_1-MLC', 'redpajama', 'Together', 'Apache 2.0'],
		['OLMo-2-0425-1B-Instruct-q4f16_1-MLC', 'olmo', 'Allen Institute for AI', 'Apache 2.0'],
		['WizardMath-7B-V1.1-q4f16_1-MLC', 'wizardmath', 'WizardLM', 'Microsoft Research License'],
		['snowflake-arctic-embed-s-q0f32-MLC-b4', 'snowflake-arctic-embed', 'Snowflake', 'Apache 2.0']
	])('%s -> %s by %s under %s', (id, key, maker, licence) => {
		find(id);
		const family = familyOf(id);
		expect(family.key).toBe(key);
		expect(family.maker).toBe(maker);
		expect(family.licence.name).toBe(licence);
		expect(family.licence.url).toMatch(/^https:\/\//);
	});

	it('adds the Llama licence to a DeepSeek distill of Llama, not to one of Qwen', () => {
		expect(familyOf('DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC').alsoLicence?.name).toBe(
			'Llama 3.1 Community License'
		);
		expect(familyOf('DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC').alsoLicence).toBeUndefined();
	});

	it('gives an unknown family, not an error, for a custom model', () => {
		expect(familyOf('my-own-model')).toBe(UNKNOWN_FAMILY);
	});
});

describe('parseParameters', () => {
	it.each([
		['Llama-3.2-1B-Instruct-q4f16_1-MLC', '1B', 1],
		['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', '0.5B', 0.5],
		['SmolLM2-360M-Instruct-q4f16_1-MLC', '360M', 0.36],
		['Llama-3.1-8B-Instruct-q4f32_1-MLC', '8B', 8],
		['Llama-3.1-70B-Instruct-q3f16_1-MLC', '70B', 70],
		['TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC', '1.1B', 1.1],
		['stablelm-2-zephyr-1_6b-q4f16_1-MLC', '1.6B', 1.6],
		['gemma-2-2b-it-q4f16_1-MLC', '2B', 2],
		['gemma3-1b-it-q4f16_1-MLC', '1B', 1],
		['gemma-4-E2B-it-q4f16_1-MLC', 'E2B', 2],
		['Ministral-3-3B-Base-2512-q4f16_1-MLC', '3B', 3],
		['OLMo-2-1124-7B-Instruct-q4f16_1-MLC', '7B', 7],
		['Hermes-3-Llama-3.1-8B-q4f16_1-MLC', '8B', 8],
		['phi-2-q4f16_1-MLC', '2.7B', 2.7],
		['phi-1_5-q4f16_1-MLC', '1.3B', 1.3],
		['Phi-3.5-mini-instruct-q4f16_1-MLC', '3.8B', 3.8],
		['snowflake-arctic-embed-s-q0f32-MLC-b4', '33M', 0.033]
	])('%s has %s parameters', (id, label, billions) => {
		find(id);
		const parsed = parseParameters(id);
		expect(parsed?.label).toBe(label);
		expect(parsed?.billions).toBeCloseTo(billions, 6);
	});

	it('finds a size for every catalog model', () => {
		expect(catalog.filter((r) => parseParameters(r.model_id) === null)).toEqual([]);
	});

	it('returns null when the id does not say', () => {
		expect(parseParameters('my-model-q4f16_1-MLC')).toBeNull();
	});
});

describe('quantization', () => {
	it.each([
		['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'q4f16_1', true],
		['Llama-3.2-1B-Instruct-q4f32_1-MLC', 'q4f32_1', false],
		['SmolLM2-360M-Instruct-q0f32-MLC', 'q0f32', false],
		['Qwen3-0.6B-q0f16-MLC', 'q0f16', true],
		['Llama-3.1-70B-Instruct-q3f16_1-MLC', 'q3f16_1', true],
		['snowflake-arctic-embed-m-q0f32-MLC-b32', 'q0f32', false]
	])('%s is %s (needs f16: %s)', (id, quant, f16) => {
		expect(parseQuantization(id)).toBe(quant);
		expect(needsF16(find(id))).toBe(f16);
	});

	it('names a quantization for every catalog model', () => {
		expect(catalog.filter((r) => parseQuantization(r.model_id) === null)).toEqual([]);
	});

	it('treats an f16 model as needing shader-f16 although its record does not declare it', () => {
		const llama = find('Llama-3.2-1B-Instruct-q4f16_1-MLC');
		expect(llama.required_features).toBeUndefined();
		expect(needsF16(llama)).toBe(true);
	});

	it('trusts required_features when the id names no quantization', () => {
		expect(needsF16(record({ model_id: 'custom', required_features: ['shader-f16'] }))).toBe(true);
		expect(needsF16(record({ model_id: 'custom' }))).toBe(false);
	});
});

describe('contextWindow', () => {
	it('uses the record override', () => {
		expect(contextWindow(find('Llama-3.2-1B-Instruct-q4f16_1-MLC'))).toBe(4096);
		expect(contextWindow(find('Llama-3.1-8B-Instruct-q4f16_1-MLC-1k'))).toBe(1024);
		expect(contextWindow(find('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC'))).toBe(2048);
	});

	it('reads the compiled size from an embedding library name', () => {
		expect(contextWindow(find('snowflake-arctic-embed-s-q0f32-MLC-b4'))).toBe(512);
	});

	it('falls back to 1024 for "-1k" ids and 4096 otherwise', () => {
		expect(contextWindow(record({ model_id: 'x-q4f16_1-MLC-1k' }))).toBe(1024);
		expect(contextWindow(record({ model_id: 'x-q4f16_1-MLC' }))).toBe(4096);
	});
});

describe('modelCardUrl', () => {
	it('is the Hugging Face repository page', () => {
		expect(modelCardUrl(find('Qwen3-0.6B-q4f16_1-MLC'))).toBe(
			'https://huggingface.co/mlc-ai/Qwen3-0.6B-q4f16_1-MLC'
		);
	});

	it('drops a resolve/ path and trailing slashes', () => {
		const r = record({
			model_id: 'x',
			model: 'https://huggingface.co/org/name/resolve/main/'
		});
		expect(modelCardUrl(r)).toBe('https://huggingface.co/org/name');
	});

	it('is null for other hosts and unparseable URLs', () => {
		expect(modelCardUrl(record({ model_id: 'x', model: 'https://example.org/m/' }))).toBeNull();
		expect(modelCardUrl(record({ model_id: 'x', model: '/models/x' }))).toBeNull();
	});
});

describe('displayName and tuning', () => {
	it.each([
		['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama 3.2 1B Instruct'],
		['Llama-3.1-8B-Instruct-q4f32_1-MLC-1k', 'Llama 3.1 8B Instruct'],
		['stablelm-2-zephyr-1_6b-q4f16_1-MLC', 'stablelm 2 zephyr 1.6B'],
		['phi-1_5-q4f16_1-MLC', 'phi 1.5'],
		['gemma-2-2b-it-q4f16_1-MLC', 'gemma 2 2B it'],
		['snowflake-arctic-embed-s-q0f32-MLC-b4', 'snowflake arctic embed s']
	])('%s -> %s', (id, name) => {
		expect(displayName(id)).toBe(name);
	});

	it('marks base and embedding models as not instruction tuned', () => {
		expect(isInstructionTuned(find('Ministral-3-3B-Base-2512-q4f16_1-MLC'))).toBe(false);
		expect(isInstructionTuned(find('snowflake-arctic-embed-s-q0f32-MLC-b4'))).toBe(false);
		expect(isInstructionTuned(find('Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC'))).toBe(true);
	});
});

describe('floatSibling', () => {
	it('finds the q4f32 build of a q4f16 model', () => {
		const sibling = floatSibling(find('Llama-3.2-1B-Instruct-q4f16_1-MLC'), catalog);
		expect(sibling?.model_id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('keeps the variant suffix', () => {
		const sibling = floatSibling(find('gemma-2-2b-it-q4f16_1-MLC-1k'), catalog);
		expect(sibling?.model_id).toBe('gemma-2-2b-it-q4f32_1-MLC-1k');
	});

	it('is undefined when the catalog has no such build', () => {
		expect(floatSibling(find('gemma3-1b-it-q4f16_1-MLC'), catalog)).toBeUndefined();
		expect(floatSibling(find('Llama-3.1-70B-Instruct-q3f16_1-MLC'), catalog)).toBeUndefined();
	});
});

describe('describeModel', () => {
	it('gathers the facts of one model', () => {
		expect(describeModel(find('Qwen2.5-0.5B-Instruct-q4f16_1-MLC'))).toMatchObject({
			family: { key: 'qwen' },
			displayName: 'Qwen2.5 0.5B Instruct',
			parameters: { label: '0.5B' },
			quantization: 'q4f16_1',
			needsF16: true,
			contextWindow: 4096,
			modelCardUrl: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
			instructionTuned: true
		});
	});
});
