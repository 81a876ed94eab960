// The sampling settings a user can set, one table for every form that offers them (a
// conversation's settings in Chat, the shared settings in Compare): the same range, step and
// meaning wherever a field appears. Labels and hints live in strings.ts (`text.sampling`).
import type { GenerationSettings } from '$lib/engine/types';

export type SamplingKey = Exclude<keyof GenerationSettings, 'enable_thinking'>;

export interface SamplingField {
	min: number;
	/** None: no upper bound beyond what the model allows. */
	max?: number;
	/** The spinner's step; typed values need not fall on it. */
	step: number;
	/** Whole numbers only. */
	integer: boolean;
}

export const SAMPLING_FIELDS: Record<SamplingKey, SamplingField> = {
	temperature: { min: 0, max: 2, step: 0.05, integer: false },
	top_p: { min: 0, max: 1, step: 0.01, integer: false },
	max_tokens: { min: 1, step: 1, integer: true },
	presence_penalty: { min: -2, max: 2, step: 0.1, integer: false },
	frequency_penalty: { min: -2, max: 2, step: 0.1, integer: false },
	// WebLLM takes a 32-bit seed.
	seed: { min: 0, max: 2 ** 31 - 1, step: 1, integer: true }
};

/** Every field, in the order forms show them. */
export const SAMPLING_KEYS = Object.keys(SAMPLING_FIELDS) as SamplingKey[];

/**
 * What the user typed into a field: a number in its range, 'empty' (use the default), or
 * 'invalid' (out of range, not a number, or a fraction where a whole number is needed), which
 * is not saved.
 */
export function parseSamplingValue(key: SamplingKey, raw: string): number | 'empty' | 'invalid' {
	if (raw.trim() === '') return 'empty';
	const value = Number(raw);
	const field = SAMPLING_FIELDS[key];
	if (!Number.isFinite(value) || value < field.min) return 'invalid';
	if (field.max !== undefined && value > field.max) return 'invalid';
	if (field.integer && !Number.isInteger(value)) return 'invalid';
	return value;
}
