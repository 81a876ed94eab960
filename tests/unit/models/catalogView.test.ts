import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '$lib/engine/types';
import { catalog } from '$lib/models/catalog';
import {
	catalogEntries,
	filterEntries,
	groupByFamily,
	NO_FILTERS,
	pickerModels,
	preferredModel,
	preferredModels,
	quantizationsOf
} from '$lib/models/catalogView';
import { swiftshaderReport } from './builders';

const swiftshader = swiftshaderReport({ invocations: 256 });

const custom: ModelRecord = {
	model: 'http://127.0.0.1:9/models/Tiny-q4f32_1-MLC',
	model_id: 'Tiny-q4f32_1-MLC',
	model_lib: 'http://127.0.0.1:9/libs/tiny.wasm'
};

describe('catalog entries', () => {
	const entries = catalogEntries([...catalog, custom], new Set([custom.model_id]), swiftshader);

	it('lists every catalog model and gives each a verdict', () => {
		expect(entries).toHaveLength(catalog.length + 1);
		expect(entries.every((e) => e.fit !== null)).toBe(true);
	});

	it('says q4f16 models cannot run without shader-f16 and points to the q4f32 sibling', () => {
		const f16 = entries.find((e) => e.record.model_id === 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
		expect(f16?.fit?.verdict).toBe('unsupported');
		expect(f16?.fit?.alternative).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
	});

	it('groups custom models first, then chat families, then vision/embedding-only ones', () => {
		const groups = groupByFamily(entries);
		expect(groups[0]?.key).toBe('custom');
		expect(groups.at(-1)?.entries.every((e) => e.kind !== 'chat')).toBe(true);
		const embedding = groups.find((g) => g.key === 'snowflake-arctic-embed');
		expect(embedding?.entries.every((e) => e.kind === 'embedding')).toBe(true);
		// Within a family, chat models come before vision ones.
		const phi = groups.find((g) => g.key === 'phi');
		const kinds = phi?.entries.map((e) => e.kind) ?? [];
		expect(kinds.indexOf('vision')).toBeGreaterThan(kinds.lastIndexOf('chat'));
	});

	it('filters by words, parameters, quantization, context, fit and downloaded', () => {
		const none = () => false;
		const search = filterEntries(entries, { ...NO_FILTERS, query: 'llama 3.2 1b' }, none);
		expect(search.length).toBeGreaterThan(0);
		expect(search.every((e) => /Llama-3\.2-1B/.test(e.record.model_id))).toBe(true);

		const small = filterEntries(entries, { ...NO_FILTERS, parameters: 'under-1b' }, none);
		expect(small.length).toBeGreaterThan(0);
		expect(small.every((e) => (e.facts.parameters?.billions ?? 99) < 1)).toBe(true);

		const q = filterEntries(entries, { ...NO_FILTERS, quantization: 'q4f32_1' }, none);
		expect(q.length).toBeGreaterThan(0);
		expect(q.every((e) => e.facts.quantization === 'q4f32_1')).toBe(true);

		// The pinned catalog's windows are 512 to 4096 tokens (WebLLM's prebuilt configs).
		const long = filterEntries(entries, { ...NO_FILTERS, minContext: 4096 }, none);
		expect(long.length).toBeGreaterThan(0);
		expect(long.length).toBeLessThan(entries.length);
		expect(long.every((e) => e.facts.contextWindow >= 4096)).toBe(true);

		const fits = filterEntries(entries, { ...NO_FILTERS, fitsOnly: true }, none);
		expect(fits.some((e) => /q4f16/.test(e.record.model_id))).toBe(false);

		const downloaded = filterEntries(
			entries,
			{ ...NO_FILTERS, downloadedOnly: true },
			(id) => id === custom.model_id
		);
		expect(downloaded.map((e) => e.record.model_id)).toEqual([custom.model_id]);
		expect(quantizationsOf(entries)).toContain('q4f16_1');
	});
});

describe('chat picker', () => {
	it('offers chat and vision models, smallest first, custom ones (no VRAM figure) last', () => {
		const list = pickerModels([custom, ...catalog]);
		expect(list.at(-1)?.model_id).toBe(custom.model_id);
		expect(list.some((r) => r.model_type === 2)).toBe(true);
		expect(list.some((r) => r.model_type === 1)).toBe(false);
		const sizes = list.flatMap((r) => r.vram_required_MB ?? []);
		expect(sizes.length).toBeGreaterThan(10);
		expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
	});
});

describe('preferredModel', () => {
	const f16: ModelRecord = {
		model: 'https://x/a/',
		model_id: 'Tiny-q0f16-MLC',
		model_lib: 'https://x/a.wasm',
		vram_required_MB: 300
	};
	const f32: ModelRecord = {
		model: 'https://x/b/',
		model_id: 'Tiny-q0f32-MLC',
		model_lib: 'https://x/b.wasm',
		vram_required_MB: 400
	};
	const gpu = (features: string[]) => swiftshaderReport({ features, invocations: 256 });

	it('skips a model this GPU cannot run (no shader-f16)', () => {
		expect(preferredModel([f16, f32], () => false, gpu([]))?.model_id).toBe('Tiny-q0f32-MLC');
		expect(preferredModel([f16, f32], () => false, gpu(['shader-f16']))?.model_id).toBe(
			'Tiny-q0f16-MLC'
		);
	});

	it('orders as many as asked for by the same rule (Compare offers two)', () => {
		const f16b: ModelRecord = { ...f16, model: 'https://x/c/', model_id: 'Small-q0f16-MLC' };
		const ids = (list: ModelRecord[]) => list.map((r) => r.model_id);
		expect(ids(preferredModels([f16, f16b, f32], () => false, gpu([]), 2))).toEqual([
			'Tiny-q0f32-MLC',
			'Tiny-q0f16-MLC'
		]);
		expect(ids(preferredModels([f16, f16b, f32], () => false, gpu(['shader-f16']), 2))).toEqual([
			'Tiny-q0f16-MLC',
			'Small-q0f16-MLC'
		]);
		expect(
			ids(preferredModels([f16, f16b, f32], (id) => id === 'Small-q0f16-MLC', gpu([]), 2))
		).toEqual(['Small-q0f16-MLC', 'Tiny-q0f32-MLC']);
		expect(ids(preferredModels([f16, f16b, f32], () => false, null, 2))).toEqual([
			'Tiny-q0f16-MLC',
			'Small-q0f16-MLC'
		]);
	});

	it('prefers a model that is ready offline, and falls back to the first before the probe', () => {
		expect(preferredModel([f16, f32], (id) => id === 'Tiny-q0f16-MLC', gpu([]))?.model_id).toBe(
			'Tiny-q0f16-MLC'
		);
		expect(preferredModel([f16, f32], () => false, null)?.model_id).toBe('Tiny-q0f16-MLC');
	});
});
