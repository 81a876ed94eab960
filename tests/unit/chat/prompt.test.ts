import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '$lib/engine/types';
import {
	MESSAGE_OVERHEAD_TOKENS,
	buildPrompt,
	contextUsage,
	estimateTokens,
	historyTurns,
	modelThatFits,
	tooLong
} from '$lib/chat/prompt';
import type { Message } from '$lib/storage/types';

let seq = 0;
function msg(role: Message['role'], content: string, extra: Partial<Message> = {}): Message {
	seq++;
	return {
		id: `m${seq}`,
		conversationId: 'c',
		role,
		content,
		createdAt: seq,
		status: 'complete',
		...extra
	};
}

/** One token per character makes budgets easy to reason about. */
const perChar = (text: string) => text.length;
const cost = (text: string) => text.length + MESSAGE_OVERHEAD_TOKENS;

describe('estimateTokens', () => {
	it('counts about four characters a token, rounding up', () => {
		expect(estimateTokens('')).toBe(0);
		expect(estimateTokens('abcd')).toBe(1);
		expect(estimateTokens('abcde')).toBe(2);
	});
});

describe('historyTurns', () => {
	it('keeps user and assistant turns, strips reasoning, skips errors', () => {
		expect(
			historyTurns([
				msg('user', 'Hi'),
				msg('assistant', 'Hello!', { reasoning: 'greet back' }),
				msg('user', 'Tell me a joke'),
				msg('assistant', '<think>hmm</think>Why did the chicken', { status: 'interrupted' }),
				msg('user', 'Go on'),
				msg('assistant', '', { status: 'error', errorCode: 'device-lost' })
			])
		).toEqual([
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: 'Tell me a joke' },
			{ role: 'assistant', content: 'Why did the chicken' },
			{ role: 'user', content: 'Go on' }
		]);
	});

	it('merges consecutive user turns left by a failed answer', () => {
		expect(
			historyTurns([
				msg('user', 'First question'),
				msg('assistant', 'partial', { status: 'error' }),
				msg('user', 'Second question')
			])
		).toEqual([{ role: 'user', content: 'First question\n\nSecond question' }]);
	});

	it('skips empty answers and stored system messages', () => {
		expect(
			historyTurns([
				msg('system', 'old prompt'),
				msg('user', 'Q'),
				msg('assistant', '', { status: 'streaming' })
			])
		).toEqual([{ role: 'user', content: 'Q' }]);
	});

	it('sends images only to vision models', () => {
		const withImage = msg('user', 'What is this?', { images: ['data:image/jpeg;base64,AAAA'] });
		expect(historyTurns([withImage])).toEqual([{ role: 'user', content: 'What is this?' }]);
		expect(historyTurns([withImage], { vision: true })).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
					{ type: 'text', text: 'What is this?' }
				]
			}
		]);
	});
});

