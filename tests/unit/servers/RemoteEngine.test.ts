// The remote engine against a local server that answers like Ollama, llama.cpp's server, vLLM or a
// key-checking gateway (tests/fixtures/openai-server.ts): Node 20's fetch streams like a browser's.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent, UsageStats } from '$lib/engine/types';
import { RemoteError } from '$lib/servers/errors';
import { RemoteEngine } from '$lib/servers/RemoteEngine';
import { remoteRecord } from '$lib/servers/types';
import {
	startOpenAiServer,
	type Flavour,
	type OpenAiServer,
	type OpenAiServerOptions
} from '../../fixtures/openai-server';

let servers: OpenAiServer[] = [];
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

async function start(options: OpenAiServerOptions) {
	const server = await startOpenAiServer(options);
	servers.push(server);
	return server;
}

const MODEL = 'llama3.1:70b';

/** A remote engine for `server`, with the retries' waits recorded instead of waited. */
function engineFor(server: OpenAiServer, apiKey?: string) {
	const waits: number[] = [];
	const engine = new RemoteEngine(
		{ baseUrl: server.url, ...(apiKey ? { apiKey } : {}) },
		{ page: { protocol: 'http:' }, sleep: async (ms) => void waits.push(ms) }
	);
	const record = remoteRecord({ id: 's1', baseUrl: server.url }, { name: MODEL });
	return { engine, record, waits };
}

async function collect(stream: AsyncIterable<ChatEvent>) {
	let text = '';
	let stats: UsageStats | null = null;
	let error: unknown = null;
	try {
		for await (const event of stream) {
			if (event.type === 'delta') text += event.text;
			else stats = event.stats;
		}
	} catch (e) {
		error = e;
	}
	return { text, stats, error };
}

const ask = (modelId: string, content = 'Hi') => ({
	modelId,
	messages: [{ role: 'user' as const, content }],
	settings: { temperature: 0.3, max_tokens: 50 }
});

const FLAVOURS: Array<[string, Partial<OpenAiServerOptions> & { flavour: Flavour }]> = [
	['Ollama', { flavour: 'ollama' }],
	['Ollama before 0.32.6 (role on every chunk)', { flavour: 'ollama', oldOllama: true }],
	['llama.cpp', { flavour: 'llamacpp' }],
	['vLLM', { flavour: 'vllm' }],
	[
		'vLLM up to 0.10 (reasoning_content)',
		{ flavour: 'vllm', vllmReasoningField: 'reasoning_content' }
	],
	['a gateway with a key', { flavour: 'openai', apiKey: 'sk-test' }]
];

