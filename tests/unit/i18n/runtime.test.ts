// The strings modules read the active language's messages on every access, so a language loaded at
// startup (before anything renders) is what every sentence, plural and number uses.
import { afterEach, describe, expect, it } from 'vitest';
import { state, type Messages } from '$lib/i18n/state';
import { text } from '$lib/strings';
import { libraryText } from '$lib/models/strings';

afterEach(() => {
	state.messages = null;
	state.locale = 'en';
});

describe('the strings modules', () => {
	it('speak English before a language is loaded, with plurals', () => {
		expect(text.chat.send).toBe('Send');
		expect(text.chat.dropped(1)).toMatch(/^1 older message was left out/);
		expect(text.chat.dropped(3)).toMatch(/^3 older messages were left out/);
		expect(libraryText.tokens(4096)).toBe('4,096 tokens');
	});

	it('speak the loaded language, and fall back to English for what it lacks', async () => {
		const english = await import('$lib/i18n/paraglide/messages/en.js');
		state.locale = 'de';
		state.messages = {
			...english,
			chat_send: () => 'Senden'
		} as unknown as Messages;
		expect(text.chat.send).toBe('Senden');
		expect(text.chat.stop).toBe('Stop');
	});

	it('choose the plural form by the language’s rules', async () => {
		const { library_tokens } = await import('$lib/i18n/paraglide/messages/en.js');
		state.locale = 'ru';
		state.messages = {
			library_tokens: (inputs: { count: number }) =>
				`${library_tokens(inputs)} (${new Intl.PluralRules('ru').select(inputs.count)})`
		} as unknown as Messages;
		expect(libraryText.tokens(3)).toBe('3 tokens (few)');
	});
});
