// Numbers, sizes, durations, lists and dates follow the page's language (Intl), and messages read
// the active language's compiled module once it is set.
import { afterEach, describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatDate,
	formatDuration,
	formatList,
	formatNumber
} from '$lib/i18n/format';
import { state } from '$lib/i18n/state';
import type { Locale } from '$lib/i18n/locales';

const speak = (locale: Locale) => {
	state.locale = locale;
};

afterEach(() => speak('en'));

describe('formatting in the page language', () => {
	it('writes English by default', () => {
		expect(formatNumber(12345.5)).toBe('12,345.5');
		expect(formatBytes(1_234_567_890)).toBe('1.2 GB');
		// Below a kilobyte, the unit written out with its plural.
		expect([0, 1, 512].map(formatBytes)).toEqual(['0 bytes', '1 byte', '512 bytes']);
		expect(formatList(['A', 'B', 'C'])).toBe('A, B, and C');
	});

	it('writes German separators and words', () => {
		speak('de');
		expect(formatNumber(12345.5)).toBe('12.345,5');
		expect(formatBytes(1_234_567_890)).toBe('1,2\u00a0GB');
		expect(formatList(['A', 'B'])).toBe('A und B');
		expect(formatDuration(3900)).toMatch(/^1 Std\.,? 5 Min\.$/);
		expect(formatDate(Date.UTC(2026, 11, 3, 12))).toMatch(/03\.12\.2026/);
	});

	it('writes Persian digits', () => {
		speak('fa');
		expect(formatNumber(123)).toBe('۱۲۳');
	});
});
