import { describe, expect, it } from 'vitest';
import { SAMPLING_FIELDS, SAMPLING_KEYS, parseSamplingValue } from '$lib/sampling/fields';
import { text } from '$lib/strings';

describe('the sampling fields', () => {
	it('has a label for every field', () => {
		expect(SAMPLING_KEYS.length).toBeGreaterThan(0);
		for (const key of SAMPLING_KEYS) expect(text.sampling[key]).toMatch(/\w/);
	});

	it('takes a value in range, and "empty" for a cleared field', () => {
		expect(parseSamplingValue('temperature', '0.73')).toBe(0.73);
		expect(parseSamplingValue('temperature', '2')).toBe(2);
		expect(parseSamplingValue('presence_penalty', '-2')).toBe(-2);
		expect(parseSamplingValue('max_tokens', '4096')).toBe(4096);
		expect(parseSamplingValue('seed', '  ')).toBe('empty');
	});

	it('refuses what the engine would not take', () => {
		expect(parseSamplingValue('temperature', '2.01')).toBe('invalid');
		expect(parseSamplingValue('top_p', '-0.1')).toBe('invalid');
		expect(parseSamplingValue('max_tokens', '0')).toBe('invalid');
		expect(parseSamplingValue('max_tokens', '12.5')).toBe('invalid');
		expect(parseSamplingValue('seed', String(SAMPLING_FIELDS.seed.max ?? 0) + '0')).toBe('invalid');
		expect(parseSamplingValue('temperature', 'warm')).toBe('invalid');
	});
});
