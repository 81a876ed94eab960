// The keyboard shortcuts at work: one window listener (the root layout's) matches key presses
// against the table in shortcuts.ts and calls the handler a page provides for it. The layout
// provides the app-wide ones (help, Compare); the chat page provides its own while it is shown
// (`provide`, used as an attachment), so a shortcut does nothing on a page that has no use for it.
// Whatever a shortcut did is said in a polite live region (`status`), for those who cannot see it.
import type { Attachment } from 'svelte/attachments';
import { matchShortcut, type Platform, type ShortcutId } from './shortcuts';

/** Runs a shortcut; returns false if there was nothing to do (the key is then left alone). */
export type ShortcutHandler = () => boolean | void | Promise<unknown>;
export type ShortcutHandlers = Partial<Record<ShortcutId, ShortcutHandler>>;

const NOT_TEXT = new Set([
	'button',
	'checkbox',
	'radio',
	'range',
	'color',
	'file',
	'submit',
	'reset'
]);

/** Where typing goes: the key is text there, not a shortcut (unless the shortcut says otherwise). */
export function isTextField(target: EventTarget | null): boolean {
	const element = target as (Partial<HTMLElement> & { type?: string }) | null;
	if (!element || typeof element.tagName !== 'string') return false;
	if (element.isContentEditable) return true;
	const tag = element.tagName.toUpperCase();
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	return tag === 'INPUT' && !NOT_TEXT.has(element.type ?? 'text');
}

export class Shortcuts {
	readonly platform: Platform;
	#helpOpen = $state(false);
	#status = $state('');
	/** Handlers by shortcut, the latest provider first (plain bookkeeping, not state). */
	#providers: ShortcutHandlers[] = [];

	constructor(platform: Platform) {
		this.platform = platform;
	}

	/** The list of shortcuts is open. */
	get helpOpen(): boolean {
		return this.#helpOpen;
	}

	/** What the last shortcut did, for a screen reader ('' when nothing to say). */
	get status(): string {
		return this.#status;
	}

	openHelp() {
		this.#helpOpen = true;
	}

	closeHelp() {
		this.#helpOpen = false;
	}

	/** Says what a shortcut did (read out politely by screen readers). */
	announce(message: string) {
		// The same words twice in a row must be read twice: clear first, then set.
		this.#status = '';
		queueMicrotask(() => (this.#status = message));
	}

	/** Adds handlers until the returned function is called. */
	add(handlers: ShortcutHandlers): () => void {
		this.#providers.unshift(handlers);
		return () => {
			this.#providers = this.#providers.filter((p) => p !== handlers);
		};
	}

	/** An attachment that provides `handlers` while its element is on the page. */
	provide(handlers: ShortcutHandlers): Attachment {
		return () => this.add(handlers);
	}

	/** The window's keydown listener. */
	readonly onkeydown = (event: KeyboardEvent): void => {
		// The list of shortcuts is a modal dialog: keys belong to it (Esc closes it).
		if (this.#helpOpen || event.defaultPrevented) return;
		const shortcut = matchShortcut(event, this.platform, isTextField(event.target));
		if (!shortcut) return;
		for (const handlers of this.#providers) {
			const handler = handlers[shortcut.id];
			if (!handler) continue;
			const result = handler();
			if (result === false) return;
			event.preventDefault();
			return;
		}
	};
}
