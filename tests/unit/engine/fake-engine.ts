// A minimal MLCEngineLike for unit tests: scripted chunks, controllable reloads.
import type {
	ChatOptionsLike,
	ChunkLike,
	EmbeddingResponseLike,
	InitProgressReportLike,
	MLCEngineLike,
	StreamingRequestLike
} from '../../../src/lib/engine/handler';

export class FakeEngine implements MLCEngineLike {
	requests: StreamingRequestLike[] = [];
	reloads: string[][] = [];
	/** The chat options each reload was given (undefined: none). */
	reloadOptions: Array<ChatOptionsLike[] | undefined> = [];
	unloads = 0;
	interrupts = 0;
	reloadError: Error | null = null;
	chatError: Error | null = null;
	tokens = ['a', 'b', 'c'];
	/** Resolves a pending reload; set while one is in progress. */
	finishReload: (() => void) | null = null;
	holdReload = false;
	tokenDelayMs = 0;
	/** Texts each embeddings.create call was given. */
	embedInputs: string[][] = [];
	embedError: Error | null = null;
	/** Resolves a pending embedding; set while one is held. */
	finishEmbed: (() => void) | null = null;
	holdEmbed = false;
	#progress: (r: InitProgressReportLike) => void = () => undefined;
	#interrupted = false;

	setAppConfig() {}
	setInitProgressCallback(cb: (r: InitProgressReportLike) => void) {
		this.#progress = cb;
	}
	async reload(ids: string[], chatOptions?: ChatOptionsLike[]) {
		this.reloads.push(ids);
		this.reloadOptions.push(chatOptions);
		this.#progress({
			progress: 0.5,
			timeElapsed: 1.5,
			text: 'Fetching param cache[1/2]: 10MB fetched.'
		});
		if (this.holdReload) await new Promise<void>((resolve) => (this.finishReload = resolve));
		if (this.reloadError) throw this.reloadError;
	}
	async unload() {
		this.unloads++;
		this.finishReload?.();
	}
	async interruptGenerate() {
		this.interrupts++;
		this.#interrupted = true;
	}
	chat = {
		completions: {
			create: async (request: StreamingRequestLike): Promise<AsyncIterable<ChunkLike>> => {
				this.requests.push(request);
				this.#interrupted = false;
				return this.#stream();
			}
		}
	};
	embeddings = {
		create: async (request: { model: string; input: string[] }): Promise<EmbeddingResponseLike> => {
			this.embedInputs.push(request.input);
			if (this.holdEmbed) await new Promise<void>((resolve) => (this.finishEmbed = resolve));
			if (this.embedError) throw this.embedError;
			// The text's length and index, so a test can tell the vectors apart and in order.
			return {
				data: request.input
					.map((text, index) => ({ embedding: [text.length, index, 1], index }))
					.reverse()
			};
		}
	};
	async *#stream(): AsyncGenerator<ChunkLike> {
		let sent = 0;
		for (const token of this.tokens) {
			if (this.tokenDelayMs) await new Promise((r) => setTimeout(r, this.tokenDelayMs));
			if (this.chatError) throw this.chatError;
			if (this.#interrupted) {
				yield { choices: [{ delta: {}, finish_reason: 'abort' }] };
				break;
			}
			sent++;
			yield { choices: [{ delta: { content: token } }] };
		}
		if (!this.#interrupted) yield { choices: [{ delta: {}, finish_reason: 'stop' }] };
		yield {
			choices: [],
			usage: {
				prompt_tokens: 7,
				completion_tokens: sent,
				extra: { time_to_first_token_s: 0.25, prefill_tokens_per_s: 300, decode_tokens_per_s: 40 }
			}
		};
	}
}
