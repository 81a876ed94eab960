// One pane of a comparison: a model and its own conversation. The session (CompareSession) is the
// only writer; components read.
import type { EngineError } from '$lib/engine/errors';
import type { LoadProgress, ModelRecord, UsageStats } from '$lib/engine/types';
import type { PaneMessage } from './types';

/**
 * - `idle`: nothing asked yet, or the last answer is complete.
 * - `waiting`: its turn comes after other models (not enough memory to run together).
 * - `loading` / `generating`: what it says.
 * - `stopped`: the user stopped it; its partial answer is kept.
 * - `error`: the last answer failed; `error` says why.
 */
export type PaneStatus = 'idle' | 'waiting' | 'loading' | 'generating' | 'stopped' | 'error';

export class PaneState {
	readonly record: ModelRecord;
	#messages = $state<PaneMessage[]>([]);
	#status = $state<PaneStatus>('idle');
	/** Panes this one waits for (indexes into the session's panes). */
	#waitingFor = $state.raw<number[]>([]);
	#progress = $state.raw<LoadProgress | null>(null);
	#error = $state.raw<EngineError | null>(null);
	#abort: AbortController | null = null;

	constructor(record: ModelRecord, messages: PaneMessage[] = []) {
		this.record = record;
		this.#messages = messages;
	}

	get modelId() {
		return this.record.model_id;
	}
	get messages(): readonly PaneMessage[] {
		return this.#messages;
	}
	get status() {
		return this.#status;
	}
	get waitingFor() {
		return this.#waitingFor;
	}
	get progress() {
		return this.#progress;
	}
	get error() {
		return this.#error;
	}
	get busy() {
		return (
			this.#status === 'waiting' || this.#status === 'loading' || this.#status === 'generating'
		);
	}
	/** The last answer, if any. */
	get answer(): PaneMessage | undefined {
		const last = this.#messages[this.#messages.length - 1];
		return last?.role === 'assistant' ? last : undefined;
	}
	get signal() {
		return this.#abort?.signal;
	}

	/** Starts a turn: the question, an empty answer, and a fresh stop switch. */
	ask(prompt: string, waitingFor: number[]) {
		this.#messages.push({ role: 'user', content: prompt }, { role: 'assistant', content: '' });
		this.#abort = new AbortController();
		this.#error = null;
		this.#waitingFor = waitingFor;
		this.#status = waitingFor.length ? 'waiting' : 'loading';
	}

	loading(progress: LoadProgress | null) {
		if (this.#status === 'stopped') return;
		this.#status = 'loading';
		this.#waitingFor = [];
		this.#progress = progress;
	}

	generating(loadMs: number | null) {
		this.#status = 'generating';
		this.#progress = null;
		this.#waitingFor = [];
		const answer = this.#messages[this.#messages.length - 1];
		if (answer) answer.loadMs = loadMs;
	}

	append(text: string) {
		const answer = this.#messages[this.#messages.length - 1];
		if (answer) answer.content += text;
	}

	finish(stats: UsageStats | null, error: EngineError | null) {
		const answer = this.#messages[this.#messages.length - 1];
		if (answer && stats) answer.stats = stats;
		this.#progress = null;
		this.#waitingFor = [];
		if (error && error.code !== 'aborted') {
			if (answer) answer.errorCode = error.code;
			this.#error = error;
			this.#status = 'error';
		} else if (error || stats?.finishReason === 'aborted') this.#status = 'stopped';
		else this.#status = 'idle';
		this.#abort = null;
	}

	/** Stops this pane only: a waiting pane will not run, a running answer ends where it is. */
	stop() {
		this.#abort?.abort();
		if (this.#status === 'waiting' || this.#status === 'loading') {
			this.#status = 'stopped';
			this.#waitingFor = [];
			this.#progress = null;
		}
	}
}
