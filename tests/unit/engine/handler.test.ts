import { describe, expect, it, vi } from 'vitest';
import { createHandler } from './singleHost';
import { loadPhase, toStats, toStreamingRequest } from '../../../src/lib/engine/handler';
import type { Request, RequestBody, Response } from '../../../src/lib/engine/protocol';
import type { ModelRecord } from '../../../src/lib/engine/types';
import { FakeEngine } from './fake-engine';

describe('loadPhase', () => {
	it.each([
		['Start to fetch params', 'download'],
		['Fetching param cache[3/24]: 120MB fetched. 12% completed', 'download'],
		['Loading model from cache[3/24]: 120MB loaded. 12% completed', 'gpu-upload'],
		['Loading GPU shader modules[12/88]: 13% completed', 'compile'],
		['Finish loading on WebGPU - swiftshader', 'other']
	])('%s → %s', (text, phase) => expect(loadPhase(text)).toBe(phase));
});

describe('toStreamingRequest', () => {
	it('asks for a stream with usage, and passes thinking through extra_body only when set', () => {
		const request = toStreamingRequest({
			modelId: 'm',
			messages: [],
			settings: { max_tokens: 10 }
		});
		expect(request).toEqual({
			model: 'm',
			messages: [],
			max_tokens: 10,
			stream: true,
			stream_options: { include_usage: true }
		});
	});
});

describe('toStats', () => {
	const measured = { startedAt: 1000, firstTokenAt: 1400, endedAt: 3000, deltas: 9 };
	it('prefers WebLLM figures and fills gaps from our clock', () => {
		expect(toStats(null, measured, 'aborted')).toEqual({
			promptTokens: 0,
			completionTokens: 9,
			timeToFirstTokenMs: 400,
			prefillTokensPerSec: null,
			decodeTokensPerSec: null,
			totalMs: 2000,
			finishReason: 'aborted'
		});
		const stats = toStats(
			{
				prompt_tokens: 5,
				completion_tokens: 10,
				extra: { time_to_first_token_s: 0.1, decode_tokens_per_s: Infinity }
			},
			measured,
			'length'
		);
		expect(stats.timeToFirstTokenMs).toBe(100);
		expect(stats.decodeTokensPerSec).toBeNull();
		expect(stats.finishReason).toBe('length');
	});
});

