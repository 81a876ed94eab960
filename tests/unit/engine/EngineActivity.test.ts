import { describe, expect, it } from 'vitest';
import { EngineActivity, type SharedActivity } from '$lib/engine/EngineActivity.svelte';
import { EngineError } from '$lib/engine/errors';
import type { ChatEvent, Engine, ModelRecord } from '$lib/engine/types';

const record = (id: string): ModelRecord => ({
	model: `https://x/${id}`,
	model_id: id,
	model_lib: ''
});
const done: ChatEvent = {
	type: 'done',
	stats: {
		promptTokens: 1,
		completionTokens: 2,
		timeToFirstTokenMs: null,
		prefillTokensPerSec: null,
		decodeTokensPerSec: null,
		totalMs: 1,
		finishReason: 'stop'
	}
};

/** An engine whose load can be made to fail, and whose stream says whether it was stopped. */
class StubEngine implements Engine {
	onGpu: string[] = [];
	failLoad = false;
	streamClosed = false;
	async load(models: ModelRecord[]) {
		this.onGpu = [];
		if (this.failLoad) throw new Error('device lost');
		this.onGpu = models.map((m) => m.model_id);
	}
	async *chat(): AsyncGenerator<ChatEvent> {
		try {
			yield { type: 'delta', text: 'a' };
			yield { type: 'delta', text: 'b' };
			yield done;
		} finally {
			this.streamClosed = true;
		}
	}
	embedded = 0;
	async embed(request: { input: string[] }) {
		this.embedded++;
		return request.input.map(() => new Float32Array(2));
	}
	async interrupt() {}
	async unload() {
		this.onGpu = [];
	}
	async loaded() {
		return this.onGpu;
	}
	#lost = new Set<(error: EngineError) => void>();
	onLost(listener: (error: EngineError) => void) {
		this.#lost.add(listener);
		return () => this.#lost.delete(listener);
	}
	/** The engine ends by itself, as a crashed worker does. */
	crash() {
		this.onGpu = [];
		for (const listener of this.#lost) listener(new EngineError('worker-crashed', 'gone'));
	}
}

describe('EngineActivity', () => {
	it('forgets the loaded models when the engine ends by itself', async () => {
		const inner = new StubEngine();
		const activity = new EngineActivity(inner);
		await activity.load([record('a')]);
		expect(activity.models).toEqual(['a']);
		inner.crash();
		expect(activity.models).toEqual([]);
	});

	it('knows which models are loaded: after a load, a failed load and an unload', async () => {
		const inner = new StubEngine();
		const engine = new EngineActivity(inner);
		expect(engine.models).toEqual([]);
		await engine.load([record('a'), record('b')]);
		expect(engine.models).toEqual(['a', 'b']);
		inner.failLoad = true;
		await expect(engine.load([record('c')])).rejects.toThrow('device lost');
		expect(engine.models).toEqual([]);
		inner.failLoad = false;
		await engine.load([record('a')]);
		await engine.unload();
		expect(engine.models).toEqual([]);
	});

	it('keeps what the engine kept of the other purpose, and counts embeddings in progress', async () => {
		const inner = new StubEngine();
		const engine = new EngineActivity(inner);
		await engine.load([record('chat')]);
		// The engine kept the chat model beside the embedding model (memory allowed it).
		inner.load = async (models: ModelRecord[]) => {
			inner.onGpu = ['chat', ...models.map((m) => m.model_id)];
		};
		await engine.load([{ ...record('embed'), model_type: 1 }]);
		expect(engine.models).toEqual(['chat', 'embed']);
		const pending = engine.embed({ modelId: 'embed', input: ['a', 'b'] });
		expect(engine.embedding).toBe(true);
		expect(await pending).toHaveLength(2);
		expect(engine.embedding).toBe(false);
	});

	it('counts an answer as in progress from its first event until its stream ends', async () => {
		const engine = new EngineActivity(new StubEngine());
		const events: ChatEvent[] = [];
		const seen: boolean[] = [];
		for await (const event of engine.chat({ modelId: 'a', messages: [] })) {
			events.push(event);
			seen.push(engine.answering);
		}
		expect(events.map((e) => e.type)).toEqual(['delta', 'delta', 'done']);
		expect(seen).toEqual([true, true, true]);
		expect(engine.answering).toBe(false);
	});

	it('passes a caller that stops reading on to the engine, and is no longer answering', async () => {
		const inner = new StubEngine();
		const engine = new EngineActivity(inner);
		for await (const event of engine.chat({ modelId: 'a', messages: [] })) {
			if (event.type === 'delta') break;
		}
		expect(inner.streamClosed).toBe(true);
		expect(engine.answering).toBe(false);
	});
});

describe('EngineActivity with the shared engine’s state', () => {
	const shared = (over: Partial<SharedActivity>): SharedActivity => ({
		modelIds: [],
		loading: null,
		answers: 0,
		answersElsewhere: 0,
		embedding: false,
		mode: 'leader',
		tabs: 1,
		hostedHere: true,
		...over
	});

	it('reads the models from the shared state alone: another tab’s swap leaves no stale id here', async () => {
		const state = { current: shared({}) };
		const engine = new EngineActivity(new StubEngine(), {
			get modelIds() {
				return state.current.modelIds;
			},
			get loading() {
				return state.current.loading;
			},
			answers: 0,
			answersElsewhere: 0,
			embedding: false,
			mode: 'leader',
			tabs: 2,
			hostedHere: true
		});
		state.current = shared({ modelIds: ['a'] });
		await engine.load([record('a')]);
		expect(engine.models).toEqual(['a']);
		// Another tab swapped 'a' for 'b', and is loading 'c' beside it.
		state.current = shared({ modelIds: ['b'], loading: { modelIds: ['b', 'c'] } });
		expect(engine.models).toEqual(['b', 'c']);
	});

	it('says what a reload of this tab does to the engine: ends it, hands it over, or leaves it', () => {
		const effect = (over: Partial<SharedActivity>) =>
			new EngineActivity(new StubEngine(), shared(over)).reloadEffect;
		expect(effect({ tabs: 1 })).toBe('ends');
		expect(effect({ mode: null, tabs: 0 })).toBe('ends');
		expect(effect({ tabs: 2, hostedHere: true })).toBe('moves');
		expect(effect({ tabs: 2, hostedHere: false })).toBe('stays');
		expect(effect({ mode: 'shared', tabs: 3, hostedHere: false })).toBe('stays');
		expect(effect({ mode: 'shared', tabs: 1, hostedHere: false })).toBe('ends');
	});

	it('tells this tab’s answers from other tabs’', async () => {
		const engine = new EngineActivity(
			new StubEngine(),
			shared({ answers: 1, answersElsewhere: 1 })
		);
		expect(engine.answering).toBe(true);
		expect(engine.answeringElsewhere).toBe(true);
		expect(engine.answeringHere).toBe(false);
		for await (const event of engine.chat({ modelId: 'a', messages: [] })) {
			if (event.type === 'delta') expect(engine.answeringHere).toBe(true);
		}
		expect(engine.answeringHere).toBe(false);
	});
});
