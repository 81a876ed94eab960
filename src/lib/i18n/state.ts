// The language this page speaks: set once at startup (./language.ts), before anything renders, and
// read by every message (paraglide/m/<group>.js) and number format (./format.ts). A change of language
// reloads the page, so nothing here needs to be reactive.
import type * as English from './paraglide/messages/en.js';
import { BASE_LOCALE, type Locale } from './locales';

export type Messages = typeof English;

export const state: {
	locale: Locale;
	/**
	 * The active language's compiled messages (those it has translated); null for English, which the
	 * generated modules hold themselves and fall back to.
	 */
	messages: Partial<Messages> | null;
} = { locale: BASE_LOCALE, messages: null };

/** The language the page speaks, as a BCP 47 tag for Intl and `<html lang>`. */
export const activeLocale = (): Locale => state.locale;
