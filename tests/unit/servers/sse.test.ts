import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '$lib/servers/sse';

/** Feeds `text` cut at every given offset, then ends the stream. */
function parse(text: string, cuts: number[] = []): SseEvent[] {
	const parser = new SseParser();
	const events: SseEvent[] = [];
	let at = 0;
	for (const cut of [...cuts, text.length]) {
		events.push(...parser.push(text.slice(at, cut)));
		at = cut;
	}
	return [...events, ...parser.end()];
}

const STREAM =
	'data: {"a":1}\n\n: keep-alive\n\ndata: {"b":2}\r\n\r\nevent: ping\ndata: x\n\ndata: [DONE]\n\n';
const EXPECTED = [
	{ event: 'message', data: '{"a":1}' },
	{ event: 'message', data: '{"b":2}' },
	{ event: 'ping', data: 'x' },
	{ event: 'message', data: '[DONE]' }
];

describe('SseParser', () => {
	it('reads data events, skips keep-alive comments, and names events', () => {
		expect(parse(STREAM)).toEqual(EXPECTED);
	});

	it('gives the same events however the text is split, even between CR and LF', () => {
		for (let cut = 1; cut < STREAM.length; cut++) expect(parse(STREAM, [cut])).toEqual(EXPECTED);
		const byChar = Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1);
		expect(parse(STREAM, byChar)).toEqual(EXPECTED);
	});

	it('accepts CRLF, CR and LF line ends alike', () => {
		for (const eol of ['\n', '\r\n', '\r'])
			expect(parse(`data: one${eol}${eol}data: two${eol}${eol}`)).toEqual([
				{ event: 'message', data: 'one' },
				{ event: 'message', data: 'two' }
			]);
	});

	it('joins multi-line data with newlines and drops only one leading space', () => {
		expect(parse('data: first\ndata:  second\ndata:third\n\n')).toEqual([
			{ event: 'message', data: 'first\n second\nthird' }
		]);
	});

	it('counts comments (a server’s sign of life) and ignores unknown fields', () => {
		const parser = new SseParser();
		expect(parser.push(': keep-alive\n\n:\n\nid: 7\nretry: 10\n\n')).toEqual([]);
		expect(parser.comments).toBe(2);
	});

	it('dispatches a last complete event without its blank line, but drops a line cut in half', () => {
		expect(parse('data: {"a":1}\n')).toEqual([{ event: 'message', data: '{"a":1}' }]);
		expect(parse('data: {"a":1}\n\ndata: {"b"')).toEqual([{ event: 'message', data: '{"a":1}' }]);
		expect(parse('data: last\r')).toEqual([{ event: 'message', data: 'last' }]);
	});
});
