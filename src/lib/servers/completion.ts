// The OpenAI chat-completions wire format, both ways, as pure functions: the request body Lantern
// sends, and the folding of the streamed chunks into the text and numbers the app shows.
//
// Servers differ in small ways and every one must work (../shared/TESTING.md lists them): the first
// chunk carries `content: null` (llama.cpp) or `""` (vLLM); `role` comes on every chunk (older
// Ollama) or only the first; the finish reason may come on its own chunk with an empty delta; usage
// comes last with `choices: []`; llama.cpp adds `timings`; an error may arrive as a `data:` event
// of its own, without [DONE].
//
// Reasoning. llama.cpp and older vLLM send the model's thinking as `reasoning_content`, newer vLLM
// and Ollama as `reasoning`. The app's one form for reasoning is the one WebLLM's Qwen3 writes:
// inline, between <think> and </think>, before the answer (chat/reasoning.ts splits it for
// display and storage, and keeps it out of the history sent back). So reasoning deltas are
// wrapped in those tags here, and everything downstream (chat, compare, exports) handles a server
// model's thinking exactly like an in-browser one's, with no new event type in the Engine.
import type { ChatRequest, FinishReason, UsageStats } from '$lib/engine/types';

/** What POST /chat/completions receives. */
export interface CompletionBody {
	model: string;
	messages: ChatRequest['messages'];
	stream: true;
	stream_options: { include_usage: true };
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	presence_penalty?: number;
	frequency_penalty?: number;
	seed?: number;
	/**
	 * Qwen3's switch for thinking, as vLLM and llama.cpp (with --jinja) pass it to the chat template.
	 * Ollama ignores it (its reasoning then stays on, shown folded like any reasoning).
	 */
	chat_template_kwargs?: { enable_thinking: boolean };
}

const SAMPLING = [
	'temperature',
	'top_p',
	'max_tokens',
	'presence_penalty',
	'frequency_penalty',
	'seed'
] as const;

/**
 * The request for `name` on the server. Messages go as they are: the app's ChatMessage already has
 * the OpenAI shape, images included (`image_url` parts holding data: URLs), which servers whose
 * model takes images accept; a server whose model does not refuses with a 400, said in words.
 */
export function completionBody(request: ChatRequest, name: string): CompletionBody {
	const body: CompletionBody = {
		model: name,
		messages: request.messages,
		stream: true,
		stream_options: { include_usage: true }
	};
	const settings = request.settings ?? {};
	for (const key of SAMPLING) {
		const value = settings[key];
		if (typeof value === 'number' && Number.isFinite(value)) body[key] = value;
	}
	if (typeof settings.enable_thinking === 'boolean')
		body.chat_template_kwargs = { enable_thinking: settings.enable_thinking };
	return body;
}

export interface ServerUsage {
	prompt_tokens?: number;
	completion_tokens?: number;
}

/** llama.cpp's own measurements, on its last chunk. */
export interface ServerTimings {
	prompt_n?: number;
	prompt_per_second?: number;
	predicted_n?: number;
	predicted_per_second?: number;
}

/** A streamed `data:` event that reports an error instead of a chunk. */
export class StreamErrorEvent extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'StreamErrorEvent';
	}
}

const isObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

const text = (x: unknown): string => (typeof x === 'string' ? x : '');

const count = (x: unknown): number | undefined =>
	typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined;

function readUsage(x: unknown): ServerUsage | null {
	if (!isObject(x)) return null;
	const usage: ServerUsage = {};
	const prompt = count(x.prompt_tokens);
	const completion = count(x.completion_tokens);
	if (prompt !== undefined) usage.prompt_tokens = prompt;
	if (completion !== undefined) usage.completion_tokens = completion;
	return usage;
}

function readTimings(x: unknown): ServerTimings | null {
	if (!isObject(x)) return null;
	const timings: ServerTimings = {};
	for (const key of [
		'prompt_n',
		'prompt_per_second',
		'predicted_n',
		'predicted_per_second'
	] as const) {
		const value = count(x[key]);
		if (value !== undefined) timings[key] = value;
	}
	return timings;
}

/** The words of an error event or error body: `{"error": {"message": …}}`, `{"error": "…"}`, `{"message": …}`. */
export function errorMessage(x: unknown): string | null {
	if (!isObject(x)) return null;
	const error = x.error;
	if (typeof error === 'string') return error;
	if (isObject(error)) return text(error.message) || JSON.stringify(error);
	if (x.object === 'error' || (typeof x.message === 'string' && !('choices' in x)))
		return text(x.message) || 'error';
	return null;
}

