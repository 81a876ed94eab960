import { describe, expect, it, vi } from 'vitest';
import { isTextField, Shortcuts } from '$lib/keyboard/Shortcuts.svelte';
import { chordLabel } from '$lib/keyboard/labels';
import {
	ariaKeys,
	matchShortcut,
	platformOf,
	SHORTCUTS,
	type Chord,
	type KeyPress,
	type Platform
} from '$lib/keyboard/shortcuts';
import { helpText } from '$lib/keyboard/strings';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
	key,
	code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : key,
	altKey: false,
	ctrlKey: false,
	metaKey: false,
	shiftKey: false,
	repeat: false,
	isComposing: false,
	...mods
});

const id = (p: KeyPress, platform: Platform = 'other', inTextField = false) =>
	matchShortcut(p, platform, inTextField)?.id ?? null;

/**
 * Keys that browsers, operating systems and screen readers already use (see the header of
 * keyboard/shortcuts.ts): no shortcut may be one of them.
 */
const TAKEN: Record<Platform, Chord[]> = {
	other: [
		// Chrome, Edge, Firefox: Ctrl+letter and Ctrl+Shift+letter are theirs, Alt+F/E/D open menus
		// or the address bar, and Firefox's menus are Alt+F/E/V/S/B/T/H.
		...'abcdefghijklmnopqrstuvwxyz'.split('').map((key) => ({ key, ctrl: true })),
		...'fedvsbth'.split('').map((key) => ({ key, alt: true })),
		{ key: 'ArrowLeft', alt: true },
		{ key: 'ArrowRight', alt: true },
		{ key: 'Home', alt: true }
	],
	mac: [
		// ⌘letter is the browser's; ⌃⌘F/Q/D and ⌃⌘Space are macOS's.
		...'abcdefghijklmnopqrstuvwxyz'.split('').map((key) => ({ key, meta: true })),
		...'fqd'.split('').map((key) => ({ key, ctrl: true, meta: true })),
		{ key: ' ', ctrl: true, meta: true }
	]
};

describe('the shortcuts table', () => {
	it('has one line of help for each shortcut, and no two shortcuts share keys', () => {
		expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
		for (const s of SHORTCUTS) expect(helpText.actions[s.id]).toBeTruthy();
		for (const platform of ['mac', 'other'] as const) {
			const keys = SHORTCUTS.map((s) => JSON.stringify(s.keys[platform]));
			expect(new Set(keys).size).toBe(keys.length);
		}
	});

	it('takes no key that a browser, the system or a screen reader uses', () => {
		for (const platform of ['mac', 'other'] as const) {
			for (const s of SHORTCUTS) {
				const chord = s.keys[platform];
				const same = (t: Chord) =>
					t.key === chord.key &&
					!!t.alt === !!chord.alt &&
					!!t.ctrl === !!chord.ctrl &&
					!!t.meta === !!chord.meta;
				expect(TAKEN[platform].filter(same), `${s.id} on ${platform}`).toEqual([]);
				// AltGr (Ctrl+Alt) types characters on Windows; ⌥ types them on a Mac; ⌃⌥ is VoiceOver.
				expect(chord.ctrl && chord.alt, s.id).toBeFalsy();
				if (platform === 'mac') expect(chord.alt, s.id).toBeFalsy();
				// A letter alone would be typing, or a screen reader's browse-mode key.
				if (!chord.alt && !chord.ctrl && !chord.meta) expect(['?', 'Escape']).toContain(chord.key);
			}
		}
	});
});

describe('matchShortcut', () => {
	it('reads Alt+key outside macOS and ⌃⌘key on macOS', () => {
		expect(id(press('n', { altKey: true }))).toBe('newChat');
		expect(id(press('n', { ctrlKey: true, metaKey: true }), 'mac')).toBe('newChat');
		expect(id(press('k', { altKey: true }))).toBe('focusSearch');
		expect(id(press('ArrowDown', { altKey: true }))).toBe('nextConversation');
		expect(id(press('ArrowUp', { ctrlKey: true, metaKey: true }), 'mac')).toBe(
			'previousConversation'
		);
		expect(id(press('o', { altKey: true }))).toBe('openCompare');
	});

	it('leaves other modifiers alone: ⌥N is ñ on a Mac, Ctrl+Alt is AltGr, Shift is never part', () => {
		expect(id(press('n', { altKey: true }), 'mac')).toBeNull();
		expect(id(press('n', { altKey: true, ctrlKey: true }))).toBeNull();
		expect(id(press('N', { altKey: true, shiftKey: true }))).toBeNull();
		expect(id(press('n', { ctrlKey: true }))).toBeNull();
		expect(id(press('n'))).toBeNull();
	});

	it('finds the letter on any layout: by its character, or by its place on non-Latin ones', () => {
		// Russian layout: the key in N's place types т.
		expect(id(press('т', { code: 'KeyN', altKey: true }))).toBe('newChat');
		// AZERTY: the key in Q's place types A, and A is what counts.
		expect(id(press('c', { code: 'KeyQ', altKey: true }))).toBe('copyLastAnswer');
	});

	it('opens the help on ? outside text fields only, Esc stops everywhere', () => {
		expect(id(press('?', { shiftKey: true }))).toBe('help');
		expect(id(press('?', { shiftKey: true }), 'other', true)).toBeNull();
		expect(id(press('?', { metaKey: true, shiftKey: true }), 'mac')).toBeNull();
		expect(id(press('Escape'), 'other', true)).toBe('stop');
		expect(id(press('n', { altKey: true }), 'other', true)).toBe('newChat');
	});

	it('repeats only moving through the list, and ignores keys while composing text', () => {
		expect(id(press('ArrowDown', { altKey: true, repeat: true }))).toBe('nextConversation');
		expect(id(press('r', { altKey: true, repeat: true }))).toBeNull();
		expect(id(press('n', { altKey: true, isComposing: true }))).toBeNull();
	});
});

