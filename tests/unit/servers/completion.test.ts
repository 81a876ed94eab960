import { describe, expect, it } from 'vitest';
import {
	CompletionFold,
	completionBody,
	errorMessage,
	remoteStats,
	StreamErrorEvent
} from '$lib/servers/completion';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra = {}) =>
	JSON.stringify({
		id: 'c1',
		object: 'chat.completion.chunk',
		choices: [{ index: 0, delta, finish_reason: finish }],
		...extra
	});

/** Everything the fold shows for a list of data events. */
function fold(events: string[]) {
	const f = new CompletionFold();
	let shown = '';
	for (const e of events) shown += f.push(e);
	return { f, shown: shown + f.finish() };
}

describe('completionBody', () => {
	it('asks for a stream with usage, maps every sampling setting, and names the server’s model', () => {
		const body = completionBody(
			{
				modelId: '127.0.0.1:11434/llama3.1:70b',
				messages: [
					{ role: 'system', content: 'Be brief.' },
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'What is this?' },
							{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }
						]
					}
				],
				settings: {
					temperature: 0.2,
					top_p: 0.9,
					max_tokens: 300,
					presence_penalty: 0.5,
					frequency_penalty: 0.1,
					seed: 42,
					enable_thinking: false
				}
			},
			'llama3.1:70b'
		);
		expect(body).toEqual({
			model: 'llama3.1:70b',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What is this?' },
						{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }
					]
				}
			],
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.2,
			top_p: 0.9,
			max_tokens: 300,
			presence_penalty: 0.5,
			frequency_penalty: 0.1,
			seed: 42,
			chat_template_kwargs: { enable_thinking: false }
		});
	});

	it('leaves out settings that are not set, so the server’s defaults apply', () => {
		const body = completionBody(
			{ modelId: 'x', messages: [], settings: { temperature: 0.5 } },
			'm'
		);
		expect(Object.keys(body).sort()).toEqual(
			['messages', 'model', 'stream', 'stream_options', 'temperature'].sort()
		);
	});
});

describe('CompletionFold', () => {
	it('reads llama.cpp’s stream: content null first, finish on its own chunk, timings, usage', () => {
		const { f, shown } = fold([
			chunk({ role: 'assistant', content: null }),
			chunk({ content: 'Hel' }),
			chunk({ content: 'lo' }),
			chunk({}, 'stop', {
				timings: { prompt_n: 9, prompt_per_second: 400, predicted_n: 2, predicted_per_second: 55.5 }
			}),
			JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 2 } }),
			'[DONE]'
		]);
		expect(shown).toBe('Hello');
		expect(f.done).toBe(true);
		expect(f.finishReason).toBe('stop');
		expect(f.usage).toEqual({ prompt_tokens: 9, completion_tokens: 2 });
		expect(f.timings).toMatchObject({ predicted_per_second: 55.5 });
		expect(f.pieces).toBe(2);
	});

	it('reads vLLM’s stream: empty content first, usage with empty choices', () => {
		const { f, shown } = fold([
			chunk({ role: 'assistant', content: '' }),
			chunk({ content: 'Hi' }),
			chunk({ content: '!' }, 'length'),
			JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
			'[DONE]'
		]);
		expect(shown).toBe('Hi!');
		expect(f.finishReason).toBe('length');
		expect(f.pieces).toBe(2);
	});

	it('reads old Ollama (role on every chunk) and new Ollama (role once) the same', () => {
		const old = fold([
			chunk({ role: 'assistant', content: 'A' }),
			chunk({ role: 'assistant', content: 'B' }),
			chunk({ role: 'assistant', content: '' }, 'stop'),
			'[DONE]'
		]);
		const fresh = fold([
			chunk({ role: 'assistant', content: 'A' }),
			chunk({ content: 'B' }),
			chunk({ content: '' }, 'stop'),
			'[DONE]'
		]);
		expect(old.shown).toBe('AB');
		expect(fresh.shown).toBe('AB');
	});

	it('wraps reasoning deltas (reasoning_content or reasoning) in think tags before the answer', () => {
		for (const field of ['reasoning_content', 'reasoning']) {
			const { shown } = fold([
				chunk({ role: 'assistant', content: null }),
				chunk({ [field]: 'Let me ' }),
				chunk({ [field]: 'think.', content: null }),
				chunk({ content: 'Answer.' }, 'stop'),
				'[DONE]'
			]);
			expect(shown).toBe('<think>Let me think.</think>Answer.');
		}
	});

	it('closes a think block that the stream left open', () => {
		expect(fold([chunk({ reasoning: 'hmm' }), '[DONE]']).shown).toBe('<think>hmm</think>');
	});

	it('throws the server’s words for a mid-stream error event (llama.cpp sends no [DONE] after it)', () => {
		const f = new CompletionFold();
		expect(f.push(chunk({ content: 'Part' }))).toBe('Part');
		expect(() =>
			f.push(
				JSON.stringify({ error: { code: 500, message: 'slot unavailable', type: 'server_error' } })
			)
		).toThrow(new StreamErrorEvent('slot unavailable'));
	});

	it('skips data that is not JSON instead of failing the answer', () => {
		expect(fold(['not json', chunk({ content: 'ok' }), '[DONE]']).shown).toBe('ok');
	});

	it('takes a whole answer sent without streaming', () => {
		const f = new CompletionFold();
		const shown = f.pushWhole({
			choices: [
				{
					message: { role: 'assistant', content: 'Whole.', reasoning_content: 'r' },
					finish_reason: 'stop'
				}
			],
			usage: { prompt_tokens: 4, completion_tokens: 2 }
		});
		expect(shown).toBe('<think>r</think>Whole.');
		expect(f.done).toBe(true);
		expect(f.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2 });
	});
});

