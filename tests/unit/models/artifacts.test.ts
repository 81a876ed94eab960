import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '$lib/engine/types';
import {
	configArtifact,
	isLibraryCacheable,
	libraryArtifact,
	manifestArtifact,
	modelArtifacts,
	modelBaseUrl,
	shardArtifacts,
	tensorCacheArtifact,
	tokenizerArtifact,
	tokenizerFile,
	tokenizerUrls,
	type ArtifactRecord
} from '$lib/models/artifacts';
import type { TensorCache } from '$lib/models/size';

const catalog: ArtifactRecord[] = prebuiltAppConfig.model_list;
const find = (id: string) => {
	const r = catalog.find((m) => m.model_id === id);
	if (!r) throw new Error(id);
	return r;
};

const HF = 'https://huggingface.co/mlc-ai/Qwen3-0.6B-q4f16_1-MLC';
const BASE = `${HF}/resolve/main/`;

const qwen: ModelRecord = {
	model: HF,
	model_id: 'Qwen3-0.6B-q4f16_1-MLC',
	model_lib:
		'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen3-0.6B-q4f16_1_cs1k-webgpu.wasm'
};

const cache: TensorCache = {
	records: [
		{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 10, records: [] },
		{ dataPath: 'params_shard_1.bin', format: 'raw-shard', nbytes: 20, records: [] }
	]
};

describe('modelBaseUrl (cleanModelUrl)', () => {
	it.each([
		[HF, BASE],
		[`${HF}/`, BASE],
		[BASE, BASE],
		[`${HF}/resolve/v1.2/`, `${HF}/resolve/v1.2/`],
		['https://example.org/models/m/', 'https://example.org/models/m/resolve/main/'],
		['https://example.org/a b', 'https://example.org/a%20b/resolve/main/']
	])('%s -> %s', (model, base) => {
		expect(modelBaseUrl(model)).toBe(base);
	});

	it('adds only the slash to ".../resolve/main"', () => {
		// The slash comes first, so WebLLM's /.+\/resolve\/.+\// then matches.
		expect(modelBaseUrl(`${HF}/resolve/main`)).toBe(`${HF}/resolve/main/`);
	});

	it('throws on a relative URL, as WebLLM does', () => {
		expect(() => modelBaseUrl('/models/m')).toThrow(TypeError);
	});
});

describe('artifact URLs and databases', () => {
	it('puts the chat config in webllm/config as bytes', () => {
		expect(configArtifact(qwen)).toEqual({
			kind: 'config',
			url: `${BASE}mlc-chat-config.json`,
			db: 'webllm/config',
			storeAs: 'arraybuffer',
			cacheable: true
		});
	});

	it('keys the library by model_lib exactly, in webllm/wasm', () => {
		expect(libraryArtifact(qwen)).toMatchObject({
			url: qwen.model_lib,
			db: 'webllm/wasm',
			storeAs: 'arraybuffer',
			cacheable: true
		});
	});

	it('puts tensor-cache.json in webllm/model as parsed JSON', () => {
		expect(tensorCacheArtifact(qwen)).toMatchObject({
			url: `${BASE}tensor-cache.json`,
			db: 'webllm/model',
			storeAs: 'json'
		});
	});

	it('resolves shards against the base URL, with their sizes', () => {
		expect(shardArtifacts(qwen, cache)).toEqual([
			{
				kind: 'shard',
				url: `${BASE}params_shard_0.bin`,
				db: 'webllm/model',
				storeAs: 'arraybuffer',
				nbytes: 10,
				cacheable: true
			},
			{
				kind: 'shard',
				url: `${BASE}params_shard_1.bin`,
				db: 'webllm/model',
				storeAs: 'arraybuffer',
				nbytes: 20,
				cacheable: true
			}
		]);
	});

	it('resolves a nested dataPath the way new URL() does', () => {
		const nested = { records: [{ dataPath: 'w/0.bin', format: '', nbytes: 1, records: [] }] };
		expect(shardArtifacts(qwen, nested)[0]?.url).toBe(`${BASE}w/0.bin`);
	});
});

