// What the keyboard shortcuts do on the Chat page (the keys are in keyboard/shortcuts.ts). Plain
// functions over what ChatPanel hands in, so that they can be tested without a page.
import type { ShortcutHandlers } from '$lib/keyboard/Shortcuts.svelte';
import type { Conversation, Message } from '$lib/storage/types';
import { text } from '$lib/strings';
import { shownTitle } from './title';

/**
 * The conversation `step` places away from `activeId` in `list` (as the sidebar shows it, newest
 * first: +1 goes down the list, -1 up). From a new chat, which is not in the list, going down
 * starts at the top. Null past either end: the list does not wrap around.
 */
export function adjacentConversation(
	list: readonly string[],
	activeId: string | null,
	step: 1 | -1
): string | null {
	const at = activeId === null ? -1 : list.indexOf(activeId);
	if (at < 0) return step === 1 ? (list[0] ?? null) : null;
	return list[at + step] ?? null;
}

/** The last answer that has text: what "copy the last answer" copies. */
export function lastAnswer(messages: readonly Message[]): Message | null {
	return messages.findLast((m) => m.role === 'assistant' && m.content.length > 0) ?? null;
}

export interface ChatKeyboardContext {
	/** The open conversation's messages, and whether it is writing an answer now. */
	conversation: () => {
		messages: readonly Message[];
		generating: boolean;
		stop(): void;
		regenerate(id: string): Promise<void>;
	} | null;
	/** An answer can be asked for now (a model is loaded, nothing else is being written). */
	canGenerate: () => boolean;
	/** The conversations as the sidebar lists them now (search results while searching). */
	listed: () => readonly Conversation[];
	activeId: () => string | null;
	open: (id: string) => Promise<void>;
	newChat: () => Promise<void>;
	focusSearch: () => Promise<void>;
	/** Puts the cursor in the message box; false if there is none. */
	focusMessage: () => boolean;
	writeClipboard: (text: string) => Promise<void>;
	/** Says what happened, for screen readers. */
	announce: (message: string) => void;
}

export function chatShortcuts(ctx: ChatKeyboardContext): ShortcutHandlers {
	const openAdjacent = (step: 1 | -1) => {
		const listed = ctx.listed();
		const id = adjacentConversation(
			listed.map((c) => c.id),
			ctx.activeId(),
			step
		);
		const target = listed.find((c) => c.id === id);
		if (!target) {
			ctx.announce(text.keyboard.noOther);
			return;
		}
		void ctx
			.open(target.id)
			.then(() => ctx.announce(text.keyboard.opened(shownTitle(target.title))));
	};
	return {
		newChat: () => ctx.newChat(),
		focusSearch: () => ctx.focusSearch(),
		nextConversation: () => openAdjacent(1),
		previousConversation: () => openAdjacent(-1),
		focusMessage: () => ctx.focusMessage(),
		copyLastAnswer: () => {
			const answer = lastAnswer(ctx.conversation()?.messages ?? []);
			if (!answer) return ctx.announce(text.keyboard.nothingToCopy);
			return ctx.writeClipboard(answer.content).then(
				() => ctx.announce(text.keyboard.copied),
				() => ctx.announce(text.keyboard.copyFailed)
			);
		},
		regenerate: () => {
			// The answer whose Regenerate button this presses: the last one.
			const conversation = ctx.conversation();
			const last = conversation?.messages.findLast((m) => m.role === 'assistant');
			if (!conversation || !last || !ctx.canGenerate())
				return ctx.announce(text.keyboard.cannotRegenerate);
			return conversation.regenerate(last.id);
		},
		// Esc stops an answer; with none being written it is left to whatever else uses it.
		stop: () => {
			const conversation = ctx.conversation();
			if (!conversation?.generating) return false;
			conversation.stop();
		}
	};
}
