// Server-sent events, as the WHATWG EventSource parser reads them, for a fetch() body (EventSource
// itself cannot POST or send an Authorization header). Pure and incremental: text arrives in
// chunks split anywhere, even between the CR and LF of one line break.
//
// Lines end with LF, CRLF or CR. `data:` lines accumulate (joined by "\n") until a blank line
// dispatches the event; a line starting with ":" is a comment (llama.cpp's keep-alive); `event:`
// names the event; other fields are ignored. One leading space after the colon is dropped.

export interface SseEvent {
	/** `message` unless an `event:` line named it. */
	event: string;
	data: string;
}

export class SseParser {
	#buffer = '';
	#data: string[] = [];
	#event = '';
	/** Comment lines seen (keep-alives): a sign of life while a server thinks. */
	#comments = 0;

	get comments(): number {
		return this.#comments;
	}

	/** Feeds decoded text; returns the events it completed. */
	push(text: string): SseEvent[] {
		this.#buffer += text;
		const events: SseEvent[] = [];
		for (;;) {
			const end = this.#buffer.search(/[\r\n]/);
			if (end < 0) break;
			// A CR at the very end may be the first half of a CRLF: wait for the next chunk.
			if (this.#buffer[end] === '\r' && end === this.#buffer.length - 1) break;
			const line = this.#buffer.slice(0, end);
			const skip = this.#buffer.startsWith('\r\n', end) ? 2 : 1;
			this.#buffer = this.#buffer.slice(end + skip);
			const event = this.#line(line);
			if (event) events.push(event);
		}
		return events;
	}

	/**
	 * The stream ended. A last event whose blank line never came is still dispatched when its lines
	 * were complete (a server that ends without the final blank line); a line cut in the middle is
	 * dropped, as EventSource drops it.
	 */
	end(): SseEvent[] {
		const events: SseEvent[] = [];
		if (this.#buffer.endsWith('\r')) {
			const event = this.#line(this.#buffer.slice(0, -1));
			if (event) events.push(event);
		}
		this.#buffer = '';
		const last = this.#dispatch();
		if (last) events.push(last);
		return events;
	}

	#line(line: string): SseEvent | null {
		if (line === '') return this.#dispatch();
		if (line.startsWith(':')) {
			this.#comments++;
			return null;
		}
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') this.#data.push(value);
		else if (field === 'event') this.#event = value;
		return null;
	}

	#dispatch(): SseEvent | null {
		const data = this.#data;
		const event = this.#event || 'message';
		this.#data = [];
		this.#event = '';
		return data.length === 0 ? null : { event, data: data.join('\n') };
	}
}
