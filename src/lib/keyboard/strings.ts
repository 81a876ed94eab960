// The help sheet's wording, loaded with it when it is first opened (the button that opens it,
// and what a shortcut did, are `text.keyboard` in src/lib/strings.ts: the first page says those).
import type { ShortcutId } from './shortcuts';

export const helpText = {
	title: 'Keyboard shortcuts',
	close: 'Close',
	intro: 'Enter sends a message and Shift+Enter adds a line. Esc closes this list.',
	groups: { app: 'Anywhere in Lantern', chat: 'On the Chat page' },
	keysHeader: 'Keys',
	actionHeader: 'What it does',
	/** What each shortcut does: its line in the help sheet (and in README.md's table). */
	actions: {
		help: 'Show this list of shortcuts (outside a text field)',
		openCompare: 'Open Compare',
		newChat: 'Start a new chat',
		focusSearch: 'Search conversations',
		nextConversation: 'Open the next conversation in the list',
		previousConversation: 'Open the previous conversation in the list',
		focusMessage: 'Put the cursor in the message box',
		copyLastAnswer: 'Copy the last answer',
		regenerate: 'Write the last answer again',
		stop: 'Stop the answer being written'
	} satisfies Record<ShortcutId, string>,
	/** Key names, as printed on keyboards outside macOS (macOS shows its symbols). */
	keys: { alt: 'Alt', ctrl: 'Ctrl', escape: 'Esc', up: '↑', down: '↓' }
};