describe('errorMessage', () => {
	it('reads every server’s error body', () => {
		expect(
			errorMessage({ error: { message: 'model "x" not found', type: 'not_found_error' } })
		).toBe('model "x" not found');
		expect(
			errorMessage({
				object: 'error',
				message: 'The model `x` does not exist.',
				type: 'NotFoundError',
				code: 404
			})
		).toBe('The model `x` does not exist.');
		expect(errorMessage({ error: 'Unauthorized' })).toBe('Unauthorized');
		expect(errorMessage({ choices: [] })).toBeNull();
	});
});

describe('remoteStats', () => {
	const time = { startedAt: 1000, firstTokenAt: 1250, lastTokenAt: 3250, endedAt: 3300 };

	it('takes tokens from usage and measures TTFT and the decode rate', () => {
		const stats = remoteStats(
			{
				usage: { prompt_tokens: 12, completion_tokens: 41 },
				timings: null,
				pieces: 40,
				finishReason: 'stop'
			},
			time,
			false
		);
		expect(stats).toEqual({
			promptTokens: 12,
			completionTokens: 41,
			timeToFirstTokenMs: 250,
			prefillTokensPerSec: null,
			decodeTokensPerSec: 20,
			totalMs: 2300,
			finishReason: 'stop'
		});
	});

	it('prefers llama.cpp’s own timings', () => {
		const stats = remoteStats(
			{
				usage: null,
				timings: {
					prompt_n: 9,
					prompt_per_second: 400,
					predicted_n: 30,
					predicted_per_second: 55.5
				},
				pieces: 30,
				finishReason: 'stop'
			},
			time,
			false
		);
		expect(stats).toMatchObject({
			promptTokens: 9,
			completionTokens: 30,
			prefillTokensPerSec: 400,
			decodeTokensPerSec: 55.5
		});
	});

	it('counts the deltas when the server sends no usage, and says when it was stopped or cut by length', () => {
		expect(
			remoteStats({ usage: null, timings: null, pieces: 5, finishReason: null }, time, true)
		).toMatchObject({
			promptTokens: 0,
			completionTokens: 5,
			decodeTokensPerSec: 2,
			finishReason: 'aborted'
		});
		expect(
			remoteStats({ usage: null, timings: null, pieces: 1, finishReason: 'length' }, time, false)
		).toMatchObject({ decodeTokensPerSec: null, finishReason: 'length' });
		expect(
			remoteStats(
				{ usage: null, timings: null, pieces: 0, finishReason: null },
				{ ...time, firstTokenAt: null, lastTokenAt: null },
				true
			)
		).toMatchObject({ timeToFirstTokenMs: null, completionTokens: 0, finishReason: 'aborted' });
	});
});
