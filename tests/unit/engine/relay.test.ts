import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Response } from '$lib/engine/protocol';
import { coalesceDeltas, RELAY_WINDOW_MS } from '$lib/engine/relay';

const delta = (id: number, text: string): Response => ({ kind: 'delta', id, text });

describe('coalesceDeltas (the leader tab relaying answers to other tabs)', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('sends the first token at once and the next ones of the window as one message', () => {
		const sent: Response[] = [];
		const send = coalesceDeltas((r) => sent.push(r));
		send(delta(1, 'Hel'));
		expect(sent).toEqual([delta(1, 'Hel')]);
		for (const t of ['lo', ', ', 'wor', 'ld']) send(delta(1, t));
		expect(sent).toHaveLength(1);
		vi.advanceTimersByTime(RELAY_WINDOW_MS);
		expect(sent).toEqual([delta(1, 'Hel'), delta(1, 'lo, world')]);
		// The window has closed: the next token goes at once again.
		send(delta(1, '!'));
		expect(sent.at(-1)).toEqual(delta(1, '!'));
	});

	it('keeps the text and the order of everything: held tokens go before any other response', () => {
		const sent: Response[] = [];
		const send = coalesceDeltas((r) => sent.push(r));
		const tokens = Array.from({ length: 100 }, (_, i) => `t${i} `);
		const usage: Response = {
			kind: 'usage',
			id: 1,
			stats: {
				promptTokens: 3,
				completionTokens: 100,
				timeToFirstTokenMs: 1,
				prefillTokensPerSec: 1,
				decodeTokensPerSec: 1,
				totalMs: 100,
				finishReason: 'stop'
			}
		};
		tokens.forEach((t, i) => {
			send(delta(1, t));
			if (i % 7 === 0) vi.advanceTimersByTime(5);
		});
		send(usage);
		send({ kind: 'ok', id: 1 });
		expect(sent.length).toBeLessThan(30);
		const text = sent.flatMap((r) => (r.kind === 'delta' ? [r.text] : [])).join('');
		expect(text).toBe(tokens.join(''));
		expect(sent.slice(-2)).toEqual([usage, { kind: 'ok', id: 1 }]);
	});

	it('never merges the tokens of two answers', () => {
		const sent: Response[] = [];
		const send = coalesceDeltas((r) => sent.push(r));
		send(delta(1, 'a'));
		send(delta(1, 'b'));
		send(delta(2, 'x'));
		send(delta(2, 'y'));
		send(delta(1, 'c'));
		vi.advanceTimersByTime(RELAY_WINDOW_MS);
		expect(sent).toEqual([delta(1, 'a'), delta(1, 'b'), delta(2, 'xy'), delta(1, 'c')]);
	});
});
