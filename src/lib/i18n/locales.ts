// The languages Lantern speaks, and which of them a browser's preferences ask for. Pure: the page's
// startup (./language.ts) feeds it navigator.languages and the reader's own choice.

/** Every language with a messages/<locale>.json (the same list as project.inlang/settings.json). */
export const LOCALES = [
	'en',
	'zh-Hans',
	'zh-Hant',
	'es',
	'hi',
	'ar',
	'pt',
	'fr',
	'de',
	'ja',
	'ru',
	'ko',
	'id',
	'tr',
	'vi',
	'it',
	'pl',
	'uk',
	'fa',
	'he',
	'nl'
] as const;

export type Locale = (typeof LOCALES)[number];

export const BASE_LOCALE: Locale = 'en';

/** Languages written right to left: the page is mirrored for them (`<html dir="rtl">`). */
const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set<Locale>(['ar', 'fa', 'he']);

export const directionOf = (locale: Locale): 'ltr' | 'rtl' =>
	RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';

/** Each language's name in itself, as the language picker lists it. */
export const LOCALE_NAMES: Record<Locale, string> = {
	en: 'English',
	'zh-Hans': '简体中文',
	'zh-Hant': '繁體中文',
	es: 'Español',
	hi: 'हिन्दी',
	ar: 'العربية',
	pt: 'Português',
	fr: 'Français',
	de: 'Deutsch',
	ja: '日本語',
	ru: 'Русский',
	ko: '한국어',
	id: 'Bahasa Indonesia',
	tr: 'Türkçe',
	vi: 'Tiếng Việt',
	it: 'Italiano',
	pl: 'Polski',
	uk: 'Українська',
	fa: 'فارسی',
	he: 'עברית',
	nl: 'Nederlands'
};

export const isLocale = (value: unknown): value is Locale =>
	typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** Old or alternative language codes browsers still send. */
const ALIASES: Record<string, Locale> = { iw: 'he', in: 'id', zh: 'zh-Hans' };

/** Chinese regions that write traditional characters. */
const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * The language for one BCP 47 tag (`de-AT` -> `de`, `zh-TW` -> `zh-Hant`, `pt-BR` -> `pt`), or
 * null when Lantern does not speak it.
 */
export function matchLocale(tag: string): Locale | null {
	const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
	const [language] = parts;
	if (!language) return null;
	if (language === 'zh') {
		if (parts.includes('hant')) return 'zh-Hant';
		if (parts.includes('hans')) return 'zh-Hans';
		return parts.some((part) => TRADITIONAL_REGIONS.has(part)) ? 'zh-Hant' : 'zh-Hans';
	}
	if (isLocale(language)) return language;
	return ALIASES[language] ?? null;
}

/** The first of the browser's preferred languages that Lantern speaks; English when none. */
export function pickLocale(preferred: readonly string[]): Locale {
	for (const tag of preferred) {
		const locale = matchLocale(tag);
		if (locale) return locale;
	}
	return BASE_LOCALE;
}