describe.each(FLAVOURS)('RemoteEngine with %s', (_name, flavour) => {
	it('loads by asking for the model list, then streams an answer with the server’s numbers', async () => {
		const server = await start({ ...flavour, models: [{ name: MODEL }] });
		const { engine, record } = engineFor(server, flavour.apiKey);
		await engine.load([record]);
		expect(await engine.loaded()).toEqual([record.model_id]);
		const { text, stats, error } = await collect(engine.chat(ask(record.model_id)));
		expect(error).toBeNull();
		expect(text).toBe('Hello from the server.');
		expect(stats).toMatchObject({ promptTokens: 17, completionTokens: 5, finishReason: 'stop' });
		expect(stats?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
		if (flavour.flavour === 'llamacpp')
			expect(stats).toMatchObject({ prefillTokensPerSec: 850, decodeTokensPerSec: 48.5 });
		const request = server.requests.find((r) => r.path === '/v1/chat/completions');
		expect(request?.body).toMatchObject({
			model: MODEL,
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.3,
			max_tokens: 50,
			messages: [{ role: 'user', content: 'Hi' }]
		});
		if (flavour.apiKey) expect(request?.headers.authorization).toBe(`Bearer ${flavour.apiKey}`);
	});

	it('shows reasoning folded the app’s way: between think tags, before the answer', async () => {
		const server = await start({
			...flavour,
			models: [{ name: MODEL }],
			script: { reasoning: ['Count', 'ing.'], tokens: ['Two', '.'] }
		});
		const { engine, record } = engineFor(server, flavour.apiKey);
		await engine.load([record]);
		const { text, stats } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('<think>Counting.</think>Two.');
		expect(stats?.completionTokens).toBe(4);
	});

	it('keeps what came and ends with a typed error when the server vanishes mid-answer', async () => {
		const server = await start({ ...flavour, models: [{ name: MODEL }], script: { cutAfter: 2 } });
		const { engine, record } = engineFor(server, flavour.apiKey);
		await engine.load([record]);
		const { text, stats, error } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('Hello from');
		expect(stats).toBeNull();
		expect(error).toBeInstanceOf(RemoteError);
		expect(error).toMatchObject({ remoteCode: 'lost', code: 'server-lost' });
	});

	it('keeps what came and says the server’s words for an error event mid-answer', async () => {
		const server = await start({
			...flavour,
			models: [{ name: MODEL }],
			script: { errorAfter: 3 }
		});
		const { engine, record } = engineFor(server, flavour.apiKey);
		await engine.load([record]);
		const { text, error } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('Hello from the');
		expect(error).toMatchObject({
			remoteCode: 'stream-error',
			code: 'server-error',
			detail: 'the model crashed'
		});
	});
});

describe('RemoteEngine', () => {
	it('says by name that a model is not on the server when it is loaded, and downloads nothing', async () => {
		const server = await start({ flavour: 'ollama', models: [{ name: 'llama3.2:3b' }] });
		const { engine, record } = engineFor(server);
		const error = await engine.load([record]).catch((e: unknown) => e);
		expect(error).toMatchObject({ remoteCode: 'model-gone', code: 'model-not-found' });
		expect((error as RemoteError).facts.model).toBe(MODEL);
		expect(await engine.loaded()).toEqual([]);
		expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
	});

	it.each(['ollama', 'vllm'] as const)(
		'says by name that a model was removed from the server (%s’s 404) before answering',
		async (flavour) => {
			const server = await start({ flavour, models: [{ name: MODEL }] });
			const { engine, record } = engineFor(server);
			await engine.load([record]);
			server.set({ models: [{ name: 'other' }] });
			const { error } = await collect(engine.chat(ask(record.model_id)));
			expect(error).toMatchObject({ remoteCode: 'model-gone', code: 'model-not-found' });
			expect((error as RemoteError).facts).toMatchObject({ model: MODEL, status: 404 });
		}
	);

	it('refuses to answer for a model it was not given, like the in-browser engine', async () => {
		const server = await start({ flavour: 'vllm' });
		const { engine } = engineFor(server);
		const { error } = await collect(engine.chat(ask('127.0.0.1:1/x')));
		expect(error).toMatchObject({ code: 'model-not-found' });
		expect(server.requests).toEqual([]);
	});

	it('stops when asked: the answer ends as aborted, keeping what came, and the request is cancelled', async () => {
		const server = await start({
			flavour: 'vllm',
			models: [{ name: MODEL }],
			script: { tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), tokenMs: 5 }
		});
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const stop = new AbortController();
		let text = '';
		let stats: UsageStats | null = null;
		for await (const event of engine.chat(ask(record.model_id), { signal: stop.signal })) {
			if (event.type === 'delta') {
				text += event.text;
				if (text.startsWith('t0 t1 t2 ')) stop.abort();
			} else stats = event.stats;
		}
		expect(text.startsWith('t0 t1 t2 ')).toBe(true);
		expect(text.length).toBeLessThan(200 * 3);
		expect(stats).toMatchObject({ finishReason: 'aborted', completionTokens: 3 });
		await expect.poll(() => server.requests.at(-1)?.abandoned).toBe(true);
	});

	it('stops every answer on interrupt(), and cancels a request whose reader left early', async () => {
		const server = await start({
			flavour: 'llamacpp',
			models: [{ name: MODEL }],
			script: { tokens: Array.from({ length: 100 }, () => 'x'), tokenMs: 5 }
		});
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const stream = engine.chat(ask(record.model_id));
		const first = await stream.next();
		expect(first.value).toEqual({ type: 'delta', text: 'x' });
		await engine.interrupt();
		const rest = await collect(stream);
		expect(rest.stats?.finishReason).toBe('aborted');

		await expect.poll(() => server.requests.at(-1)?.abandoned).toBe(true);

		// Leaving the loop early (return()) also ends the request.
		for await (const event of engine.chat(ask(record.model_id))) {
			expect(event.type).toBe('delta');
			break;
		}
		await expect.poll(() => server.requests.at(-1)?.abandoned).toBe(true);
		const { text, stats } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('x'.repeat(100));
		expect(stats?.finishReason).toBe('stop');
		expect(server.requests.at(-1)?.abandoned).toBeUndefined();
	});

	it('tries a 429 again after the Retry-After the server asks for, then answers', async () => {
		const server = await start({ flavour: 'vllm', models: [{ name: MODEL }] });
		const { engine, record, waits } = engineFor(server);
		await engine.load([record]);
		server.fail(429, { retryAfter: '2', path: '/chat/completions' });
		const { text, error } = await collect(engine.chat(ask(record.model_id)));
		expect(error).toBeNull();
		expect(text).toBe('Hello from the server.');
		expect(waits).toEqual([2_000]);
		expect(server.count('/chat/completions')).toBe(2);
	});

	it('says when an answer waits to try again, and when the wait is over', async () => {
		const server = await start({ flavour: 'ollama', models: [{ name: MODEL }] });
		const told: Array<{ status: number; delayMs: number } | null> = [];
		const engine = new RemoteEngine(
			{ baseUrl: server.url },
			{ page: { protocol: 'http:' }, sleep: async () => undefined, onRetry: (w) => told.push(w) }
		);
		const record = remoteRecord({ id: 's1', baseUrl: server.url }, { name: MODEL });
		await engine.load([record]);
		server.fail(503, { path: '/chat/completions' });
		server.fail(429, { retryAfter: '5', path: '/chat/completions' });
		const { error } = await collect(engine.chat(ask(record.model_id)));
		expect(error).toBeNull();
		expect(told).toEqual([
			{ status: 503, delayMs: 1_000 },
			null,
			{ status: 429, delayMs: 5_000 },
			null
		]);
	});

	it('gives up on a 503 after the two retries of the download manager, saying so', async () => {
		const server = await start({ flavour: 'ollama', models: [{ name: MODEL }] });
		const { engine, record, waits } = engineFor(server);
		await engine.load([record]);
		server.fail(503, { times: 3, path: '/chat/completions' });
		const { text, error } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('');
		expect(error).toMatchObject({ remoteCode: 'server-error', code: 'server-error' });
		expect(waits).toEqual([1_000, 3_000]);
		expect(server.count('/chat/completions')).toBe(3);
	});

	it('does not wait for a Retry-After longer than 30 s: the user is told instead', async () => {
		const server = await start({ flavour: 'vllm', models: [{ name: MODEL }] });
		const { engine, record, waits } = engineFor(server);
		await engine.load([record]);
		server.fail(429, { retryAfter: '120', path: '/chat/completions' });
		const { error } = await collect(engine.chat(ask(record.model_id)));
		expect(error).toMatchObject({ remoteCode: 'rate-limited' });
		expect(waits).toEqual([]);
	});

	it('needs the key vLLM was started with: refused without it (401), answers with it', async () => {
		const server = await start({ flavour: 'vllm', apiKey: 'secret', models: [{ name: MODEL }] });
		const without = engineFor(server);
		const refused = await without.engine.load([without.record]).catch((e: unknown) => e);
		expect(refused).toMatchObject({ remoteCode: 'unauthorized', facts: { withKey: false } });
		const wrong = engineFor(server, 'nope');
		expect(await wrong.engine.load([wrong.record]).catch((e: unknown) => e)).toMatchObject({
			remoteCode: 'unauthorized',
			facts: { withKey: true }
		});
		const right = engineFor(server, 'secret');
		await right.engine.load([right.record]);
		expect((await collect(right.engine.chat(ask(right.record.model_id)))).text).toBe(
			'Hello from the server.'
		);
	});

	it('waits for a slow first token through keep-alive comments, and measures it', async () => {
		const server = await start({
			flavour: 'llamacpp',
			models: [{ name: MODEL }],
			script: { firstTokenMs: 300, keepAliveMs: 50, tokens: ['Late', '.'] }
		});
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const { text, stats } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('Late.');
		expect(stats?.timeToFirstTokenMs).toBeGreaterThanOrEqual(250);
	});

	it('counts the tokens when the server sends no usage', async () => {
		const server = await start({
			flavour: 'ollama',
			models: [{ name: MODEL }],
			script: { tokens: ['a', 'b', 'c'], noUsage: true, tokenMs: 10 }
		});
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const { stats } = await collect(engine.chat(ask(record.model_id)));
		expect(stats).toMatchObject({ promptTokens: 0, completionTokens: 3 });
		expect(stats?.decodeTokensPerSec).toBeGreaterThan(0);
	});

	it('takes a whole answer from a server that does not stream', async () => {
		const server = await start({
			flavour: 'openai',
			models: [{ name: MODEL }],
			script: { whole: true, tokens: ['All ', 'at ', 'once.'] }
		});
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const { text, stats } = await collect(engine.chat(ask(record.model_id)));
		expect(text).toBe('All at once.');
		expect(stats).toMatchObject({ promptTokens: 17, completionTokens: 3, finishReason: 'stop' });
	});

	it('says nothing is listening once the server is gone, and never reports itself lost', async () => {
		const server = await start({ flavour: 'ollama', models: [{ name: MODEL }] });
		const { engine, record } = engineFor(server);
		const lost: unknown[] = [];
		engine.onLost((e) => lost.push(e));
		await engine.load([record]);
		await server.close();
		servers = servers.filter((s) => s !== server);
		const { error } = await collect(engine.chat(ask(record.model_id)));
		expect(error).toMatchObject({ remoteCode: 'unreachable', code: 'server-lost' });
		expect(lost).toEqual([]);
		expect(await engine.loaded()).toEqual([record.model_id]);
		await engine.unload();
		expect(await engine.loaded()).toEqual([]);
	});

	it('embeds texts through POST /embeddings, one vector per text in order', async () => {
		const server = await start({ flavour: 'vllm', models: [{ name: MODEL }] });
		const { engine, record } = engineFor(server);
		await engine.load([record]);
		const vectors = await engine.embed({ modelId: record.model_id, input: ['ab', 'xyz'] });
		expect(vectors.map((v) => [...v])).toEqual([
			[2, 97, 1, 0],
			[3, 120, 1, 0]
		]);
		expect(vectors[0]).toBeInstanceOf(Float32Array);
		const request = server.requests.find((r) => r.path === '/v1/embeddings');
		expect(request?.body).toEqual({ model: MODEL, input: ['ab', 'xyz'], encoding_format: 'float' });
		await expect(engine.embed({ modelId: 'not-loaded', input: ['a'] })).rejects.toMatchObject({
			code: 'model-not-found'
		});
	});

	it('keeps a chat model selected when an embedding model of the same server is loaded', async () => {
		const server = await start({
			flavour: 'vllm',
			models: [{ name: MODEL }, { name: 'nomic-embed-text' }]
		});
		const { engine, record } = engineFor(server);
		const embedder = {
			...remoteRecord({ id: 's1', baseUrl: server.url }, { name: 'nomic-embed-text' }),
			model_type: 1
		};
		await engine.load([record]);
		await engine.load([embedder]);
		expect((await engine.loaded()).sort()).toEqual([record.model_id, embedder.model_id].sort());
		expect((await collect(engine.chat(ask(record.model_id)))).error).toBeNull();
		// Another chat model replaces the chat model only.
		await engine.load([record]);
		expect(await engine.embed({ modelId: embedder.model_id, input: ['a'] })).toHaveLength(1);
	});
});