describe('labels', () => {
	const names = helpText.keys;
	it('names the keys per platform', () => {
		const newChat = SHORTCUTS.find((s) => s.id === 'newChat');
		expect(newChat && chordLabel(newChat.keys.other, 'other', names)).toEqual(['Alt', 'N']);
		expect(newChat && chordLabel(newChat.keys.mac, 'mac', names)).toEqual(['⌃', '⌘', 'N']);
		expect(chordLabel({ key: 'Escape' }, 'mac', names)).toEqual(['Esc']);
		expect(chordLabel({ key: 'ArrowUp', alt: true }, 'other', names)).toEqual(['Alt', '↑']);
		expect(ariaKeys({ key: 'o', ctrl: true, meta: true })).toBe('Control+Meta+O');
		expect(ariaKeys({ key: 'ArrowDown', alt: true })).toBe('Alt+ArrowDown');
	});

	it('tells macOS from the rest', () => {
		expect(platformOf({ userAgent: '', platform: 'MacIntel' })).toBe('mac');
		expect(platformOf({ userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' })).toBe('mac');
		expect(platformOf({ userAgent: '', platform: 'Win32' })).toBe('other');
		expect(platformOf({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', platform: '' })).toBe(
			'other'
		);
	});
});

describe('Shortcuts', () => {
	const event = (p: KeyPress, target: unknown = null) => {
		const e = { ...p, target, defaultPrevented: false, preventDefault: vi.fn() };
		return e as unknown as KeyboardEvent & { preventDefault: ReturnType<typeof vi.fn> };
	};

	it('calls the newest provider’s handler and keeps the key from the browser', () => {
		const shortcuts = new Shortcuts('other');
		const older = vi.fn();
		const newer = vi.fn();
		shortcuts.add({ newChat: older });
		const remove = shortcuts.add({ newChat: newer });
		const e = event(press('n', { altKey: true }));
		shortcuts.onkeydown(e);
		expect(newer).toHaveBeenCalledOnce();
		expect(older).not.toHaveBeenCalled();
		expect(e.preventDefault).toHaveBeenCalled();
		remove();
		shortcuts.onkeydown(event(press('n', { altKey: true })));
		expect(older).toHaveBeenCalledOnce();
	});

	it('leaves the key alone when the handler had nothing to do, or no page provides one', () => {
		const shortcuts = new Shortcuts('other');
		shortcuts.add({ stop: () => false });
		const esc = event(press('Escape'));
		shortcuts.onkeydown(esc);
		expect(esc.preventDefault).not.toHaveBeenCalled();
		const search = event(press('k', { altKey: true }));
		shortcuts.onkeydown(search);
		expect(search.preventDefault).not.toHaveBeenCalled();
	});

	it('hands every key to the help sheet while it is open, and knows text fields', () => {
		const shortcuts = new Shortcuts('other');
		const stop = vi.fn();
		shortcuts.add({ stop, help: () => shortcuts.openHelp() });
		shortcuts.onkeydown(event(press('?'), { tagName: 'BUTTON' }));
		expect(shortcuts.helpOpen).toBe(true);
		shortcuts.onkeydown(event(press('Escape')));
		expect(stop).not.toHaveBeenCalled();
		shortcuts.closeHelp();
		shortcuts.onkeydown(event(press('?'), { tagName: 'TEXTAREA' }));
		expect(shortcuts.helpOpen).toBe(false);

		expect(isTextField({ tagName: 'INPUT', type: 'search' } as unknown as EventTarget)).toBe(true);
		expect(isTextField({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(
			false
		);
		expect(isTextField({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(
			true
		);
		expect(isTextField(null)).toBe(false);
	});

	it('says what happened in its status, again when it happens again', async () => {
		const shortcuts = new Shortcuts('other');
		shortcuts.announce('Copied.');
		await Promise.resolve();
		expect(shortcuts.status).toBe('Copied.');
		shortcuts.announce('Copied.');
		expect(shortcuts.status).toBe('');
		await Promise.resolve();
		expect(shortcuts.status).toBe('Copied.');
	});
});
