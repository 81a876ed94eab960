// The page-side client against the real worker handler, joined by an in-memory "worker": this tests
// the protocol end to end without a browser.
import { describe, expect, it, vi } from 'vitest';
import { EngineClient } from '../../../src/lib/engine/client';
import { EngineError } from '../../../src/lib/engine/errors';
import { createHost } from '../../../src/lib/engine/host';
import { createHandler } from './singleHost';
import type { Request } from '../../../src/lib/engine/protocol';
import type { ChatEvent, ModelRecord } from '../../../src/lib/engine/types';
import { FakeEngine } from './fake-engine';

const model: ModelRecord = { model: 'https://x/m/', model_id: 'm', model_lib: 'https://x/m.wasm' };

function connect(engines: FakeEngine[]) {
	let created = 0;
	const workers: Array<{ terminated: boolean }> = [];
	/** Each worker's lifeline, by worker index: calling it is that worker ending (lifeline.ts). */
	const ends: Array<(detail: string) => void> = [];
	// Each link is a fresh "worker": a host with its own engine, reached in memory.
	const client = new EngineClient((_client, events) => {
		const worker = { terminated: false };
		const engine = engines[created++] ?? new FakeEngine();
		const handle = createHandler(
			() => engine,
			(response) => queueMicrotask(() => events.message(response))
		);
		workers.push(worker);
		ends.push((detail) => events.down(detail));
		return {
			post: (request: Request) => void handle(request),
			close: () => (worker.terminated = true)
		};
	});
	return {
		client,
		workers,
		/** Worker `i` ends without an error event (closed, or stopped by the browser). */
		end: (i: number) => ends[i]?.('the engine host stopped'),
		crash: (i: number) => ends[i]?.('boom')
	};
}

/** Like `connect`, but each worker's handler asks `create` for every engine it makes. */
function connectEach(create: () => FakeEngine) {
	const client = new EngineClient((_client, events) => {
		const handle = createHandler(create, (response) =>
			queueMicrotask(() => events.message(response))
		);
		return { post: (request: Request) => void handle(request), close: () => undefined };
	});
	return { client };
}

async function collect(stream: AsyncIterable<ChatEvent>) {
	const events: ChatEvent[] = [];
	for await (const event of stream) events.push(event);
	return events;
}

