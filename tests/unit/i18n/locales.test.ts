// Which language a browser's preferences select, and the list's agreement with the inlang project.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALE_NAMES, LOCALES, directionOf, matchLocale, pickLocale } from '$lib/i18n/locales';

describe('matchLocale', () => {
	it.each([
		['de', 'de'],
		['de-AT', 'de'],
		['pt-BR', 'pt'],
		['pt-PT', 'pt'],
		['es-419', 'es'],
		['zh', 'zh-Hans'],
		['zh-CN', 'zh-Hans'],
		['zh-SG', 'zh-Hans'],
		['zh-Hans-HK', 'zh-Hans'],
		['zh-TW', 'zh-Hant'],
		['zh-HK', 'zh-Hant'],
		['zh-MO', 'zh-Hant'],
		['zh-Hant', 'zh-Hant'],
		['iw', 'he'],
		['in', 'id'],
		['FA-ir', 'fa'],
		['en_GB', 'en']
	])('%s -> %s', (tag, locale) => {
		expect(matchLocale(tag)).toBe(locale);
	});

	it('says null for a language Lantern does not speak', () => {
		expect(matchLocale('sw-KE')).toBeNull();
		expect(matchLocale('')).toBeNull();
	});
});

describe('pickLocale', () => {
	it('takes the first preferred language Lantern speaks', () => {
		expect(pickLocale(['sw', 'nb-NO', 'fr-CA', 'de'])).toBe('fr');
	});

	it('falls back to English', () => {
		expect(pickLocale(['sw', 'am'])).toBe('en');
		expect(pickLocale([])).toBe('en');
	});
});

describe('the language list', () => {
	it('matches project.inlang/settings.json, with a name for each', () => {
		const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8'));
		expect([...LOCALES]).toEqual(settings.locales);
		expect(Object.keys(LOCALE_NAMES).sort()).toEqual([...LOCALES].sort());
		expect(LOCALES.length).toBeGreaterThanOrEqual(21);
	});

	it('mirrors Arabic, Persian and Hebrew only', () => {
		expect(LOCALES.filter((locale) => directionOf(locale) === 'rtl')).toEqual(['ar', 'fa', 'he']);
	});
});
