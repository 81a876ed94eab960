// The help sheet's wording, loaded with it when it is first opened (the button that opens it,
// and what a shortcut did, are `text.keyboard` in src/lib/strings.ts: the first page says those).
import * as m from '$lib/i18n/paraglide/m/keyboard.js';
import type { ShortcutId } from './shortcuts';

export const helpText = {
	get title() {
		return m.keyboard_help_title();
	},
	get close() {
		return m.keyboard_help_close();
	},
	get intro() {
		return m.keyboard_help_intro();
	},
	groups: {
		get app() {
			return m.keyboard_help_groups_app();
		},
		get chat() {
			return m.keyboard_help_groups_chat();
		}
	},
	get keysHeader() {
		return m.keyboard_help_keys_header();
	},
	get actionHeader() {
		return m.keyboard_help_action_header();
	},
	/** What each shortcut does: its line in the help sheet (and in README.md's table). */
	actions: {
		get help() {
			return m.keyboard_help_actions_help();
		},
		get openCompare() {
			return m.keyboard_help_actions_open_compare();
		},
		get newChat() {
			return m.keyboard_help_actions_new_chat();
		},
		get focusSearch() {
			return m.keyboard_help_actions_focus_search();
		},
		get nextConversation() {
			return m.keyboard_help_actions_next_conversation();
		},
		get previousConversation() {
			return m.keyboard_help_actions_previous_conversation();
		},
		get focusMessage() {
			return m.keyboard_help_actions_focus_message();
		},
		get copyLastAnswer() {
			return m.keyboard_help_actions_copy_last_answer();
		},
		get regenerate() {
			return m.keyboard_help_actions_regenerate();
		},
		get stop() {
			return m.keyboard_help_actions_stop();
		}
	} satisfies Record<ShortcutId, string>,
	/** Key names, as printed on keyboards outside macOS (macOS shows its symbols). */
	keys: {
		get alt() {
			return m.keyboard_help_keys_alt();
		},
		get ctrl() {
			return m.keyboard_help_keys_ctrl();
		},
		get escape() {
			return m.keyboard_help_keys_escape();
		},
		up: '↑',
		down: '↓'
	}
};
