import { describe, expect, it } from 'vitest';
import { splitReasoning, stripReasoning } from '$lib/chat/reasoning';

describe('splitReasoning', () => {
	it('leaves text without a think block alone', () => {
		expect(splitReasoning('Plain answer.')).toEqual({
			reasoning: null,
			answer: 'Plain answer.',
			thinking: false
		});
		expect(splitReasoning('')).toEqual({ reasoning: null, answer: '', thinking: false });
	});

	it('splits a finished think block from the answer', () => {
		expect(splitReasoning('<think>\nThe user greets me.\n</think>\n\nHello!')).toEqual({
			reasoning: 'The user greets me.',
			answer: 'Hello!',
			thinking: false
		});
	});

	it('reports an open block while streaming', () => {
		expect(splitReasoning('<think>Let me see')).toEqual({
			reasoning: 'Let me see',
			answer: '',
			thinking: true
		});
		expect(splitReasoning('\n<think>')).toEqual({ reasoning: null, answer: '', thinking: true });
	});

	it('hides a tag that is still arriving', () => {
		expect(splitReasoning('<thi')).toEqual({ reasoning: null, answer: '', thinking: true });
		expect(splitReasoning('<think>Step one.</th')).toEqual({
			reasoning: 'Step one.',
			answer: '',
			thinking: true
		});
		// Not a tag after all: a "<" that is part of the answer stays.
		expect(splitReasoning('<b>').answer).toBe('<b>');
		expect(splitReasoning('a < b').answer).toBe('a < b');
	});

	it('treats an empty block (thinking switched off) as no reasoning', () => {
		expect(splitReasoning('<think>\n\n</think>\n\nAnswer')).toEqual({
			reasoning: null,
			answer: 'Answer',
			thinking: false
		});
	});

	it('recognises a block whose opening tag was in the prompt', () => {
		expect(splitReasoning('Thinking...\n</think>\n\nDone.')).toEqual({
			reasoning: 'Thinking...',
			answer: 'Done.',
			thinking: false
		});
		expect(splitReasoning('Thinking...', { startsThinking: true })).toEqual({
			reasoning: 'Thinking...',
			answer: '',
			thinking: true
		});
		expect(splitReasoning('<think>x</think>y', { startsThinking: true }).answer).toBe('y');
	});

	it('keeps a later mention of the tags inside the answer', () => {
		expect(splitReasoning('<think>a</think>Use <think> tags.').answer).toBe('Use <think> tags.');
	});
});

describe('stripReasoning', () => {
	it('returns the answer alone', () => {
		expect(stripReasoning('<think>secret plan</think>\nVisible')).toBe('Visible');
		expect(stripReasoning('Visible')).toBe('Visible');
	});
});
