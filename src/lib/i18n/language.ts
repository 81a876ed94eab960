// Which language the page speaks: the reader's choice (kept on this device, in localStorage) or
// else the browser's preferred languages; English when Lantern does not speak any of them. Chosen
// once, before the app renders (src/hooks.client.ts): a language's messages are one module,
// downloaded only for its readers. Choosing another language reloads the page.
import { BASE_LOCALE, directionOf, isLocale, pickLocale, type Locale } from './locales';
import { state, type Messages } from './state';

const STORAGE_KEY = 'lantern.language';

// One chunk per language (English is compiled into the modules that use it).
const modules = import.meta.glob<Partial<Messages>>([
	'./paraglide/messages/*.js',
	'!./paraglide/messages/en.js'
]);

/** The language the reader picked in the app, or null to follow the browser. */
export function chosenLocale(): Locale | null {
	try {
		const value = localStorage.getItem(STORAGE_KEY);
		return isLocale(value) ? value : null;
	} catch {
		// Storage can be blocked (some private windows): follow the browser.
		return null;
	}
}

/** The browser's own preference, as Lantern would follow it. */
export const browserLocale = (): Locale => pickLocale(navigator.languages ?? [navigator.language]);

/** Keeps the reader's choice (null: follow the browser) and reloads the page in that language. */
export function chooseLocale(locale: Locale | null): void {
	try {
		if (locale === null) localStorage.removeItem(STORAGE_KEY);
		else localStorage.setItem(STORAGE_KEY, locale);
	} catch {
		// Without storage the choice cannot outlive the reload; the browser's language stays.
	}
	location.reload();
}

/**
 * Loads the page's language and marks the document with it (`lang`, and `dir` so that right-to-left
 * languages mirror the layout). Falls back to English if the language's module cannot be loaded.
 */
export async function startLanguage(): Promise<Locale> {
	let locale = chosenLocale() ?? browserLocale();
	if (locale !== BASE_LOCALE) {
		const load = modules[`./paraglide/messages/${locale}.js`];
		try {
			if (!load) throw new Error(`No messages for ${locale}`);
			state.messages = await load();
		} catch {
			locale = BASE_LOCALE;
		}
	}
	state.locale = locale;
	document.documentElement.lang = locale;
	document.documentElement.dir = directionOf(locale);
	return locale;
}
