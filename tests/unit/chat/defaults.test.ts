import { describe, expect, it } from 'vitest';
import {
	canToggleThinking,
	defaultSettings,
	effectiveSettings,
	isReasoningModel,
	isVisionModel
} from '$lib/chat/defaults';

describe('model kinds', () => {
	it('recognises reasoning models by id', () => {
		expect(isReasoningModel('Qwen3-0.6B-q4f16_1-MLC')).toBe(true);
		expect(isReasoningModel('DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC')).toBe(true);
		expect(isReasoningModel('Qwen2.5-1.5B-Instruct-q4f16_1-MLC')).toBe(false);
		expect(isReasoningModel('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(false);
		expect(canToggleThinking('Qwen3-4B-q4f16_1-MLC')).toBe(true);
		expect(canToggleThinking('DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC')).toBe(false);
	});

	it('recognises vision models by their model type', () => {
		expect(isVisionModel({ model_type: 2 })).toBe(true);
		expect(isVisionModel({ model_type: 0 })).toBe(false);
		expect(isVisionModel({})).toBe(false);
	});
});

describe('defaultSettings', () => {
	it('gives chat models the general defaults, seed unset', () => {
		expect(defaultSettings('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toEqual({
			temperature: 0.7,
			top_p: 0.95,
			max_tokens: 1024,
			presence_penalty: 0,
			frequency_penalty: 0
		});
	});

	it('turns thinking on for reasoning models, with room to think', () => {
		expect(defaultSettings('Qwen3-1.7B-q4f16_1-MLC')).toMatchObject({
			temperature: 0.6,
			max_tokens: 2048,
			enable_thinking: true
		});
	});

	it('keeps max_tokens within half the context window', () => {
		expect(defaultSettings('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC-1k', 1024).max_tokens).toBe(512);
		expect(defaultSettings('Qwen3-8B-q4f16_1-MLC', 40960).max_tokens).toBe(2048);
	});
});

describe('effectiveSettings', () => {
	it('lets the conversation override the defaults', () => {
		expect(
			effectiveSettings('Qwen3-0.6B-q4f16_1-MLC', { temperature: 0.2, enable_thinking: false })
		).toMatchObject({ temperature: 0.2, top_p: 0.95, enable_thinking: false });
	});

	it('sends enable_thinking only to models that understand it', () => {
		expect(effectiveSettings('DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC', {})).not.toHaveProperty(
			'enable_thinking'
		);
		expect(
			effectiveSettings('Llama-3.2-1B-Instruct-q4f16_1-MLC', { enable_thinking: true })
		).not.toHaveProperty('enable_thinking');
	});
});

describe('server models', () => {
	it('are known by their own name: a Qwen3 on a server thinks, and its thinking can be switched off', () => {
		expect(isReasoningModel('127.0.0.1:11434/qwen3:32b')).toBe(true);
		expect(canToggleThinking('gpu-box:8000/Qwen/Qwen3-32B')).toBe(true);
		expect(isReasoningModel('127.0.0.1:11434/deepseek-r1:70b')).toBe(true);
		expect(isReasoningModel('127.0.0.1:11434/llama3.1:70b')).toBe(false);
		expect(effectiveSettings('127.0.0.1:11434/qwen3:32b', {}).enable_thinking).toBe(true);
		expect(effectiveSettings('127.0.0.1:11434/llama3.1:70b', {}).enable_thinking).toBeUndefined();
	});
});
