import { describe, expect, it, vi } from 'vitest';
import {
	adjacentConversation,
	chatShortcuts,
	lastAnswer,
	type ChatKeyboardContext
} from '$lib/chat/keyboard';
import type { Conversation, Message } from '$lib/storage/types';
import { text } from '$lib/strings';

const message = (id: string, role: Message['role'], content = id): Message => ({
	id,
	conversationId: 'c',
	role,
	content,
	createdAt: 0,
	status: 'complete'
});
const conversation = (id: string): Conversation =>
	({ id, title: `Title ${id}` }) as unknown as Conversation;

describe('adjacentConversation', () => {
	const list = ['a', 'b', 'c'];
	it('goes down and up the list, without wrapping around', () => {
		expect(adjacentConversation(list, 'a', 1)).toBe('b');
		expect(adjacentConversation(list, 'b', -1)).toBe('a');
		expect(adjacentConversation(list, 'c', 1)).toBeNull();
		expect(adjacentConversation(list, 'a', -1)).toBeNull();
	});
	it('starts at the top from a new chat (or one the list does not show)', () => {
		expect(adjacentConversation(list, null, 1)).toBe('a');
		expect(adjacentConversation(list, 'x', 1)).toBe('a');
		expect(adjacentConversation(list, null, -1)).toBeNull();
		expect(adjacentConversation([], null, 1)).toBeNull();
	});
});

describe('lastAnswer', () => {
	it('is the last answer with text', () => {
		const messages = [message('1', 'user'), message('2', 'assistant'), message('3', 'user')];
		expect(lastAnswer(messages)?.id).toBe('2');
		expect(lastAnswer([...messages, message('4', 'assistant', '')])?.id).toBe('2');
		expect(lastAnswer([message('1', 'user')])).toBeNull();
	});
});

function context(overrides: Partial<ChatKeyboardContext> = {}) {
	const open = {
		messages: [message('q', 'user'), message('a', 'assistant', 'The answer')],
		generating: false,
		stop: vi.fn(),
		regenerate: vi.fn(async () => {})
	};
	const ctx = {
		conversation: () => open,
		canGenerate: () => true,
		listed: () => [conversation('x'), conversation('y')],
		activeId: () => 'x',
		open: vi.fn(async () => {}),
		newChat: vi.fn(async () => {}),
		focusSearch: vi.fn(async () => {}),
		focusMessage: vi.fn(() => true),
		writeClipboard: vi.fn(async () => {}),
		announce: vi.fn(),
		...overrides
	};
	return { ctx, open, keys: chatShortcuts(ctx) };
}

describe('chatShortcuts', () => {
	it('copies the last answer and says so', async () => {
		const { ctx, keys } = context();
		await keys.copyLastAnswer?.();
		expect(ctx.writeClipboard).toHaveBeenCalledWith('The answer');
		expect(ctx.announce).toHaveBeenCalledWith(text.keyboard.copied);
	});

	it('says when there is nothing to copy, or the clipboard refuses', async () => {
		const empty = context({ conversation: () => null });
		await empty.keys.copyLastAnswer?.();
		expect(empty.ctx.announce).toHaveBeenCalledWith(text.keyboard.nothingToCopy);
		const refused = context({ writeClipboard: async () => Promise.reject(new Error('denied')) });
		await refused.keys.copyLastAnswer?.();
		expect(refused.ctx.announce).toHaveBeenCalledWith(text.keyboard.copyFailed);
	});

	it('regenerates the last answer only when an answer can be asked for', async () => {
		const { open, keys } = context();
		await keys.regenerate?.();
		expect(open.regenerate).toHaveBeenCalledWith('a');
		const busy = context({ canGenerate: () => false });
		await busy.keys.regenerate?.();
		expect(busy.open.regenerate).not.toHaveBeenCalled();
		expect(busy.ctx.announce).toHaveBeenCalledWith(text.keyboard.cannotRegenerate);
	});

	it('stops an answer being written, and leaves Esc alone otherwise', () => {
		const idle = context();
		expect(idle.keys.stop?.()).toBe(false);
		expect(idle.open.stop).not.toHaveBeenCalled();
		const writing = context();
		writing.open.generating = true;
		expect(writing.keys.stop?.()).not.toBe(false);
		expect(writing.open.stop).toHaveBeenCalledOnce();
	});

	it('opens the next and previous conversation and names it', async () => {
		const { ctx, keys } = context();
		keys.nextConversation?.();
		expect(ctx.open).toHaveBeenCalledWith('y');
		await Promise.resolve();
		await Promise.resolve();
		expect(ctx.announce).toHaveBeenCalledWith(text.keyboard.opened('Title y'));
		keys.previousConversation?.();
		expect(ctx.open).toHaveBeenCalledTimes(1);
		expect(ctx.announce).toHaveBeenLastCalledWith(text.keyboard.noOther);
	});
});
