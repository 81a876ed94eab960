// The chat's side of documents: where the passages go in the request, the budget they get, and
// what an answer keeps of the request.
import { describe, expect, it } from 'vitest';
import {
	IMAGE_PLACEHOLDER,
	groundedPrompt,
	groundingBudget,
	recordedRequest
} from '$lib/chat/grounding';
import { passageShare } from '$lib/documents/grounding';
import type { Message } from '$lib/storage/types';

let n = 0;
const message = (
	role: Message['role'],
	content: string,
	extra: Partial<Message> = {}
): Message => ({
	id: `m${++n}`,
	conversationId: 'c',
	role,
	content,
	createdAt: n,
	status: 'complete',
	...extra
});
const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');

describe('grounding', () => {
	it('puts the sources before the latest question, in the request only', () => {
		const messages = [
			message('user', 'Earlier question'),
			message('assistant', 'Earlier answer'),
			message('user', 'What is the code?')
		];
		const prompt = groundedPrompt(
			{ systemPrompt: 'Be brief.', messages },
			{ contextWindow: 4096, maxTokens: 512 },
			'[1] notes.md\nThe code is 7419.'
		);
		expect(prompt.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
		expect(prompt.messages.at(-1)?.content).toBe(
			'[1] notes.md\nThe code is 7419.\n\nWhat is the code?'
		);
		// Earlier questions go as they were written.
		expect(prompt.messages[1]?.content).toBe('Earlier question');
		expect(messages.at(-1)?.content).toBe('What is the code?');
	});

	it('leaves out the oldest turns first when the sources and the history do not both fit', () => {
		const messages = [
			message('user', words(300)),
			message('assistant', words(300)),
			message('user', 'Question?')
		];
		const prompt = groundedPrompt(
			{ systemPrompt: '', messages },
			{ contextWindow: 1024, maxTokens: 256 },
			words(500)
		);
		expect(prompt.dropped).toBeGreaterThan(0);
		expect(String(prompt.messages.at(-1)?.content)).toContain('Question?');
	});

	it('measures the question and the history apart, and gives the passages what the history leaves, at least half', () => {
		const messages = [
			message('user', words(100)),
			message('assistant', words(100)),
			message('user', 'Question?')
		];
		const budget = groundingBudget(
			{ systemPrompt: 'System.', messages },
			{ contextWindow: 4096, maxTokens: 512 }
		);
		expect(budget.historyTokens).toBeGreaterThan(budget.promptTokens);
		expect(passageShare(budget)).toBeGreaterThan(0.5);
		expect(passageShare(budget)).toBeLessThan(1);
		expect(passageShare({ ...budget, historyTokens: 100_000 })).toBe(0.5);
		expect(passageShare({ ...budget, historyTokens: 0 })).toBe(1);
		expect(passageShare({ ...budget, promptTokens: 10_000 })).toBe(0);
	});

	it('keeps the request as sent, with images as a placeholder', () => {
		const kept = recordedRequest([
			{ role: 'system', content: 'S' },
			{
				role: 'user',
				content: [
					{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
					{ type: 'text', text: 'What is this?' }
				]
			}
		]);
		expect(kept).toEqual([
			{ role: 'system', content: 'S' },
			{
				role: 'user',
				content: [
					{ type: 'image_url', image_url: { url: IMAGE_PLACEHOLDER } },
					{ type: 'text', text: 'What is this?' }
				]
			}
		]);
	});
});
