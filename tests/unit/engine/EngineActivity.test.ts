import { describe, expect, it } from 'vitest';
import { EngineActivity } from '$lib/engine/EngineActivity.svelte';
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
