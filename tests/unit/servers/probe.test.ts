import { describe, expect, it } from 'vitest';
import { RemoteError } from '$lib/servers/errors';
import type { FetchFn } from '$lib/servers/http';
import { listModels, parseModelList } from '$lib/servers/probe';

const HOSTS = ['http://127.0.0.1:*', 'https://gpu.example.org'];
const page = { protocol: 'http:' };
const server = { baseUrl: 'http://127.0.0.1:11434/v1' };

/** A fetch that answers `answer` for normal requests and `noCors` for `mode: 'no-cors'` ones. */
function fakeFetch(
	answer: () => Promise<Response>,
	noCors: () => Promise<Response> = answer
): FetchFn & { calls: Array<{ url: string; init?: RequestInit }> } {
	const calls: Array<{ url: string; init?: RequestInit }> = [];
	const fn = ((url: string, init?: RequestInit) => {
		calls.push({ url, ...(init ? { init } : {}) });
		return init?.mode === 'no-cors' ? noCors() : answer();
	}) as FetchFn & { calls: typeof calls };
	fn.calls = calls;
	return fn;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
	Promise.resolve(
		new Response(JSON.stringify(body), {
			status,
			headers: { 'content-type': 'application/json', ...headers }
		})
	);
const typeError = () => Promise.reject(new TypeError('Failed to fetch'));
const opaque = () => Promise.resolve(new Response(null, { status: 200 }));

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(RemoteError);
	return error as RemoteError;
}

describe('parseModelList', () => {
	it('reads the OpenAI list, once per id, with vLLM’s max_model_len as the context window', () => {
		expect(
			parseModelList({
				object: 'list',
				data: [
					{ id: 'llama3.2:latest', object: 'model', owned_by: 'library' },
					{ id: 'meta-llama/Llama-3.1-70B-Instruct', max_model_len: 131072 },
					{ id: 'llama3.2:latest' }
				]
			})
		).toEqual([
			{ name: 'llama3.2:latest' },
			{ name: 'meta-llama/Llama-3.1-70B-Instruct', contextWindow: 131072 }
		]);
		expect(parseModelList({ object: 'list', data: [] })).toEqual([]);
	});

	it('refuses anything else', () => {
		for (const body of [
			null,
			[],
			{ models: [] },
			{ data: [{ name: 'x' }] },
			{ data: [{ id: '' }] }
		])
			expect(parseModelList(body)).toBeNull();
	});
});

describe('listModels', () => {
	it('asks GET {base}/models with the key, no cookies and no Referer', async () => {
		const fetch = fakeFetch(() => json({ data: [{ id: 'm' }] }));
		const models = await listModels({ ...server, apiKey: 'sk-1' }, { fetch, page, hosts: HOSTS });
		expect(models).toEqual([{ name: 'm' }]);
		expect(fetch.calls).toHaveLength(1);
		expect(fetch.calls[0]?.url).toBe('http://127.0.0.1:11434/v1/models');
		expect(fetch.calls[0]?.init).toMatchObject({
			method: 'GET',
			headers: { Authorization: 'Bearer sk-1' },
			credentials: 'omit',
			referrerPolicy: 'no-referrer'
		});
	});

	it('says "nothing listening" when even a no-cors request fails', async () => {
		const fetch = fakeFetch(typeError, typeError);
		const error = await failure(listModels(server, { fetch, page, hosts: HOSTS }));
		expect(error.remoteCode).toBe('unreachable');
		expect(error.code).toBe('server-lost');
		expect(fetch.calls.map((c) => c.init?.mode)).toEqual([undefined, 'no-cors']);
	});

	it('says CORS when a no-cors request gets an (opaque) answer, noting whether a key was sent', async () => {
		const fetch = fakeFetch(typeError, opaque);
		const error = await failure(listModels(server, { fetch, page, hosts: HOSTS }));
		expect(error.remoteCode).toBe('cors');
		expect(error.facts.withKey).toBe(false);
		const keyed = fakeFetch(typeError, opaque);
		const withKey = await failure(
			listModels({ ...server, apiKey: 'k' }, { fetch: keyed, page, hosts: HOSTS })
		);
		expect(withKey.facts.withKey).toBe(true);
		// The second request, which only tells CORS from silence, carries no key.
		expect(keyed.calls[0]?.init?.headers).toEqual({ Authorization: 'Bearer k' });
		expect(keyed.calls[1]?.init?.headers).toBeUndefined();
	});

	it('sends nothing at all for mixed content (a stand-in https page) or a host outside the policy', async () => {
		const fetch = fakeFetch(() => json({ data: [] }));
		const https = { protocol: 'https:' };
		const mixed = await failure(
			listModels({ baseUrl: 'http://192.168.1.20:8000/v1' }, { fetch, page: https, hosts: HOSTS })
		);
		expect(mixed.remoteCode).toBe('mixed-content');
		const blocked = await failure(
			listModels({ baseUrl: 'https://llm.example.net/v1' }, { fetch, page: https, hosts: HOSTS })
		);
		expect(blocked.remoteCode).toBe('host-not-allowed');
		expect(fetch.calls).toEqual([]);
	});

	it('names each refusal by its status', async () => {
		const cases: Array<[number, string]> = [
			[401, 'unauthorized'],
			[403, 'forbidden'],
			[404, 'not-found'],
			[429, 'rate-limited'],
			[503, 'server-error'],
			[418, 'http-status']
		];
		for (const [status, expected] of cases) {
			const fetch = fakeFetch(() => json({ error: 'no' }, status));
			const error = await failure(
				listModels(server, { fetch, page, hosts: HOSTS }, { retryDelaysMs: [] })
			);
			expect(error.remoteCode, String(status)).toBe(expected);
			expect(error.facts.status).toBe(status);
		}
	});

	it('tries a 503 again after the shared delays, and as long as Retry-After asks', async () => {
		let n = 0;
		const fetch = fakeFetch(() =>
			++n < 3 ? json({ error: 'busy' }, 503, { 'retry-after': '2' }) : json({ data: [{ id: 'm' }] })
		);
		const waits: number[] = [];
		const models = await listModels(
			server,
			{ fetch, page, hosts: HOSTS },
			{
				sleep: async (ms) => void waits.push(ms)
			}
		);
		expect(models).toEqual([{ name: 'm' }]);
		expect(waits).toEqual([2_000, 3_000]);
	});

	it('says "not an OpenAI API" for a web page or other JSON', async () => {
		const page200 = fakeFetch(() =>
			Promise.resolve(
				new Response('<!doctype html><title>Open WebUI</title>', {
					headers: { 'content-type': 'text/html' }
				})
			)
		);
		expect(
			(await failure(listModels(server, { fetch: page200, page, hosts: HOSTS }))).remoteCode
		).toBe('not-openai');
		const tags = fakeFetch(() => json({ models: [{ name: 'llama3.2' }] }));
		expect(
			(await failure(listModels(server, { fetch: tags, page, hosts: HOSTS }))).remoteCode
		).toBe('not-openai');
	});

	it('gives up after the timeout, saying so', async () => {
		const fetch: FetchFn = (_url, init) =>
			new Promise((_resolve, reject) =>
				init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
			);
		const error = await failure(
			listModels(server, { fetch, page, hosts: HOSTS }, { timeoutMs: 20 })
		);
		expect(error.remoteCode).toBe('timeout');
	});
});
