import { describe, expect, it } from 'vitest';
import { paneHistory, toStoredMessages } from '$lib/compare/conversation';
import { stats } from './builders';

describe('paneHistory', () => {
	it('sends the system prompt, earlier turns with usable answers, and the new question', () => {
		expect(
			paneHistory('Be brief.', [
				{ role: 'user', content: 'one' },
				{ role: 'assistant', content: 'first', stats: stats() },
				{ role: 'user', content: 'two' },
				{ role: 'assistant', content: '', errorCode: 'device-lost' },
				{ role: 'user', content: 'three' },
				{ role: 'assistant', content: '' },
				{ role: 'user', content: 'now' }
			])
		).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'one' },
			{ role: 'assistant', content: 'first' },
			{ role: 'user', content: 'now' }
		]);
	});

	it('keeps a stopped answer’s partial text', () => {
		expect(
			paneHistory('', [
				{ role: 'user', content: 'q' },
				{ role: 'assistant', content: 'part', stats: stats({ finishReason: 'aborted' }) },
				{ role: 'user', content: 'next' }
			])
		).toHaveLength(3);
	});
});

it('toStoredMessages marks stopped answers interrupted and failed ones as errors', () => {
	const out = toStoredMessages(
		[
			{ role: 'user', content: 'q' },
			{ role: 'assistant', content: 'a', stats: stats() },
			{ role: 'assistant', content: 'b', stats: stats({ finishReason: 'aborted' }) },
			{ role: 'assistant', content: '', errorCode: 'network' }
		],
		'm'
	);
	expect(out.map((m) => [m.role, m.status, m.modelId])).toEqual([
		['user', undefined, undefined],
		['assistant', 'complete', 'm'],
		['assistant', 'interrupted', 'm'],
		['assistant', 'error', 'm']
	]);
	expect(out[3]?.errorCode).toBe('network');
});
