// One conversation with one loaded model: load with progress, send, stream, stop. The engine is
// handed in, so the same class runs against WebLLM or a test engine.
import { EngineError } from '$lib/engine/errors';
import type { ChatMessage, Engine, LoadProgress, ModelRecord, UsageStats } from '$lib/engine/types';

export interface Turn {
	id: number;
	role: 'user' | 'assistant';
	content: string;
	/** Assistant turns: which model wrote it. */
	modelId?: string;
	/** Assistant turns, once finished. */
	stats?: UsageStats;
}

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'generating';

export class ChatSession {
	#engine: Engine;
	#status = $state<SessionStatus>('idle');
	#progress = $state.raw<LoadProgress | null>(null);
	#error = $state.raw<EngineError | null>(null);
	#loadedModel = $state<string | null>(null);
	#turns = $state<Turn[]>([]);
	#nextId = 1;
	#loadAbort: AbortController | null = null;
	#chatAbort: AbortController | null = null;

	constructor(engine: Engine) {
		this.#engine = engine;
	}

	get status() {
		return this.#status;
	}
	get progress() {
		return this.#progress;
	}
	get error() {
		return this.#error;
	}
	get loadedModel() {
		return this.#loadedModel;
	}
	get turns(): readonly Turn[] {
		return this.#turns;
	}

	async load(model: ModelRecord) {
		this.#loadAbort?.abort();
		const abort = new AbortController();
		this.#loadAbort = abort;
		this.#status = 'loading';
		this.#error = null;
		this.#progress = { phase: 'other', progress: 0, text: '', elapsedMs: 0 };
		this.#loadedModel = null;
		try {
			await this.#engine.load([model], {
				signal: abort.signal,
				onProgress: (p) => (this.#progress = p)
			});
			this.#loadedModel = model.model_id;
			this.#status = 'ready';
		} catch (error) {
			if (this.#loadAbort !== abort) return;
			this.#status = 'idle';
			this.#fail(error);
		} finally {
			if (this.#loadAbort === abort) {
				this.#loadAbort = null;
				this.#progress = null;
			}
		}
	}

	cancelLoad() {
		this.#loadAbort?.abort();
	}

	async send(text: string) {
		const modelId = this.#loadedModel;
		const content = text.trim();
		if (!modelId || !content || this.#status !== 'ready') return;
		this.#error = null;
		this.#turns.push({ id: this.#nextId++, role: 'user', content });
		const history: ChatMessage[] = this.#turns.map((t) =>
			t.role === 'user'
				? { role: 'user', content: t.content }
				: { role: 'assistant', content: t.content }
		);
		this.#turns.push({ id: this.#nextId++, role: 'assistant', content: '', modelId });
		// Read back through the proxy so that writes below are reactive.
		const answer = this.#turns[this.#turns.length - 1] as Turn;
		const abort = new AbortController();
		this.#chatAbort = abort;
		this.#status = 'generating';
		try {
			for await (const event of this.#engine.chat(
				{ modelId, messages: history },
				{ signal: abort.signal }
			)) {
				if (event.type === 'delta') answer.content += event.text;
				else answer.stats = event.stats;
			}
			this.#status = 'ready';
		} catch (error) {
			const code = this.#fail(error);
			// A lost device or a crashed worker takes the loaded model with it.
			if (code === 'device-lost' || code === 'worker-crashed') {
				this.#loadedModel = null;
				this.#status = 'idle';
			} else this.#status = 'ready';
		} finally {
			this.#chatAbort = null;
		}
	}

	stop() {
		this.#chatAbort?.abort();
	}

	#fail(error: unknown): EngineError['code'] {
		const e = error instanceof EngineError ? error : new EngineError('unknown', String(error));
		if (e.code !== 'aborted') this.#error = e;
		return e.code;
	}
}
