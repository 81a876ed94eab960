import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '$lib/engine/types';
import {
	bitsPerWeight,
	downloadBytes,
	estimateSize,
	formatBytes,
	formatDuration,
	formatSpeed,
	parseTensorCache,
	weightBytes
} from '$lib/models/size';

const catalog: ModelRecord[] = prebuiltAppConfig.model_list;
const find = (id: string) => {
	const r = catalog.find((m) => m.model_id === id);
	if (!r) throw new Error(id);
	return r;
};

/** The shape MLC writes (abridged from a real Llama 3.2 1B q4f16_1 tensor-cache.json). */
const tensorCacheJson = {
	metadata: { ParamSize: 3, ParamBytes: 1100, BitsPerParam: 4.5 },
	records: [
		{
			dataPath: 'params_shard_0.bin',
			format: 'raw-shard',
			nbytes: 1000,
			records: [
				{
					name: 'model.embed_tokens.q_weight',
					shape: [10, 25],
					dtype: 'uint32',
					format: 'f32-to-bf16',
					nbytes: 1000,
					byteOffset: 0
				}
			],
			md5sum: '0123456789abcdef0123456789abcdef'
		},
		{
			dataPath: 'params_shard_1.bin',
			format: 'raw-shard',
			nbytes: 100,
			records: [
				{ name: 'a', shape: [25], dtype: 'float32', format: 'raw', nbytes: 100, byteOffset: 0 }
			]
		}
	]
};

describe('parseTensorCache', () => {
	it('accepts the MLC shape and keeps what downloading needs', () => {
		const cache = parseTensorCache(tensorCacheJson);
		expect(cache?.records.map((r) => [r.dataPath, r.nbytes, r.md5sum])).toEqual([
			['params_shard_0.bin', 1000, '0123456789abcdef0123456789abcdef'],
			['params_shard_1.bin', 100, undefined]
		]);
		expect(cache?.metadata).toEqual(tensorCacheJson.metadata);
		expect(cache?.records[0]?.records[0]?.name).toBe('model.embed_tokens.q_weight');
	});

	it.each([
		['null', null],
		['a string', '<!doctype html><html>'],
		['no records', { metadata: {} }],
		['a shard without dataPath', { records: [{ nbytes: 1 }] }],
		['a negative size', { records: [{ dataPath: 'a.bin', nbytes: -1 }] }],
		['a fractional size', { records: [{ dataPath: 'a.bin', nbytes: 1.5 }] }],
		['a size as a string', { records: [{ dataPath: 'a.bin', nbytes: '10' }] }]
	])('refuses %s', (_label, value) => {
		expect(parseTensorCache(value)).toBeNull();
	});
});

describe('download size', () => {
	it('adds up shards exactly', () => {
		const cache = parseTensorCache(tensorCacheJson);
		if (!cache) throw new Error('fixture');
		expect(weightBytes(cache)).toBe(1100);
		expect(
			downloadBytes(cache, { config: 10, tensorCache: 20, tokenizer: [30], library: 40 })
		).toBe(1200);
		expect(
			downloadBytes(cache, {
				config: 10,
				tensorCache: 20,
				tokenizer: [30],
				library: 0,
				manifest: 5
			})
		).toBe(1165);
	});
});

describe('bitsPerWeight', () => {
	it.each([
		['q4f16_1', 4.5],
		['q4f32_1', 5],
		['q3f16_1', 3.4],
		['q0f16', 16],
		['q0f32', 32],
		[null, null],
		['bf16', null]
	])('%s -> %s', (quant, bits) => {
		expect(bitsPerWeight(quant)).toBe(bits);
	});
});

describe('estimateSize', () => {
	it('is labelled an estimate', () => {
		expect(estimateSize(find('Llama-3.2-1B-Instruct-q4f16_1-MLC')).estimated).toBe(true);
	});

	it('lands near the real size for models whose download size is known', () => {
		// Llama 3.2 1B q4f16_1 weighs about 0.7 GB; Llama 3.1 8B q4f16_1 about 4.5 GB.
		const small = estimateSize(find('Llama-3.2-1B-Instruct-q4f16_1-MLC')).bytes;
		expect(small).toBeGreaterThan(0.55e9);
		expect(small).toBeLessThan(0.9e9);
		const big = estimateSize(find('Llama-3.1-8B-Instruct-q4f16_1-MLC')).bytes;
		expect(big).toBeGreaterThan(4e9);
		expect(big).toBeLessThan(5.5e9);
	});

	it('gives the "-1k" variant the same size as the model it shares files with', () => {
		expect(estimateSize(find('Llama-3.1-8B-Instruct-q4f16_1-MLC-1k'))).toEqual(
			estimateSize(find('Llama-3.1-8B-Instruct-q4f16_1-MLC'))
		);
	});

	it('orders quantizations of one model by size', () => {
		const size = (q: string) => estimateSize(find(`Llama-3.2-1B-Instruct-${q}-MLC`)).bytes;
		expect(size('q4f16_1')).toBeLessThan(size('q4f32_1'));
		expect(size('q4f32_1')).toBeLessThan(size('q0f16'));
		expect(size('q0f16')).toBeLessThan(size('q0f32'));
	});

	it('falls back to the VRAM figure when the id gives no size', () => {
		const r: ModelRecord = {
			model: 'https://example.org/m',
			model_id: 'custom',
			model_lib: 'https://example.org/m.wasm',
			vram_required_MB: 1000
		};
		const estimate = estimateSize(r);
		expect(estimate.basis).toBe('vram');
		expect(estimate.bytes).toBeGreaterThan(0);
		expect(estimateSize({ ...r, vram_required_MB: undefined }).basis).toBe('unknown');
	});

	it('estimates every catalog model', () => {
		expect(catalog.filter((r) => estimateSize(r).bytes <= 0)).toEqual([]);
	});
});

describe('formatting', () => {
	it.each([
		[0, '0 bytes'],
		[999, '999 bytes'],
		[1000, '1.0 kB'],
		[1_234_567_890, '1.2 GB'],
		[697_000_000, '697 MB'],
		[999_960_000, '1.0 GB'],
		[12_345_678_901, '12 GB'],
		[-1, '–'],
		[Number.NaN, '–']
	])('formatBytes(%s) = %s', (bytes, text) => {
		expect(formatBytes(bytes)).toBe(text);
	});

	it('formats a speed', () => {
		expect(formatSpeed(12_500_000)).toBe('13 MB/s');
	});

	it.each([
		[null, '–'],
		[Number.POSITIVE_INFINITY, '–'],
		[0.2, '1 sec'],
		[45, '45 sec'],
		[61, '2 min'],
		[3600, '1 hr'],
		[3900, '1 hr 5 min']
	])('formatDuration(%s) = %s', (seconds, text) => {
		expect(formatDuration(seconds)).toBe(text);
	});
});
