// How the help sheet names a shortcut's keys, per platform (loaded with the help sheet only).
import type { Chord, Platform } from './shortcuts';

/** Key names as shown to a user: `helpText.keys` in keyboard/strings.ts. */
export interface KeyNames {
	alt: string;
	ctrl: string;
	escape: string;
	up: string;
	down: string;
}

/** The keys to press, one label per key: ['Alt', 'N'], ['⌃', '⌘', 'N'], ['?']. */
export function chordLabel(chord: Chord, platform: Platform, names: KeyNames): string[] {
	const mac = platform === 'mac';
	const parts: string[] = [];
	if (chord.ctrl) parts.push(mac ? '⌃' : names.ctrl);
	if (chord.alt) parts.push(mac ? '⌥' : names.alt);
	if (chord.meta) parts.push('⌘');
	const key = chord.key;
	const special: Record<string, string> = {
		Escape: names.escape,
		ArrowUp: names.up,
		ArrowDown: names.down
	};
	parts.push(special[key] ?? (key.length === 1 ? key.toUpperCase() : key));
	return parts;
}
