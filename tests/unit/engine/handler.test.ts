import { describe, expect, it } from 'vitest';
import { loadPhase, toStats, toStreamingRequest } from '../../../src/lib/engine/handler';

describe('loadPhase', () => {
	it.each([
		['Start to fetch params', 'download'],
		['Fetching param cache[3/24]: 120MB fetched. 12% completed', 'download'],
		['Loading model from cache[3/24]: 120MB loaded. 12% completed', 'gpu-upload'],
		['Loading GPU shader modules[12/88]: 13% completed', 'compile'],
		['Finish loading on WebGPU - swiftshader', 'other']
	])('%s → %s', (text, phase) => expect(loadPhase(text)).toBe(phase));
});

describe('toStreamingRequest', () => {
	it('asks for a stream with usage, and passes thinking through extra_body only when set', () => {
		const request = toStreamingRequest({
			modelId: 'm',
			messages: [],
			settings: { max_tokens: 10 }
		});
		expect(request).toEqual({
			model: 'm',
			messages: [],
			max_tokens: 10,
			stream: true,
			stream_options: { include_usage: true }
		});
	});
});

describe('toStats', () => {
	const measured = { startedAt: 1000, firstTokenAt: 1400, endedAt: 3000, deltas: 9 };
	it('prefers WebLLM figures and fills gaps from our clock', () => {
		expect(toStats(null, measured, 'aborted')).toEqual({
			promptTokens: 0,
			completionTokens: 9,
			timeToFirstTokenMs: 400,
			prefillTokensPerSec: null,
			decodeTokensPerSec: null,
			totalMs: 2000,
			finishReason: 'aborted'
		});
		const stats = toStats(
			{
				prompt_tokens: 5,
				completion_tokens: 10,
				extra: { time_to_first_token_s: 0.1, decode_tokens_per_s: Infinity }
			},
			measured,
			'length'
		);
		expect(stats.timeToFirstTokenMs).toBe(100);
		expect(stats.decodeTokensPerSec).toBeNull();
		expect(stats.finishReason).toBe('length');
	});
});
