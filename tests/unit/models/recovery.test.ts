import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '$lib/engine/types';
import { MIN_CONTEXT_WINDOW, smallerContext, smallerModel } from '$lib/models/recovery';
import { catalog, find, swiftshaderReport } from './builders';

const gpu = (features: string[]) => swiftshaderReport({ features, fallback: false });

describe('smallerContext', () => {
	it('halves the window down to the 1k floor, then offers nothing', () => {
		expect(smallerContext(4096)).toBe(2048);
		expect(smallerContext(2048)).toBe(1024);
		expect(smallerContext(1500)).toBe(MIN_CONTEXT_WINDOW);
		expect(smallerContext(1024)).toBeNull();
		expect(smallerContext(512)).toBeNull();
		expect(smallerContext(Number.NaN)).toBeNull();
	});
});

describe('smallerModel', () => {
	it('offers the next smaller model of the same family', () => {
		const next = smallerModel(find('Llama-3.2-3B-Instruct-q4f32_1-MLC'), catalog, null);
		expect(next?.model_id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('falls back to the smallest model when the family has none smaller', () => {
		const current = find('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
		const next = smallerModel(current, catalog, gpu([]));
		expect(next?.model_id).toBe('SmolLM2-360M-Instruct-q4f32_1-MLC');
		expect(next?.vram_required_MB).toBeLessThan(current.vram_required_MB ?? 0);
	});

	it('never offers another build of the same model, nor a 16-bit build for a 32-bit one', () => {
		// The q4f16 build of the same model is smaller, but it is the same model (and may not run).
		const current = find('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
		const next = smallerModel(current, catalog, null);
		expect(next?.model_id).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	});

	it('offers 16-bit builds for a 16-bit model when the GPU has shader-f16', () => {
		const current = find('Llama-3.2-3B-Instruct-q4f16_1-MLC');
		expect(smallerModel(current, catalog, gpu(['shader-f16']))?.model_id).toBe(
			'Llama-3.2-1B-Instruct-q4f16_1-MLC'
		);
	});

	it('skips models the GPU cannot run', () => {
		// Without shader-f16 every f16 build is refused, whatever the current model needs.
		const current = find('Llama-3.2-3B-Instruct-q4f16_1-MLC');
		const next = smallerModel(current, catalog, gpu([]));
		expect(next?.model_id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('only offers chat models, and nothing when none is smaller', () => {
		const smallest = find('SmolLM2-135M-Instruct-q0f16-MLC');
		expect(smallerModel(smallest, catalog, null)).toBeNull();
		const vision = smallerModel(find('Phi-3.5-vision-instruct-q4f32_1-MLC'), catalog, null);
		expect(vision && vision.model_type).toBeFalsy();
	});

	it('offers the smallest model in place of a custom model of unknown size', () => {
		const custom: ModelRecord = {
			model: 'http://127.0.0.1:9/m/',
			model_id: 'my-model-q4f32_1-MLC',
			model_lib: 'http://127.0.0.1:9/m.wasm'
		};
		expect(smallerModel(custom, catalog, null)?.model_id).toBe('SmolLM2-360M-Instruct-q4f32_1-MLC');
	});
});