/**
 * Folds the `data:` events of one streamed answer. `push` returns the text to show (reasoning
 * wrapped in <think> tags) and throws a StreamErrorEvent for an error event; `finish` closes an
 * open think block.
 */
export class CompletionFold {
	#thinking = false;
	#done = false;
	#finishReason: string | null = null;
	#usage: ServerUsage | null = null;
	#timings: ServerTimings | null = null;
	#pieces = 0;

	/** `[DONE]` arrived: the server ended the answer on purpose. */
	get done(): boolean {
		return this.#done;
	}
	/** The server's finish reason (`stop`, `length`, …), once sent. */
	get finishReason(): string | null {
		return this.#finishReason;
	}
	get usage(): ServerUsage | null {
		return this.#usage;
	}
	get timings(): ServerTimings | null {
		return this.#timings;
	}
	/** Deltas that carried text (answer or reasoning): about one token each, on every server here. */
	get pieces(): number {
		return this.#pieces;
	}

	push(data: string): string {
		if (data.trim() === '[DONE]') {
			this.#done = true;
			return '';
		}
		let chunk: unknown;
		try {
			chunk = JSON.parse(data);
		} catch {
			// Not JSON: nothing a chat-completions stream sends; skipped rather than fatal.
			return '';
		}
		const failure = errorMessage(chunk);
		if (failure !== null) throw new StreamErrorEvent(failure);
		if (!isObject(chunk)) return '';
		const usage = readUsage(chunk.usage);
		if (usage) this.#usage = { ...this.#usage, ...usage };
		const timings = readTimings(chunk.timings);
		if (timings) this.#timings = timings;
		const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
		if (!isObject(choice)) return '';
		if (typeof choice.finish_reason === 'string') this.#finishReason = choice.finish_reason;
		const delta = isObject(choice.delta)
			? choice.delta
			: isObject(choice.message)
				? choice.message
				: {};
		return this.#text(text(delta.reasoning_content) || text(delta.reasoning), text(delta.content));
	}

	/** A whole answer sent without streaming (a server that ignored `stream: true`). */
	pushWhole(body: unknown): string {
		const failure = errorMessage(body);
		if (failure !== null) throw new StreamErrorEvent(failure);
		const shown = this.push(JSON.stringify(body));
		this.#done = true;
		return shown + this.finish();
	}

	/** Text that ends the answer: the closing tag of a think block left open. */
	finish(): string {
		if (!this.#thinking) return '';
		this.#thinking = false;
		return '</think>';
	}

	#text(reasoning: string, content: string): string {
		let shown = '';
		if (reasoning) {
			if (!this.#thinking) shown += '<think>';
			this.#thinking = true;
			shown += reasoning;
		}
		if (content) {
			if (this.#thinking) shown += '</think>';
			this.#thinking = false;
			shown += content;
		}
		if (shown) this.#pieces++;
		return shown;
	}
}

/** When things happened, by the engine's clock (ms). */
export interface Timeline {
	startedAt: number;
	firstTokenAt: number | null;
	lastTokenAt: number | null;
	endedAt: number;
}

/**
 * The stats line of one answer. Token counts come from the server's usage (or llama.cpp's
 * timings), or are the deltas counted when it sends neither. The decode rate is llama.cpp's own,
 * or the tokens after the first over the time from the first to the last; prefill is only known
 * when the server measured it (TTFT also holds the network and any queue, so it is not divided).
 */
export function remoteStats(
	fold: Pick<CompletionFold, 'usage' | 'timings' | 'pieces' | 'finishReason'>,
	time: Timeline,
	aborted: boolean
): UsageStats {
	const { usage, timings } = fold;
	const completion = usage?.completion_tokens ?? timings?.predicted_n ?? fold.pieces;
	let decode = timings?.predicted_per_second ?? null;
	if (decode === null && time.firstTokenAt !== null && time.lastTokenAt !== null) {
		const seconds = (time.lastTokenAt - time.firstTokenAt) / 1000;
		if (completion > 1 && seconds > 0) decode = (completion - 1) / seconds;
	}
	const reason: FinishReason = aborted
		? 'aborted'
		: fold.finishReason === 'length'
			? 'length'
			: 'stop';
	return {
		promptTokens: usage?.prompt_tokens ?? timings?.prompt_n ?? 0,
		completionTokens: completion,
		timeToFirstTokenMs: time.firstTokenAt === null ? null : time.firstTokenAt - time.startedAt,
		prefillTokensPerSec: timings?.prompt_per_second ?? null,
		decodeTokensPerSec: decode,
		totalMs: time.endedAt - time.startedAt,
		finishReason: reason
	};
}
