import { describe, expect, it } from 'vitest';
import { memoryBudgetMB } from '$lib/engine/memory';
import { checkFit, estimateVramMB, VRAM_SAFETY_MARGIN } from '$lib/models/fit';
import { catalog, find, GiB, gpuReport as gpu } from './builders';

/** The SwiftShader adapter of TESTING.md: no shader-f16, 1 GiB storage buffers. */
const swiftshader = gpu({ features: [], storageBuffer: GiB, fallback: true });

const llama1Bf16 = find('Llama-3.2-1B-Instruct-q4f16_1-MLC');
const llama1Bf32 = find('Llama-3.2-1B-Instruct-q4f32_1-MLC');

describe('checkFit', () => {
	it('runs an f16 model on a GPU with shader-f16 and room to spare', () => {
		expect(checkFit(llama1Bf16, { report: gpu(), budgetMB: 8000 })).toEqual({
			verdict: 'runs',
			reasons: [],
			codes: [],
			estimateMB: (llama1Bf16.vram_required_MB ?? 0) * VRAM_SAFETY_MARGIN
		});
	});

	it('is unsupported without WebGPU, or without an adapter', () => {
		const none = checkFit(llama1Bf32, { report: { status: 'no-webgpu', secureContext: true } });
		expect(none.verdict).toBe('unsupported');
		expect(none.codes).toEqual(['no-webgpu']);
		const noAdapter = checkFit(llama1Bf32, {
			report: { status: 'no-adapter', reason: 'requestAdapter() returned null' }
		});
		expect(noAdapter.codes).toEqual(['no-adapter']);
		expect(noAdapter.reasons).toHaveLength(1);
	});

	it('refuses an f16 model without shader-f16 even when its record does not declare it', () => {
		expect(llama1Bf16.required_features).toBeUndefined();
		const fit = checkFit(llama1Bf16, { report: gpu({ features: [] }), records: catalog });
		expect(fit.verdict).toBe('unsupported');
		expect(fit.codes).toEqual(['shader-f16-missing']);
		expect(fit.alternative).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('offers no alternative when there is no f32 build', () => {
		const gemma3 = find('gemma3-1b-it-q4f16_1-MLC');
		const fit = checkFit(gemma3, { report: gpu({ features: [] }), records: catalog });
		expect(fit.verdict).toBe('unsupported');
		expect(fit.alternative).toBeUndefined();
	});

	it('offers no alternative without the catalog to look it up in', () => {
		expect(checkFit(llama1Bf16, { report: gpu({ features: [] }) }).alternative).toBeUndefined();
	});

	it('runs the f32 build on SwiftShader, saying that it will be slow', () => {
		const fit = checkFit(llama1Bf32, { report: swiftshader });
		expect(fit.verdict).toBe('runs');
		expect(fit.codes).toEqual(['software-adapter']);
		expect(fit.reasons).toHaveLength(1);
	});

	it('checks every required feature', () => {
		const record = { ...llama1Bf32, required_features: ['subgroups', 'shader-f16'] };
		const fit = checkFit(record, { report: gpu({ features: ['shader-f16'] }) });
		expect(fit.verdict).toBe('unsupported');
		expect(fit.codes).toEqual(['feature-missing']);
		expect(fit.reasons[0]).toContain('subgroups');
	});

	it('refuses a model whose buffers exceed maxStorageBufferBindingSize', () => {
		const gemma = find('gemma-2b-it-q4f32_1-MLC');
		expect(gemma.buffer_size_required_bytes).toBe(262144000);
		const small = checkFit(gemma, { report: gpu({ storageBuffer: 128 * 1024 * 1024 }) });
		expect(small.verdict).toBe('unsupported');
		expect(small.codes).toEqual(['buffer-too-small']);
		expect(checkFit(gemma, { report: gpu({ storageBuffer: 262144000 }) }).verdict).toBe('runs');
	});

	it('offers no f32 alternative when the f32 build is blocked by the buffer limit too', () => {
		const gemma = find('gemma-2b-it-q4f16_1-MLC');
		const report = gpu({ features: [], storageBuffer: 128 * 1024 * 1024 });
		const fit = checkFit(gemma, { report, records: catalog });
		expect(fit.codes).toEqual(['shader-f16-missing', 'buffer-too-small']);
		expect(fit.alternative).toBeUndefined();
	});

	it('warns, without refusing, when the model needs more than the memory budget', () => {
		const need = (llama1Bf32.vram_required_MB ?? 0) * VRAM_SAFETY_MARGIN;
		const tight = checkFit(llama1Bf32, { report: gpu(), budgetMB: need - 1 });
		expect(tight.verdict).toBe('may-oom');
		expect(tight.codes).toEqual(['memory-tight']);
		expect(checkFit(llama1Bf32, { report: gpu(), budgetMB: need }).verdict).toBe('runs');
	});

	it("applies the safety margin: a model just under the budget by WebLLM's figure may not fit", () => {
		const budgetMB = (llama1Bf32.vram_required_MB ?? 0) + 1;
		expect(checkFit(llama1Bf32, { report: gpu(), budgetMB }).verdict).toBe('may-oom');
	});

	it('does not judge memory without a budget', () => {
		const huge = find('Llama-3.1-70B-Instruct-q3f16_1-MLC');
		expect(checkFit(huge, { report: gpu() }).verdict).toBe('runs');
	});

	it('lets an unsupported finding win over a memory warning, and lists both', () => {
		const fit = checkFit(llama1Bf16, { report: gpu({ features: [] }), budgetMB: 100 });
		expect(fit.verdict).toBe('unsupported');
		expect(fit.codes).toEqual(['shader-f16-missing', 'memory-tight']);
		expect(fit.reasons).toHaveLength(2);
	});

	it('offers the f32 build even if it too may run out of memory', () => {
		const fit = checkFit(llama1Bf16, {
			report: gpu({ features: [] }),
			budgetMB: 100,
			records: catalog
		});
		expect(fit.alternative).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('has no estimate for a record without a VRAM figure', () => {
		const r = { ...llama1Bf32, vram_required_MB: undefined };
		expect(estimateVramMB(r)).toBeNull();
		expect(checkFit(r, { report: gpu(), budgetMB: 1 }).verdict).toBe('runs');
	});

	it('judges every catalog model on SwiftShader without throwing', () => {
		const verdicts = catalog.map((r) => checkFit(r, { report: swiftshader, records: catalog }));
		expect(verdicts.filter((v) => v.verdict === 'runs').length).toBeGreaterThan(0);
		// Every q*f16* model is refused there.
		for (const [i, r] of catalog.entries()) {
			if (/f16/.test(r.model_id)) expect(verdicts[i]?.verdict).toBe('unsupported');
		}
	});
});

describe('memoryBudgetMB', () => {
	it.each([
		[undefined, undefined],
		[0, undefined],
		[Number.NaN, undefined],
		[0.5, 256],
		[4, 2048],
		[8, undefined],
		[16, undefined]
	])('deviceMemory %s GB -> %s MB', (gb, mb) => {
		expect(memoryBudgetMB(gb)).toBe(mb);
	});

	it('flags a 3B model on a 4 GB phone, not a 1B one', () => {
		const budgetMB = memoryBudgetMB(4);
		expect(checkFit(llama1Bf16, { report: gpu(), budgetMB }).verdict).toBe('runs');
		const threeB = find('Llama-3.2-3B-Instruct-q4f16_1-MLC');
		expect(checkFit(threeB, { report: gpu(), budgetMB }).verdict).toBe('may-oom');
	});
});
