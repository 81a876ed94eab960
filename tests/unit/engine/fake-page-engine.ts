// A page-side Engine for unit tests of the state classes (chat, compare): it logs what it is asked,
// in order, with scripted per-model tokens and delays, and fails on demand (a load, an answer part
// way, the whole engine lost). Concurrent chats on different models run at the same time.
// (tests/unit/engine/fake-engine.ts is the other side: a WebLLM-like engine for the worker handler.)
import { EngineError, type BusyWork } from '$lib/engine/errors';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	Engine,
	LoadOptions,
	ModelRecord
} from '$lib/engine/types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function record(model_id: string, vram_required_MB?: number): ModelRecord {
	return {
		model: `https://example.org/${model_id}`,
		model_id,
		model_lib: 'lib.wasm',
		vram_required_MB
	};
}

export class FakePageEngine implements Engine {
	log: string[] = [];
	requests: ChatRequest[] = [];
	#loaded: string[] = [];
	#lostListeners: Array<(error: EngineError) => void> = [];
	tokenMs = 2;
	/** How long a load takes. */
	loadMs = 1;
	tokens: Record<string, string[]> = {};
	/** Loads that ask first (`ifBusy: 'ask'`) are refused, naming this: another tab uses it. */
	usedElsewhere: BusyWork[] = [];
	/** The next load fails with this. */
	loadError: EngineError | null = null;
	/** Answers fail with this after `failAfter` tokens. */
	chatError: EngineError | null = null;
	failAfter = 0;

	async load(models: ModelRecord[], options: LoadOptions = {}) {
		const ids = models.map((m) => m.model_id);
		if (options.ifBusy === 'ask' && this.usedElsewhere.length > 0) {
			this.log.push(`refuse ${ids.join('+')}`);
			throw new EngineError('busy', 'another tab uses it', this.usedElsewhere);
		}
		this.log.push(`load ${ids.join('+')}`);
		this.#loaded = [];
		options.onProgress?.({ phase: 'download', progress: 1, text: ids.join(','), elapsedMs: 1 });
		await sleep(this.loadMs);
		if (options.signal?.aborted) throw new EngineError('aborted', 'load cancelled');
		const failure = this.loadError;
		if (failure) {
			this.loadError = null;
			throw failure;
		}
		this.#loaded = ids;
	}

	async embed(): Promise<Float32Array[]> {
		throw new EngineError('model-not-found', 'Compare does not embed');
	}

	async *chat(request: ChatRequest, options: ChatOptions = {}): AsyncGenerator<ChatEvent> {
		const id = request.modelId;
		if (!this.#loaded.includes(id)) throw new EngineError('model-not-found', id);
		this.requests.push(request);
		this.log.push(`gen ${id}`);
		const tokens = this.tokens[id] ?? [`${id}-1 `, `${id}-2`];
		let sent = 0;
		let aborted = false;
		for (const token of tokens) {
			await sleep(this.tokenMs);
			if (this.chatError && sent >= this.failAfter) {
				this.log.push(`fail ${id}`);
				throw this.chatError;
			}
			if (options.signal?.aborted) {
				aborted = true;
				break;
			}
			sent++;
			yield { type: 'delta', text: token };
		}
		this.log.push(`end ${id}`);
		yield {
			type: 'done',
			stats: {
				promptTokens: 5,
				completionTokens: sent,
				timeToFirstTokenMs: 1,
				prefillTokensPerSec: 100,
				decodeTokensPerSec: 10,
				totalMs: 3,
				finishReason: aborted ? 'aborted' : 'stop'
			}
		};
	}

	async interrupt() {}

	async unload() {
		this.log.push('unload');
		this.#loaded = [];
	}

	async loaded() {
		return [...this.#loaded];
	}

	/** The engine ends by itself (its worker crashed): what was loaded is gone. */
	lose(error = new EngineError('worker-crashed', 'the worker ended')) {
		this.#loaded = [];
		for (const listener of this.#lostListeners) listener(error);
	}

	onLost(listener: (error: EngineError) => void) {
		this.#lostListeners.push(listener);
		return () => {
			this.#lostListeners = this.#lostListeners.filter((l) => l !== listener);
		};
	}
}
