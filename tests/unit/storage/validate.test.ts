import { describe, expect, it } from 'vitest';
import { readMessage, readSettings, readStats } from '$lib/storage/validate';

describe('readSettings', () => {
	it('keeps valid fields and drops out-of-range or unknown ones, reporting them', () => {
		const issues: string[] = [];
		expect(
			readSettings(
				{
					temperature: 0.3,
					top_p: 1.5,
					max_tokens: 0,
					presence_penalty: -2,
					frequency_penalty: '1',
					seed: 42.5,
					enable_thinking: false,
					future_option: true
				},
				'settings',
				issues
			)
		).toEqual({ temperature: 0.3, presence_penalty: -2, enable_thinking: false });
		expect(issues).toEqual([
			'settings.top_p: out of range',
			'settings.max_tokens: out of range',
			'settings.frequency_penalty: out of range',
			'settings.seed: out of range'
		]);
	});

	it('treats a missing object as no overrides and a non-object as an issue', () => {
		const issues: string[] = [];
		expect(readSettings(undefined, 's', issues)).toEqual({});
		expect(issues).toEqual([]);
		expect(readSettings([1], 's', issues)).toEqual({});
		expect(issues).toEqual(['s: not an object']);
	});
});

describe('readStats', () => {
	const valid = {
		promptTokens: 1,
		completionTokens: 2,
		timeToFirstTokenMs: null,
		prefillTokensPerSec: 10,
		decodeTokensPerSec: null,
		totalMs: 5,
		finishReason: 'length'
	};

	it('accepts stats with unknown rates as null', () => {
		expect(readStats(valid)).toEqual(valid);
	});

	it.each([
		['a negative count', { ...valid, promptTokens: -1 }],
		['NaN', { ...valid, decodeTokensPerSec: Number.NaN }],
		['an unknown finish reason', { ...valid, finishReason: 'tired' }],
		['a missing field', { ...valid, totalMs: undefined }]
	])('refuses %s', (_, raw) => {
		expect(readStats(raw)).toBeUndefined();
	});
});

describe('readMessage', () => {
	it('keeps valid optional fields and drops invalid ones', () => {
		const issues: string[] = [];
		expect(
			readMessage(
				{
					id: 'm',
					conversationId: 'c',
					role: 'assistant',
					content: 'hi',
					createdAt: 3,
					status: 'error',
					errorCode: 'device-lost',
					images: ['data:x', 7],
					reasoning: 'why'
				},
				'm',
				issues
			)
		).toEqual({
			id: 'm',
			conversationId: 'c',
			role: 'assistant',
			content: 'hi',
			createdAt: 3,
			status: 'error',
			errorCode: 'device-lost',
			reasoning: 'why'
		});
		expect(issues).toEqual(['m.images: invalid']);
	});

	it('returns null without an id or a conversation', () => {
		expect(readMessage({ id: 'm' })).toBeNull();
		expect(readMessage('m')).toBeNull();
	});
});
