// Size accounting. A model's exact download size is only known once its tensor-cache.json (the
// list of weight shards, each with its byte count) has been fetched; before that, `estimateSize`
// gives a figure that the interface must label as an estimate. Formatting uses decimal units
// (1 GB = 10^9 bytes), as Hugging Face and most download dialogs do.
import type { ModelRecord } from '$lib/engine/types';
import { formatBytes, formatDuration } from '$lib/i18n/format';
import { parseParameters, parseQuantization } from './families';

/** One tensor inside a shard. */
export interface TensorRecord {
	name: string;
	shape: number[];
	dtype: string;
	format: string;
	nbytes: number;
	byteOffset: number;
}

/** One weight file ("params_shard_N.bin"), as listed in tensor-cache.json. */
export interface TensorShard {
	/** Relative to the model URL; WebLLM fetches `new URL(dataPath, modelUrl)`. */
	dataPath: string;
	format: string;
	/** Exact size of the file in bytes. */
	nbytes: number;
	records: TensorRecord[];
	/** MLC writes one; WebLLM 0.2.86 never checks it. */
	md5sum?: string;
}

/** tensor-cache.json (WebLLM reads only `records` and `metadata`). */
export interface TensorCache {
	metadata?: Record<string, unknown>;
	records: TensorShard[];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the parts of a tensor-cache.json that downloading relies on (each shard's dataPath and
 * nbytes) and returns it typed, or null when it is not one (an HTML error page parsed as JSON,
 * a truncated file, another format).
 */
export function parseTensorCache(value: unknown): TensorCache | null {
	if (!isObject(value) || !Array.isArray(value.records)) return null;
	const shards: TensorShard[] = [];
	for (const shard of value.records) {
		if (!isObject(shard)) return null;
		const { dataPath, nbytes } = shard;
		if (typeof dataPath !== 'string' || dataPath === '') return null;
		if (typeof nbytes !== 'number' || !Number.isSafeInteger(nbytes) || nbytes < 0) return null;
		shards.push({
			dataPath,
			nbytes,
			format: typeof shard.format === 'string' ? shard.format : '',
			records: Array.isArray(shard.records) ? (shard.records as TensorRecord[]) : [],
			...(typeof shard.md5sum === 'string' ? { md5sum: shard.md5sum } : {})
		});
	}
	return {
		...(isObject(value.metadata) ? { metadata: value.metadata } : {}),
		records: shards
	};
}

/** Bytes of all weight shards. */
export function weightBytes(cache: TensorCache): number {
	return cache.records.reduce((sum, shard) => sum + shard.nbytes, 0);
}

/** Byte sizes of everything besides the shards, as fetched. */
export interface SmallFileSizes {
	/** mlc-chat-config.json */
	config: number;
	/** tensor-cache.json itself */
	tensorCache: number;
	/** The tokenizer file(s) WebLLM fetches (one, in 0.2.86). */
	tokenizer: number[];
	/** The model library (.wasm); 0 when it is shared and already stored. */
	library: number;
	/** mlc-model-manifest.json, for records that name one. */
	manifest?: number;
}

/** The exact number of bytes a model's download stores. */
export function downloadBytes(cache: TensorCache, files: SmallFileSizes): number {
	const tokenizer = files.tokenizer.reduce((sum, n) => sum + n, 0);
	return (
		weightBytes(cache) +
		files.config +
		files.tensorCache +
		tokenizer +
		files.library +
		(files.manifest ?? 0)
	);
}

/**
 * Average stored bits per weight for MLC's group quantizations: qNfM_1 stores N-bit weights plus
 * one M-bit scale per group (32 weights; 40 for q3). q0fM is unquantized M-bit floats.
 */
export function bitsPerWeight(quantization: string | null): number | null {
	const match = quantization ? /^q(\d+)f(16|32)/.exec(quantization) : null;
	if (!match) return null;
	const bits = Number(match[1]);
	const scaleBits = Number(match[2]);
	if (bits === 0) return scaleBits;
	const group = bits === 3 ? 40 : 32;
	return bits + scaleBits / group;
}

/** Room for the tokenizer and the model library, which are a few MB each. */
const SMALL_FILES_ALLOWANCE = 12_000_000;
/** Ids round parameter counts down ("1B" is 1.24B, "0.6B" is 0.75B with embeddings): add 15%. */
const LABEL_ROUNDING = 1.15;
/** Share of WebLLM's VRAM figure that is weights (the rest is KV cache and activations). */
const WEIGHT_SHARE_OF_VRAM = 0.6;

export interface SizeEstimate {
	bytes: number;
	/** Always true: say "about" in the interface. */
	estimated: true;
	/** What the figure came from. */
	basis: 'parameters' | 'vram' | 'unknown';
}

/**
 * The download size before tensor-cache.json is known: parameters x bits per weight when the id
 * says both (so the "-1k" and full-context variants, which share their files, get the same
 * figure), else a share of WebLLM's VRAM figure; plus the small files. Gemma's "E2B" counts only
 * "effective" parameters, so it goes by VRAM too.
 */
export function estimateSize(record: ModelRecord): SizeEstimate {
	const params = parseParameters(record.model_id);
	const bits = bitsPerWeight(parseQuantization(record.model_id));
	if (params && bits && !params.label.startsWith('E')) {
		const weights = (params.billions * 1e9 * bits * LABEL_ROUNDING) / 8;
		return {
			bytes: Math.round(weights + SMALL_FILES_ALLOWANCE),
			estimated: true,
			basis: 'parameters'
		};
	}
	const vramMB = record.vram_required_MB ?? 0;
	if (vramMB > 0) {
		const weights = vramMB * 1024 * 1024 * WEIGHT_SHARE_OF_VRAM;
		return { bytes: Math.round(weights + SMALL_FILES_ALLOWANCE), estimated: true, basis: 'vram' };
	}
	return { bytes: 0, estimated: true, basis: 'unknown' };
}

// Sizes and durations are written in the page's language (src/lib/i18n/format.ts).
export { formatBytes, formatDuration };

export function formatSpeed(bytesPerSecond: number): string {
	return `${formatBytes(bytesPerSecond)}/s`;
}
