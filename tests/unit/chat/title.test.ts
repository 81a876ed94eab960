import { afterEach, describe, expect, it } from 'vitest';
import { TITLE_MAX_LENGTH, hasVisibleText, shownTitle, titleFrom } from '$lib/chat/title';
import { state, type Messages } from '$lib/i18n/state';
import { DEFAULT_TITLE } from '$lib/storage/types';

describe('titleFrom', () => {
	it('takes the first non-empty line, trimmed and collapsed', () => {
		expect(titleFrom('\n\n   How do   I bake bread?  \nMore details')).toBe('How do I bake bread?');
	});

	it('returns short text unchanged and blank text as empty', () => {
		expect(titleFrom('Hi')).toBe('Hi');
		expect(titleFrom('  \n\t ')).toBe('');
	});

	it('cuts long text on a word boundary with an ellipsis', () => {
		const title = titleFrom(
			'Please explain the difference between optimistic and pessimistic locking in databases'
		);
		expect(title).toBe('Please explain the difference between…');
		expect(title.length).toBeLessThanOrEqual(TITLE_MAX_LENGTH);
	});

	it('cuts inside a word when there is no space near the end', () => {
		const title = titleFrom('x'.repeat(100));
		expect(title).toBe('x'.repeat(47) + '…');
	});

	it('does not end with punctuation before the ellipsis', () => {
		expect(titleFrom('aaaa bbbb cccc dddd eeee ffff gggg hhhh, iiii jjjj kkkk', 45)).toBe(
			'aaaa bbbb cccc dddd eeee ffff gggg hhhh…'
		);
	});

	it('drops Markdown line markers', () => {
		expect(titleFrom('## Summarise this')).toBe('Summarise this');
		expect(titleFrom('> quoted question')).toBe('quoted question');
		expect(titleFrom('1. first step')).toBe('first step');
	});

	it('does not split surrogate pairs', () => {
		const title = titleFrom('😀'.repeat(60));
		expect(Array.from(title)).toHaveLength(TITLE_MAX_LENGTH);
		expect(title.endsWith('😀…')).toBe(true);
	});
});

describe('titles in any script', () => {
	it('keeps emoji, Arabic and Hebrew exactly', () => {
		expect(titleFrom('👩🏽‍⚕️ مرحبا بالعالم')).toBe('👩🏽‍⚕️ مرحبا بالعالم');
		expect(titleFrom('שלום, עולם')).toBe('שלום, עולם');
	});

	it('never cuts an emoji sequence in half', () => {
		const title = titleFrom('👩🏽‍⚕️'.repeat(60));
		expect(title).toBe('👩🏽‍⚕️'.repeat(47) + '…');
	});

	it('is empty when the text shows nothing: zero-width, bidi controls, whitespace', () => {
		expect(titleFrom('\u200B\u200C\u200D\u2060\uFEFF')).toBe('');
		expect(titleFrom('\u202E \u200B\n\u00A0\u3000\t')).toBe('');
		expect(hasVisibleText('\u200B\u202E')).toBe(false);
		expect(hasVisibleText('\u200Bx')).toBe(true);
	});

	it('skips invisible lines and takes the first line that shows something', () => {
		expect(titleFrom('\u200B\u200B\nשלום')).toBe('שלום');
	});

	it('gives a short title for a 1 MB message', () => {
		const title = titleFrom(`Please review this log:\n${'INFO served '.repeat(100_000)}`);
		expect(title).toBe('Please review this log:');
		expect(titleFrom('word '.repeat(200_000))).toBe(`${'word '.repeat(9).trim()}…`);
	});
});

describe('shownTitle', () => {
	afterEach(() => {
		state.messages = null;
		state.locale = 'en';
	});

	it('shows a conversation not named yet in the reader’s language, and any other title as it is', async () => {
		expect(shownTitle(DEFAULT_TITLE)).toBe('New conversation');
		state.locale = 'de';
		state.messages = (await import('$lib/i18n/paraglide/messages/de.js')) as unknown as Messages;
		expect(shownTitle(DEFAULT_TITLE)).not.toBe(DEFAULT_TITLE);
		expect(shownTitle('Reiseplanung')).toBe('Reiseplanung');
	});
});