// The handler driven directly: two purposes (chat, embedding), each with its own engine.
describe('createHandler: embeddings and the two purposes', () => {
	const chatModel: ModelRecord = {
		model: 'https://x/chat/',
		model_id: 'chat',
		model_lib: 'https://x/chat.wasm',
		vram_required_MB: 1000
	};
	const embedModel: ModelRecord = {
		model: 'https://x/embed/',
		model_id: 'embed',
		model_lib: 'https://x/embed.wasm',
		vram_required_MB: 200,
		model_type: 1
	};

	function harness() {
		const engines: FakeEngine[] = [];
		const posted: Array<{ response: Response; transfer?: Transferable[] }> = [];
		const handle = createHandler(
			() => {
				const engine = new FakeEngine();
				engines.push(engine);
				return engine;
			},
			(response, transfer) => posted.push({ response, transfer })
		);
		let nextId = 1;
		/** Sends a request and resolves with its final response (ok or error). */
		async function send(body: RequestBody): Promise<Response> {
			const id = nextId++;
			await handle({ ...body, id } as Request);
			const final = posted.find(
				(p) => p.response.id === id && (p.response.kind === 'ok' || p.response.kind === 'error')
			);
			if (!final) throw new Error(`no answer to ${id}`);
			return final.response;
		}
		return { engines, posted, handle, send, next: () => nextId++ };
	}

	it('loads an embedding model beside the chat model when both fit the budget', async () => {
		const { engines, send } = harness();
		await send({ kind: 'load', models: [chatModel] });
		const answer = await send({ kind: 'load', models: [embedModel], memoryBudgetMB: 4000 });
		expect(answer).toMatchObject({ kind: 'ok', loaded: ['chat', 'embed'] });
		// A second engine holds the embedding model: the chat engine was not reloaded or unloaded.
		expect(engines).toHaveLength(2);
		expect(engines[0]?.reloads).toEqual([['chat']]);
		expect(engines[0]?.unloads).toBe(0);
		expect(engines[1]?.reloads).toEqual([['embed']]);
		expect(await send({ kind: 'loaded' })).toMatchObject({ loaded: ['chat', 'embed'] });
	});

	it('makes them take turns when they do not fit, or when the budget is unknown', async () => {
		for (const budget of [1100, undefined]) {
			const { engines, send } = harness();
			await send({ kind: 'load', models: [chatModel] });
			const answer = await send({
				kind: 'load',
				models: [embedModel],
				...(budget === undefined ? {} : { memoryBudgetMB: budget })
			});
			expect(answer).toMatchObject({ kind: 'ok', loaded: ['embed'] });
			expect(engines[0]?.unloads).toBe(1);
			// And back: loading the chat model (no budget given) unloads the embedding model.
			expect(await send({ kind: 'load', models: [chatModel] })).toMatchObject({
				loaded: ['chat']
			});
			expect(engines[1]?.unloads).toBe(1);
		}
	});

	it('waits for an answer being written before it unloads the chat model', async () => {
		const { engines, handle, send, next, posted } = harness();
		await send({ kind: 'load', models: [chatModel] });
		const chatEngine = engines[0] as FakeEngine;
		chatEngine.tokenDelayMs = 5;
		chatEngine.tokens = Array.from({ length: 10 }, (_, i) => `t${i}`);
		const chatId = next();
		const answering = handle({
			kind: 'chat',
			id: chatId,
			request: { modelId: 'chat', messages: [{ role: 'user', content: 'hi' }] }
		});
		const loaded = send({ kind: 'load', models: [embedModel] });
		await answering;
		expect(await loaded).toMatchObject({ kind: 'ok', loaded: ['embed'] });
		const deltas = posted.filter((p) => p.response.id === chatId && p.response.kind === 'delta');
		expect(deltas).toHaveLength(10);
		const usage = posted.findIndex((p) => p.response.id === chatId && p.response.kind === 'usage');
		const embedLoaded = posted.findIndex((p) => p.response.kind === 'ok' && p.response.id > chatId);
		expect(posted[usage]?.response).toMatchObject({ stats: { finishReason: 'stop' } });
		// The answer ended whole before the chat model made way.
		expect(usage).toBeLessThan(embedLoaded);
		expect(chatEngine.unloads).toBe(1);
	});

	it('embeds in input order and transfers each vector’s own buffer', async () => {
		const { engines, send, posted } = harness();
		await send({ kind: 'load', models: [embedModel] });
		const answer = await send({
			kind: 'embed',
			request: { modelId: 'embed', input: ['one', 'three', 'fifteen'] }
		});
		expect(answer.kind).toBe('ok');
		const message = posted.find((p) => p.response.kind === 'embedded');
		if (message?.response.kind !== 'embedded') throw new Error('no vectors');
		// The fake answers in reverse order with [length, index, 1]: the handler restores the order.
		expect(message.response.vectors.map((v) => [...v])).toEqual([
			[3, 0, 1],
			[5, 1, 1],
			[7, 2, 1]
		]);
		expect(message.response.vectors.every((v) => v instanceof Float32Array)).toBe(true);
		expect(message.transfer).toEqual(message.response.vectors.map((v) => v.buffer));
		expect(new Set(message.transfer).size).toBe(3);
		expect(engines[1]?.embedInputs).toEqual([['one', 'three', 'fifteen']]);
	});

	it('refuses to embed with a model that is not loaded, or not loaded for embedding', async () => {
		const { send } = harness();
		expect(
			await send({ kind: 'embed', request: { modelId: 'embed', input: ['x'] } })
		).toMatchObject({ kind: 'error', error: { code: 'model-not-found' } });
		await send({ kind: 'load', models: [chatModel] });
		expect(await send({ kind: 'embed', request: { modelId: 'chat', input: ['x'] } })).toMatchObject(
			{ kind: 'error', error: { code: 'model-not-found' } }
		);
	});

	it('drops a cancelled embedding, and replaces an engine whose device was lost', async () => {
		const { engines, handle, send, next, posted } = harness();
		await send({ kind: 'load', models: [embedModel] });
		const embedEngine = engines[1] as FakeEngine;
		embedEngine.holdEmbed = true;
		const id = next();
		const embedding = handle({ kind: 'embed', id, request: { modelId: 'embed', input: ['x'] } });
		await vi.waitFor(() => expect(embedEngine.finishEmbed).not.toBeNull());
		await send({ kind: 'cancel', target: id });
		embedEngine.finishEmbed?.();
		await embedding;
		expect(posted.filter((p) => p.response.id === id).map((p) => p.response)).toEqual([
			expect.objectContaining({
				kind: 'error',
				error: expect.objectContaining({ code: 'aborted' })
			})
		]);

		embedEngine.holdEmbed = false;
		embedEngine.embedError = Object.assign(new Error('Device is lost'), {
			name: 'DeviceLostError'
		});
		expect(
			await send({ kind: 'embed', request: { modelId: 'embed', input: ['x'] } })
		).toMatchObject({ error: { code: 'device-lost' } });
		// The embedding engine was replaced and holds nothing; the chat engine was not touched.
		expect(engines).toHaveLength(3);
		expect(await send({ kind: 'loaded' })).toMatchObject({ loaded: [] });
	});

	it('gives a smaller context window to chat models only', async () => {
		const { engines, send } = harness();
		await send({
			kind: 'load',
			models: [chatModel, embedModel],
			contextWindowSize: 2048,
			memoryBudgetMB: 8000
		});
		expect(engines[0]?.reloadOptions).toEqual([
			[{ context_window_size: 2048, sliding_window_size: -1 }]
		]);
		expect(engines[1]?.reloadOptions).toEqual([undefined]);
	});
});
