// Lantern's keyboard shortcuts: one table and a matcher, pure (no DOM, no state). Shortcuts.svelte.ts
// dispatches what this matches; ShortcutHelp.svelte lists the table (labels.ts names the keys);
// README.md has it too.
//
// Why these keys. Every Ctrl+Shift+letter (⌘⇧letter on a Mac) is already taken by some browser
// a Lantern user may run: Chrome and Edge (Ctrl+Shift+A/B/C/D/I/J/M/N/O/R/T/V/W, Edge also
// E/K/L/P/S/U/Y), Firefox (A/B/C/D/E/H/I/J/K/M/P/S/X/Y), Safari and Chrome on macOS
// (⌘⇧D/F/H/L/R/\, ⌘⇧[ ] switch tabs, ⌘⇧3-6 take screenshots, ⌘⇧? opens Help), Linux's input
// methods (Ctrl+Shift+U types a code point); Ctrl+letter and ⌘letter are the browsers' own
// (Ctrl+K/E/L search, Ctrl+N/T/W windows and tabs, ...). Ctrl+Alt is AltGr on Windows, which
// types ą, €, @ ... on many layouts; Alt+Shift switches the keyboard layout on Windows; Option
// (⌥) + letter types characters on a Mac (⌥N starts ñ), and Ctrl+letter in a Mac text field moves
// the caret (Emacs keys: ⌃A/E/N/P/K...). Screen readers take Insert or CapsLock + keys (NVDA,
// JAWS, Narrator), Ctrl+Option (VoiceOver), and single letters in browse mode (H for headings,
// K for links...), so no shortcut is a single letter.
//
// What is left, and used here:
// - Windows, Linux, ChromeOS: Alt + a letter that opens no browser menu (Firefox's English menus
//   take Alt+F/E/V/S/B/T/H, Chrome's and Edge's Alt+F/E/D), and Alt+↑/↓ for the next and previous
//   conversation, the convention of Slack, Discord and Teams. Neither Windows, GNOME, KDE, NVDA,
//   JAWS nor Narrator binds them. (Firefox in another language names its menus with other
//   letters; a key press the page handles, as these are, does not open them.)
// - macOS: ⌃⌘ (Control+Command) + the same key. macOS binds only ⌃⌘F (full screen), ⌃⌘Q (lock
//   screen), ⌃⌘D (look up) and ⌃⌘Space (emoji) of these; VoiceOver is ⌃⌥.
// - Esc stops an answer (as it always has), and `?` opens the list of shortcuts outside text
//   fields only: no browser or screen reader binds `?`, and in a text field it is a question mark.
// Shift is never part of a shortcut, so none is a layout switch, and with Shift held the key
// is left alone (Alt+Shift+N is not Alt+N).

/** What a shortcut does; the wording is `helpText.actions` in keyboard/strings.ts. */
export type ShortcutId =
	| 'help'
	| 'openCompare'
	| 'newChat'
	| 'focusSearch'
	| 'nextConversation'
	| 'previousConversation'
	| 'focusMessage'
	| 'copyLastAnswer'
	| 'regenerate'
	| 'stop';

export type Platform = 'mac' | 'other';

/** A key and its modifiers. `key` is a lower-case letter, or a KeyboardEvent key name. */
export interface Chord {
	key: string;
	alt?: boolean;
	ctrl?: boolean;
	meta?: boolean;
}

export interface Shortcut {
	id: ShortcutId;
	/** Where it works: anywhere in Lantern, or on the Chat page. */
	scope: 'app' | 'chat';
	/** The keys on a Mac, and everywhere else. */
	keys: Record<Platform, Chord>;
	/** It also works while typing in a text field (it cannot be text there). */
	inTextFields: boolean;
	/** Holding the keys down repeats it. */
	repeats?: boolean;
}

/** Alt + key elsewhere, ⌃⌘ + key on a Mac. */
const app = (key: string): Record<Platform, Chord> => ({
	mac: { key, ctrl: true, meta: true },
	other: { key, alt: true }
});
const plain = (key: string): Record<Platform, Chord> => ({ mac: { key }, other: { key } });

/** Every shortcut, in the order the help lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
	{ id: 'help', scope: 'app', keys: plain('?'), inTextFields: false },
	{ id: 'openCompare', scope: 'app', keys: app('o'), inTextFields: true },
	{ id: 'newChat', scope: 'chat', keys: app('n'), inTextFields: true },
	{ id: 'focusSearch', scope: 'chat', keys: app('k'), inTextFields: true },
	{
		id: 'nextConversation',
		scope: 'chat',
		keys: app('ArrowDown'),
		inTextFields: true,
		repeats: true
	},
	{
		id: 'previousConversation',
		scope: 'chat',
		keys: app('ArrowUp'),
		inTextFields: true,
		repeats: true
	},
	{ id: 'focusMessage', scope: 'chat', keys: app('m'), inTextFields: true },
	{ id: 'copyLastAnswer', scope: 'chat', keys: app('c'), inTextFields: true },
	{ id: 'regenerate', scope: 'chat', keys: app('r'), inTextFields: true },
	{ id: 'stop', scope: 'chat', keys: plain('Escape'), inTextFields: true }
];

/** The parts of a KeyboardEvent the matcher reads. */
export interface KeyPress {
	key: string;
	code: string;
	altKey: boolean;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	repeat: boolean;
	isComposing: boolean;
}

/**
 * The letter a key press means: `key` on Latin layouts (so AZERTY's A is A), the key's position
 * (`code`) on others (Cyrillic, Greek...), where `key` is not a Latin letter.
 */
function pressedKey({ key, code }: KeyPress): string {
	if (/^[a-z]$/i.test(key)) return key.toLowerCase();
	const letter = /^Key([A-Z])$/.exec(code)?.[1];
	return letter ? letter.toLowerCase() : key;
}

function matches(chord: Chord, press: KeyPress): boolean {
	if (chord.key === '?') return press.key === '?' && !press.metaKey;
	return (
		pressedKey(press) === chord.key &&
		press.altKey === (chord.alt ?? false) &&
		press.ctrlKey === (chord.ctrl ?? false) &&
		press.metaKey === (chord.meta ?? false) &&
		!press.shiftKey
	);
}

/** The shortcut a key press is, or null. `inTextField`: the focus is where text is typed. */
export function matchShortcut(
	press: KeyPress,
	platform: Platform,
	inTextField: boolean
): Shortcut | null {
	if (press.isComposing) return null;
	for (const shortcut of SHORTCUTS) {
		if (!matches(shortcut.keys[platform], press)) continue;
		if (inTextField && !shortcut.inTextFields) return null;
		if (press.repeat && !shortcut.repeats) return null;
		return shortcut;
	}
	return null;
}

/** macOS (and iPadOS with a keyboard) names its keys differently and uses ⌘ where others use Ctrl. */
export function platformOf(nav: { userAgent: string; platform?: string }): Platform {
	return /Mac|iPhone|iPad/.test(nav.platform || nav.userAgent) ? 'mac' : 'other';
}

/** The value of `aria-keyshortcuts` for a chord (ARIA names its modifiers Alt, Control, Meta). */
export function ariaKeys(chord: Chord): string {
	const parts = [
		...(chord.ctrl ? ['Control'] : []),
		...(chord.alt ? ['Alt'] : []),
		...(chord.meta ? ['Meta'] : [])
	];
	return [...parts, chord.key.length === 1 ? chord.key.toUpperCase() : chord.key].join('+');
}
