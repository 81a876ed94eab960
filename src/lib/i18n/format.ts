// Numbers, sizes, durations, lists and dates in the page's language, through the browser's Intl
// (digits, separators, unit names and word order differ by language). The language is fixed for the
// life of the page (./state.ts), so each formatter is made once.
import { activeLocale } from './state';

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
	const key = `${activeLocale()} ${JSON.stringify(options)}`;
	let format = formatters.get(key);
	if (!format) {
		format = new Intl.NumberFormat(activeLocale(), options);
		formatters.set(key, format);
	}
	return format;
}

/** 12345 -> "12,345" (en), "12.345" (de), "۱۲٬۳۴۵" (fa). */
export const formatNumber = (n: number, options: Intl.NumberFormatOptions = {}): string =>
	numberFormat(options).format(n);

type Unit = 'byte' | 'kilobyte' | 'megabyte' | 'gigabyte' | 'terabyte' | 'millisecond' | 'second';

/** A number with its unit, in the language's short form: "1.2 GB", "120 ms", "1,5 Sek.". */
export const formatUnit = (value: number, unit: Unit, fractionDigits = 0): string =>
	numberFormat({
		style: 'unit',
		unit,
		unitDisplay: 'short',
		minimumFractionDigits: fractionDigits,
		maximumFractionDigits: fractionDigits
	}).format(value);

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * 1234567890 -> "1.2 GB"; 697000000 -> "697 MB"; one decimal below 10 units, none above. Decimal
 * units (1 GB = 10^9 bytes), as Hugging Face and most download dialogs use.
 */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '–';
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
		value /= 1000;
		unit++;
	}
	// 999.96 MB must not print as "1000 MB".
	if (unit < BYTE_UNITS.length - 1 && Math.round(value) >= 1000) {
		value /= 1000;
		unit++;
	}
	// Below a kilobyte the unit is written out, with its plural ("0 bytes", not "0 byte").
	if (unit === 0) {
		const long: Intl.NumberFormatOptions = {
			style: 'unit',
			unit: 'byte',
			unitDisplay: 'long',
			maximumFractionDigits: 0
		};
		return numberFormat(long).format(value);
	}
	const digits = value >= 10 ? 0 : 1;
	return formatUnit(value, BYTE_UNITS[unit] ?? 'terabyte', digits);
}

/** Seconds -> "45 sec", "12 min", "1 hr 5 min"; "–" when unknown. */
export function formatDuration(seconds: number | null): string {
	if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '–';
	const part = (value: number, unit: 'second' | 'minute' | 'hour') =>
		numberFormat({ style: 'unit', unit, unitDisplay: 'short' }).format(value);
	if (seconds < 60) return part(Math.ceil(seconds), 'second');
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return part(minutes, 'minute');
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return rest === 0
		? part(hours, 'hour')
		: formatList([part(hours, 'hour'), part(rest, 'minute')], 'unit');
}

/** ["a", "b", "c"] -> "a, b and c" (or "a, b, c" for `unit`), in the page's language. */
export const formatList = (
	items: readonly string[],
	type: 'conjunction' | 'unit' = 'conjunction'
): string =>
	new Intl.ListFormat(activeLocale(), { type, style: type === 'unit' ? 'narrow' : 'long' }).format(
		items
	);

/** A moment, as date and time: "Dec 3, 2026, 5:00 PM", "03.12.2026, 17:00". */
export const formatDate = (at: number | Date): string =>
	new Intl.DateTimeFormat(activeLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(at);

/** A moment this year, short, for a name: "Dec 3, 8:14 PM", "3. Dez., 20:14". */
export const formatDayTime = (at: number | Date): string =>
	new Intl.DateTimeFormat(activeLocale(), {
		day: 'numeric',
		month: 'short',
		hour: 'numeric',
		minute: '2-digit'
	}).format(at);