describe('EngineClient + host', () => {
	it('loads with progress and streams deltas then stats', async () => {
		const engine = new FakeEngine();
		const { client } = connect([engine]);
		const progress: string[] = [];
		await client.load([model], {
			onProgress: (p) => progress.push(`${p.phase} ${p.progress} ${p.elapsedMs}`)
		});
		expect(progress).toEqual(['download 0.5 1500']);
		expect(await client.loaded()).toEqual(['m']);

		const events = await collect(
			client.chat({
				modelId: 'm',
				messages: [{ role: 'user', content: 'hi' }],
				settings: { temperature: 0.2, enable_thinking: false }
			})
		);
		expect(events.slice(0, 3)).toEqual([
			{ type: 'delta', text: 'a' },
			{ type: 'delta', text: 'b' },
			{ type: 'delta', text: 'c' }
		]);
		const done = events[3];
		expect(done?.type).toBe('done');
		if (done?.type !== 'done') return;
		expect(done.stats).toMatchObject({
			promptTokens: 7,
			completionTokens: 3,
			timeToFirstTokenMs: 250,
			prefillTokensPerSec: 300,
			decodeTokensPerSec: 40,
			finishReason: 'stop'
		});
		expect(engine.requests[0]).toMatchObject({
			model: 'm',
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.2,
			extra_body: { enable_thinking: false }
		});
	});

	it('breaking out of the stream interrupts the generation and frees the model', async () => {
		const engine = new FakeEngine();
		engine.tokens = Array.from({ length: 50 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		const { client } = connect([engine]);
		await client.load([model]);
		let seen = 0;
		for await (const event of client.chat({
			modelId: 'm',
			messages: [{ role: 'user', content: 'x' }]
		})) {
			if (event.type === 'delta' && ++seen === 3) break;
		}
		expect(engine.interrupts).toBe(1);
		const events = await collect(
			client.chat({ modelId: 'm', messages: [{ role: 'user', content: 'y' }] })
		);
		expect(events.at(-1)).toMatchObject({
			type: 'done',
			stats: { finishReason: 'stop', completionTokens: 50 }
		});
	});

	it('an aborted signal ends the stream with finishReason "aborted"', async () => {
		const engine = new FakeEngine();
		engine.tokens = Array.from({ length: 50 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		const { client } = connect([engine]);
		await client.load([model]);
		const abort = new AbortController();
		const events: ChatEvent[] = [];
		for await (const event of client.chat(
			{ modelId: 'm', messages: [{ role: 'user', content: 'x' }] },
			{ signal: abort.signal }
		)) {
			events.push(event);
			if (events.length === 2) abort.abort();
		}
		const done = events.at(-1);
		expect(done).toMatchObject({ type: 'done', stats: { finishReason: 'aborted' } });
		expect(events.filter((e) => e.type === 'delta').length).toBeLessThan(50);
	});

	it('cancelling a load unloads and rejects with "aborted"', async () => {
		const engine = new FakeEngine();
		engine.holdReload = true;
		const { client } = connect([engine]);
		const abort = new AbortController();
		const loading = client.load([model], { signal: abort.signal });
		await vi.waitFor(() => expect(engine.reloads).toHaveLength(1));
		abort.abort();
		await expect(loading).rejects.toMatchObject({ code: 'aborted' });
		// Unloaded when cancelled (and again if the reload finished regardless).
		expect(engine.unloads).toBeGreaterThan(0);
		expect(await client.loaded()).toEqual([]);
	});

	it('a lost device rejects with a typed error and the next load gets a fresh engine', async () => {
		const broken = new FakeEngine();
		const lost = new Error('The WebGPU device was lost while loading the model.');
		lost.name = 'DeviceLostError';
		broken.reloadError = lost;
		const { client } = connect([broken]);
		const error = await client.load([model]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(EngineError);
		expect((error as EngineError).code).toBe('device-lost');
	});

	it('chat on a model that is not loaded is refused in words, not a crash', async () => {
		const { client } = connect([new FakeEngine()]);
		await expect(collect(client.chat({ modelId: 'nope', messages: [] }))).rejects.toMatchObject({
			code: 'model-not-found'
		});
	});

	it('a crashed worker fails pending requests and is restarted on the next call', async () => {
		const first = new FakeEngine();
		first.holdReload = true;
		const { client, workers, crash } = connect([first, new FakeEngine()]);
		const loading = client.load([model]);
		await vi.waitFor(() => expect(first.reloads).toHaveLength(1));
		crash(0);
		await expect(loading).rejects.toMatchObject({ code: 'worker-crashed' });
		expect(workers[0]?.terminated).toBe(true);
		await client.load([model]);
		expect(workers).toHaveLength(2);
		expect(await client.loaded()).toEqual(['m']);
	});

	it('a load with a smaller context window passes it to the engine for each model', async () => {
		const engine = new FakeEngine();
		const { client } = connect([engine]);
		await client.load([model], { contextWindowSize: 2048 });
		await client.load([model]);
		expect(engine.reloadOptions).toEqual([
			[{ context_window_size: 2048, sliding_window_size: -1 }],
			undefined
		]);
	});

	it('a worker that ends without a word fails the answer in flight, keeping what streamed', async () => {
		const first = new FakeEngine();
		first.tokens = Array.from({ length: 50 }, (_, i) => `t${i}`);
		first.tokenDelayMs = 2;
		const { client, workers, end } = connect([first, new FakeEngine()]);
		await client.load([model]);
		const received: string[] = [];
		const answer = (async () => {
			for await (const event of client.chat({ modelId: 'm', messages: [] })) {
				if (event.type === 'delta') received.push(event.text);
				if (received.length === 2) end(0);
			}
		})();
		await expect(answer).rejects.toMatchObject({ code: 'worker-crashed' });
		expect(received.slice(0, 2)).toEqual(['t0', 't1']);
		expect(workers[0]?.terminated).toBe(true);
		// The next call starts a fresh worker, which works.
		await client.load([model]);
		expect(workers).toHaveLength(2);
		expect(await client.loaded()).toEqual(['m']);
	});

	it('a host that ran in another tab (leader mode) ends as host-closed: that tab closed', async () => {
		const engine = new FakeEngine();
		engine.tokens = Array.from({ length: 50 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		let down = (_detail: string) => undefined as void;
		// The engine runs in the tab `another-tab`, not this one: its state says so.
		const client = new EngineClient((id, events) => {
			const host = createHost(() => engine, {
				host: 'h',
				mode: 'leader',
				hostTab: 'another-tab',
				lifeline: ''
			});
			const handle = host.connect(id, (response) => queueMicrotask(() => events.message(response)));
			down = (detail) => events.down(detail);
			return { post: (request: Request) => void handle(request), close: () => undefined };
		});
		await client.load([model]);
		expect(client.state?.hostTab).toBe('another-tab');
		expect(client.hostedHere).toBe(false);
		const lost: string[] = [];
		client.onLost((error) => lost.push(error.code));
		const received: string[] = [];
		const answer = (async () => {
			for await (const event of client.chat({ modelId: 'm', messages: [] })) {
				if (event.type === 'delta') received.push(event.text);
				if (received.length === 2) down('the engine host stopped');
			}
		})();
		await expect(answer).rejects.toMatchObject({ code: 'host-closed' });
		expect(received.slice(0, 2)).toEqual(['t0', 't1']);
		expect(lost).toEqual(['host-closed']);
	});

	it('a worker that ends while idle is reported at once, not at the next request', async () => {
		const { client, end } = connect([new FakeEngine(), new FakeEngine()]);
		await client.load([model]);
		const lost: string[] = [];
		const stop = client.onLost((error) => lost.push(error.code));
		end(0);
		await vi.waitFor(() => expect(lost).toEqual(['worker-crashed']));
		// Unsubscribed: the next worker's end is not reported to it (another listener hears it).
		stop();
		const heard: string[] = [];
		client.onLost((error) => heard.push(error.code));
		await client.load([model]);
		end(1);
		await vi.waitFor(() => expect(heard).toEqual(['worker-crashed']));
		expect(lost).toEqual(['worker-crashed']);
	});

	it('the end of a worker the page stopped itself does not fail the next one', async () => {
		const second = new FakeEngine();
		second.holdReload = true;
		const { client, end } = connect([new FakeEngine(), second]);
		await client.load([model]);
		client.terminate();
		const loading = client.load([model]);
		await vi.waitFor(() => expect(second.reloads).toHaveLength(1));
		end(0);
		second.finishReload?.();
		await expect(loading).resolves.toBeUndefined();
	});

	it('stopping one of two concurrent answers leaves the other running', async () => {
		const engine = new FakeEngine();
		engine.tokens = Array.from({ length: 30 }, (_, i) => `t${i}`);
		engine.tokenDelayMs = 2;
		const { client } = connect([engine]);
		const other: ModelRecord = { ...model, model_id: 'n' };
		await client.load([model, other]);
		const stop = new AbortController();
		const run = async (modelId: string, signal?: AbortSignal) => {
			const events: ChatEvent[] = [];
			for await (const event of client.chat(
				{ modelId, messages: [{ role: 'user', content: 'q' }] },
				{ signal }
			)) {
				events.push(event);
				if (modelId === 'm' && events.length === 3) stop.abort();
			}
			return events.at(-1);
		};
		const [stopped, finished] = await Promise.all([run('m', stop.signal), run('n')]);
		expect(stopped).toMatchObject({ type: 'done', stats: { finishReason: 'aborted' } });
		expect(finished).toMatchObject({
			type: 'done',
			stats: { finishReason: 'stop', completionTokens: 30 }
		});
		expect(engine.interrupts).toBe(0);
	});

	it('runs one generation per model at a time', async () => {
		const engine = new FakeEngine();
		engine.tokenDelayMs = 3;
		const { client } = connect([engine]);
		await client.load([model]);
		const order: string[] = [];
		const run = async (tag: string) => {
			for await (const event of client.chat({
				modelId: 'm',
				messages: [{ role: 'user', content: tag }]
			})) {
				if (event.type === 'delta') order.push(`${tag}${event.text}`);
			}
		};
		await Promise.all([run('x'), run('y')]);
		expect(order).toEqual(['xa', 'xb', 'xc', 'ya', 'yb', 'yc']);
	});

	it('embeds through the worker, and an abort answers at once without waiting for the batch', async () => {
		const chatEngine = new FakeEngine();
		const embedEngine = new FakeEngine();
		const engines = [chatEngine, embedEngine];
		const { client } = connectEach(() => engines.shift() ?? new FakeEngine());
		const embedder: ModelRecord = { ...model, model_id: 'e', model_type: 1 };
		await client.load([embedder]);
		const vectors = await client.embed({ modelId: 'e', input: ['ab', 'abcd'] });
		expect(vectors.map((v) => [...v])).toEqual([
			[2, 0, 1],
			[4, 1, 1]
		]);

		embedEngine.holdEmbed = true;
		const abort = new AbortController();
		const pending = client.embed({ modelId: 'e', input: ['x'] }, { signal: abort.signal });
		await vi.waitFor(() => expect(embedEngine.finishEmbed).not.toBeNull());
		abort.abort();
		await expect(pending).rejects.toMatchObject({ code: 'aborted' });
		// The worker is free again once the batch it could not stop ends.
		embedEngine.holdEmbed = false;
		embedEngine.finishEmbed?.();
		expect(await client.embed({ modelId: 'e', input: ['xyz'] })).toHaveLength(1);
		await expect(client.embed({ modelId: 'missing', input: ['x'] })).rejects.toMatchObject({
			code: 'model-not-found'
		});
	});
});