describe('buildPrompt', () => {
	const conversation = [
		msg('user', 'aaaaaaaaaa'), // 10 chars
		msg('assistant', 'bbbbbbbbbb'),
		msg('user', 'cccccccccc'),
		msg('assistant', 'dddddddddd'),
		msg('user', 'eeeeeeeeee')
	];

	it('puts the system prompt first and keeps everything that fits', () => {
		const prompt = buildPrompt(
			{ systemPrompt: 'Be kind.', messages: conversation },
			{ contextWindow: 4096, maxTokens: 1024 }
		);
		expect(prompt.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
		expect(prompt.messages).toHaveLength(6);
		expect(prompt).toMatchObject({ dropped: 0, overflow: false });
	});

	it('leaves out a blank system prompt', () => {
		const prompt = buildPrompt(
			{ systemPrompt: '  ', messages: conversation },
			{ contextWindow: 4096, maxTokens: 0 }
		);
		expect(prompt.messages[0]?.role).toBe('user');
	});

	it('drops the oldest turns, whole exchanges, to fit the window minus max_tokens', () => {
		const system = 'sys';
		// Room for the system prompt and three turns: the oldest exchange goes.
		const limit = cost(system) + 3 * cost('x'.repeat(10));
		const prompt = buildPrompt(
			{ systemPrompt: system, messages: conversation },
			{ contextWindow: limit + 100, maxTokens: 100, estimate: perChar }
		);
		expect(prompt.dropped).toBe(2);
		expect(prompt.messages.map((m) => m.content)).toEqual([
			'sys',
			'cccccccccc',
			'dddddddddd',
			'eeeeeeeeee'
		]);
		expect(prompt.tokens).toBe(limit);
		expect(prompt.overflow).toBe(false);
	});

	it('never starts the history with an answer', () => {
		// Room for two turns: dropping only the first user turn would leave an orphan answer.
		const limit = 2 * cost('x'.repeat(10)) + 5;
		const prompt = buildPrompt(
			{ systemPrompt: '', messages: conversation.slice(0, 3) },
			{ contextWindow: limit, maxTokens: 0, estimate: perChar }
		);
		expect(prompt.messages).toEqual([{ role: 'user', content: 'cccccccccc' }]);
		expect(prompt.dropped).toBe(2);
	});

	it('keeps the system prompt and the latest user message even when they do not fit', () => {
		const prompt = buildPrompt(
			{ systemPrompt: 'a long system prompt', messages: conversation },
			{ contextWindow: 10, maxTokens: 5, estimate: perChar }
		);
		expect(prompt.messages.map((m) => m.content)).toEqual(['a long system prompt', 'eeeeeeeeee']);
		expect(prompt.dropped).toBe(4);
		expect(prompt.overflow).toBe(true);
	});

	it('counts images for vision models', () => {
		const withImage = msg('user', 'hi', { images: ['data:image/jpeg;base64,AAAA'] });
		const text = buildPrompt(
			{ systemPrompt: '', messages: [withImage] },
			{ contextWindow: 4096, maxTokens: 0 }
		);
		const vision = buildPrompt(
			{ systemPrompt: '', messages: [withImage], vision: true },
			{ contextWindow: 4096, maxTokens: 0 }
		);
		expect(vision.tokens).toBeGreaterThan(text.tokens + 500);
	});
});

describe('contextUsage', () => {
	const messages: ChatMessage[] = [
		{ role: 'system', content: 'x'.repeat(36) },
		{ role: 'user', content: 'y'.repeat(36) }
	];
	// 2 × (36 + 4) = 80 tokens with one token per character.

	it('is ok below 80%', () => {
		expect(contextUsage(messages, 101, perChar)).toEqual({
			used: 80,
			fraction: 80 / 101,
			level: 'ok'
		});
	});

	it('warns from 80%', () => {
		expect(contextUsage(messages, 100, perChar)).toMatchObject({ fraction: 0.8, level: 'warn' });
	});

	it('is full at 100% and caps the fraction', () => {
		expect(contextUsage(messages, 80, perChar).level).toBe('full');
		expect(contextUsage(messages, 40, perChar)).toMatchObject({ fraction: 1, level: 'full' });
		expect(contextUsage(messages, 0, perChar).level).toBe('full');
	});

	it('uses the chars/4 estimate by default', () => {
		expect(contextUsage(messages, 1000).used).toBe(2 * (9 + MESSAGE_OVERHEAD_TOKENS));
	});
});

describe('tooLong', () => {
	const budget = { contextWindow: 100, maxTokens: 40, estimate: perChar };

	it('accepts a message that fits beside the room kept for the answer', () => {
		expect(tooLong('', { content: 'x'.repeat(60 - MESSAGE_OVERHEAD_TOKENS) }, budget)).toBeNull();
	});

	it('refuses a message that cannot fit even alone, with its size and the model’s', () => {
		expect(tooLong('', { content: 'x'.repeat(61 - MESSAGE_OVERHEAD_TOKENS) }, budget)).toEqual({
			tokens: 61,
			contextWindow: 100,
			maxTokens: 40
		});
	});

	it('counts the system prompt and images, which are always sent with it', () => {
		expect(tooLong('be brief', { content: 'hi' }, budget)).toBeNull();
		expect(tooLong('s'.repeat(51), { content: 'hi' }, budget)?.tokens).toBe(
			cost('s'.repeat(51)) + cost('hi')
		);
		expect(tooLong('', { content: 'hi', images: 1 }, budget)).not.toBeNull();
	});

	it('refuses a 1 MB paste for a 4k model', () => {
		const refused = tooLong(
			'',
			{ content: 'word '.repeat(200_000) },
			{
				contextWindow: 4096,
				maxTokens: 1024
			}
		);
		expect(refused).toEqual({ tokens: 250_004, contextWindow: 4096, maxTokens: 1024 });
	});
});

describe('modelThatFits', () => {
	const refused = { tokens: 3000, contextWindow: 1024, maxTokens: 512 };

	it('names the first model whose window holds the message and its answer', () => {
		const models = [
			{ id: 'tiny-1k', contextWindow: 1024 },
			{ id: 'small-4k', contextWindow: 4096 },
			{ id: 'big-32k', contextWindow: 32768 }
		];
		expect(modelThatFits(refused, models)?.id).toBe('small-4k');
	});

	it('is null when no model holds it', () => {
		expect(modelThatFits({ ...refused, tokens: 5000 }, [{ contextWindow: 4096 }])).toBeNull();
	});
});