describe('tokenizer', () => {
	it('prefers tokenizer.json', () => {
		const config = { tokenizer_files: ['tokenizer.model', 'tokenizer.json', 'vocab.json'] };
		expect(tokenizerFile(qwen, config)).toBe('tokenizer.json');
		expect(tokenizerArtifact(qwen, config)).toMatchObject({
			url: `${BASE}tokenizer.json`,
			db: 'webllm/model',
			storeAs: 'arraybuffer'
		});
	});

	it('falls back to tokenizer.model', () => {
		expect(tokenizerFile(qwen, { tokenizer_files: ['tokenizer.model'] })).toBe('tokenizer.model');
	});

	it('is null when the config lists neither (WebLLM would throw)', () => {
		expect(tokenizerFile(qwen, { tokenizer_files: ['vocab.json', 'merges.txt'] })).toBeNull();
		expect(tokenizerFile(qwen, {})).toBeNull();
		expect(tokenizerArtifact(qwen, {})).toBeNull();
	});

	it('lets record overrides replace the config list, as WebLLM merges them', () => {
		const overridden = { ...qwen, overrides: { tokenizer_files: ['tokenizer.model'] } };
		expect(tokenizerFile(overridden, { tokenizer_files: ['tokenizer.json'] })).toBe(
			'tokenizer.model'
		);
	});

	it('lists both names for deletion', () => {
		expect(tokenizerUrls(qwen)).toEqual([`${BASE}tokenizer.json`, `${BASE}tokenizer.model`]);
	});
});

describe('library caching (fetchWasmSource)', () => {
	it.each([
		['https://raw.githubusercontent.com/x/y.wasm', true],
		['http://127.0.0.1:4173/lib.wasm', true],
		['http://localhost:4173/lib.wasm', false],
		['/libs/model.wasm', false],
		['libs/model.wasm', false]
	])('%s cacheable: %s', (url, cacheable) => {
		expect(isLibraryCacheable(url)).toBe(cacheable);
	});
});

describe('model manifest', () => {
	it('is fetched only when the record names one, into webllm/config', () => {
		expect(manifestArtifact(qwen)).toBeNull();
		const gemma = find('gemma-4-E2B-it-q4f16_1-MLC');
		expect(gemma.model_manifest).toBe('mlc-model-manifest.json');
		expect(manifestArtifact(gemma)).toMatchObject({
			url: 'https://huggingface.co/mlc-ai/gemma-4-E2B-it-q4f16_1-MLC/resolve/main/mlc-model-manifest.json',
			db: 'webllm/config',
			storeAs: 'arraybuffer'
		});
	});
});

describe('modelArtifacts', () => {
	it('lists what is known, in the order WebLLM reads it', () => {
		const config = { tokenizer_files: ['tokenizer.json'] };
		expect(modelArtifacts(qwen, config, cache).map((a) => a.kind)).toEqual([
			'config',
			'library',
			'tokenizer',
			'tensor-cache',
			'shard',
			'shard'
		]);
		expect(modelArtifacts(qwen, null, null).map((a) => a.kind)).toEqual([
			'config',
			'library',
			'tensor-cache'
		]);
	});

	it('gives every catalog model a config, library and tensor cache in the right databases', () => {
		expect(catalog.length).toBeGreaterThan(0);
		for (const record of catalog) {
			const list = modelArtifacts(record, null, null);
			expect(list.find((a) => a.kind === 'config')?.db).toBe('webllm/config');
			expect(list.find((a) => a.kind === 'library')?.cacheable).toBe(true);
			expect(list.find((a) => a.kind === 'tensor-cache')?.url).toMatch(
				/^https:\/\/huggingface\.co\/mlc-ai\/[^/]+\/resolve\/main\/tensor-cache\.json$/
			);
		}
	});
});
