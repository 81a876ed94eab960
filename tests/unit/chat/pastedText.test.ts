import { describe, expect, it } from 'vitest';
import { asTyped, withoutPasted } from '$lib/chat/pastedText';

describe('a pasted text taken out of the message box', () => {
	it('is removed from where it was pasted, leaving what was typed around it', () => {
		expect(withoutPasted('Read: LONG thanks', 'LONG', 6)).toBe('Read:  thanks');
	});

	it('is found again when the text before it changed meanwhile', () => {
		expect(withoutPasted('Please read: LONG', 'LONG', 6)).toBe('Please read: ');
	});

	it('leaves the box alone when the text is no longer in it', () => {
		expect(withoutPasted('rewritten', 'LONG', 0)).toBe('rewritten');
	});

	it('is compared with the line ends a text box keeps', () => {
		expect(asTyped('a\r\nb\rc\n')).toBe('a\nb\nc\n');
	});
});
