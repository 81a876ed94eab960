// A page-side Engine for compare unit tests: logs what it is asked, in order, with scripted
// per-model tokens and delays. Concurrent chats on different models run at the same time.
import { EngineError } from '$lib/engine/errors';
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

export class FakeCompareEngine implements Engine {
	log: string[] = [];
	requests: ChatRequest[] = [];
	#loaded: string[] = [];
	tokenMs = 2;
	tokens: Record<string, string[]> = {};

	async load(models: ModelRecord[], options: LoadOptions = {}) {
		const ids = models.map((m) => m.model_id);
		this.log.push(`load ${ids.join('+')}`);
		options.onProgress?.({ phase: 'download', progress: 1, text: ids.join(','), elapsedMs: 1 });
		await sleep(1);
		if (options.signal?.aborted) throw new EngineError('aborted', 'load cancelled');
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

	onLost() {
		return () => undefined;
	}
}
