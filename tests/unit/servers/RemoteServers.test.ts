import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupRepository } from '$lib/storage/backup';
import { connect } from '$lib/storage/db';
import { SettingsRepository } from '$lib/storage/settings';
import { RemoteServers } from '$lib/servers/RemoteServers.svelte';
import { KEYS_KEY, SERVERS_KEY, ServerRepository } from '$lib/servers/repository';
import { RemoteEngine } from '$lib/servers/RemoteEngine';
import { startOpenAiServer, type OpenAiServer } from '../../fixtures/openai-server';

let fixtures: OpenAiServer[] = [];
afterEach(async () => {
	await Promise.all(fixtures.map((s) => s.close()));
	fixtures = [];
});

let n = 0;
function setup() {
	const db = connect(`servers-${++n}`);
	const settings = new SettingsRepository(db, () => {});
	let ids = 0;
	const servers = new RemoteServers({
		repository: new ServerRepository(settings),
		page: { protocol: 'http:' },
		now: () => 1_000,
		newId: () => `srv-${++ids}`,
		onChanged: () => () => {}
	});
	return { db, settings, servers };
}

async function fixture(options: Parameters<typeof startOpenAiServer>[0]) {
	const server = await startOpenAiServer(options);
	fixtures.push(server);
	return server;
}

describe('RemoteServers', () => {
	it('adds a server that answers, with the models it lists, as records namespaced by the server', async () => {
		const ollama = await fixture({
			flavour: 'ollama',
			models: [{ name: 'llama3.1:70b' }, { name: 'qwen3:32b' }]
		});
		const { servers } = setup();
		const result = await servers.add({ baseUrl: `${ollama.url}/` });
		expect(result).toMatchObject({
			ok: true,
			server: { baseUrl: ollama.url, label: new URL(ollama.url).host }
		});
		const host = new URL(ollama.url).host;
		expect(servers.groups[0]?.records.map((r) => r.model_id)).toEqual([
			`${host}/llama3.1:70b`,
			`${host}/qwen3:32b`
		]);
		expect(servers.find(`${host}/qwen3:32b`)?.remote).toEqual({
			serverId: 'srv-1',
			name: 'qwen3:32b'
		});
		expect(servers.find('Qwen2.5-0.5B-Instruct-q4f32_1-MLC')).toBeUndefined();
		expect(ollama.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
	});

	it('keeps nothing when the server fails the check, and says why', async () => {
		const vllm = await fixture({ flavour: 'vllm', apiKey: 'k' });
		const { servers } = setup();
		const result = await servers.add({ baseUrl: vllm.url });
		expect(result).toMatchObject({ ok: false, error: { remoteCode: 'unauthorized' } });
		expect(servers.servers).toEqual([]);
		expect(await servers.add({ baseUrl: 'not a url' })).toMatchObject({
			ok: false,
			error: { remoteCode: 'bad-url' }
		});
	});

	it('names the server of a model id, even a model it no longer lists', async () => {
		const ollama = await fixture({ flavour: 'ollama', models: [{ name: 'llama3.1:70b' }] });
		const { servers } = setup();
		await servers.add({ baseUrl: ollama.url, label: 'Desk' });
		const host = new URL(ollama.url).host;
		expect(servers.serverFor(`${host}/llama3.1:70b`)?.label).toBe('Desk');
		expect(servers.serverFor(`${host}/removed:8b`)?.label).toBe('Desk');
		expect(servers.serverFor('Qwen2.5-0.5B-Instruct-q4f32_1-MLC')).toBeUndefined();
		expect(servers.serverFor(`${host}0/llama3.1:70b`)).toBeUndefined();
	});

	it('shows while an answer waits to try again after a 429, and not after', async () => {
		const ollama = await fixture({ flavour: 'ollama', models: [{ name: 'm' }] });
		const { servers } = setup();
		const added = await servers.add({ baseUrl: ollama.url });
		if (!added.ok) throw new Error('not added');
		const record = servers.groups[0]?.records[0];
		if (!record) throw new Error('no record');
		const engine = servers.engineFor(record);
		if (!engine) throw new Error('no engine');
		await engine.load([record]);
		ollama.fail(429, { path: '/chat/completions' });
		const seen: Array<number | null> = [];
		const answered = (async () => {
			for await (const event of engine.chat({
				modelId: record.model_id,
				messages: [{ role: 'user', content: 'Hi' }]
			}))
				if (event.type === 'done') return event.stats.finishReason;
		})();
		await expect.poll(() => servers.retryOf(added.server.id)?.status ?? null).toBe(429);
		seen.push(servers.retryOf(added.server.id)?.delayMs ?? null);
		expect(await answered).toBe('stop');
		seen.push(servers.retryOf(added.server.id)?.status ?? null);
		expect(seen).toEqual([1_000, null]);
	});

	it('refuses the same server twice', async () => {
		const llama = await fixture({ flavour: 'llamacpp' });
		const { servers } = setup();
		await servers.add({ baseUrl: llama.url, label: 'Workstation' });
		expect(await servers.add({ baseUrl: `${llama.origin}/` })).toEqual({
			ok: false,
			duplicateOf: 'Workstation'
		});
	});

	it('keeps the API key in this browser only: apart from the list, and never in a backup', async () => {
		const gateway = await fixture({ flavour: 'openai', apiKey: 'sk-very-secret' });
		const { db, settings, servers } = setup();
		expect(await servers.add({ baseUrl: gateway.url, apiKey: ' sk-very-secret ' })).toMatchObject({
			ok: true
		});
		const isAny = (_x: unknown): _x is unknown => true;
		expect(JSON.stringify(await settings.get(SERVERS_KEY, isAny, null))).not.toContain('sk-very');
		expect(await settings.get(KEYS_KEY, isAny, null)).toEqual({ 'srv-1': 'sk-very-secret' });
		const backup = JSON.stringify(await new BackupRepository(db, { notify: () => {} }).exportAll());
		expect(backup).toContain(gateway.url);
		expect(backup).not.toContain('sk-very-secret');
		// Read back in a new page: the key is there for this browser.
		const again = new RemoteServers({
			repository: new ServerRepository(settings),
			page: { protocol: 'http:' },
			onChanged: () => () => {}
		});
		again.start();
		await expect.poll(() => again.servers[0]?.apiKey).toBe('sk-very-secret');
	});

	it('checks again on demand: new models are listed, a failure is shown and the last list kept', async () => {
		const ollama = await fixture({ flavour: 'ollama', models: [{ name: 'a' }] });
		const { servers } = setup();
		await servers.add({ baseUrl: ollama.url });
		const id = servers.servers[0]?.id ?? '';
		ollama.set({ models: [{ name: 'a' }, { name: 'b' }] });
		await servers.check(id);
		expect(servers.servers[0]?.models.map((m) => m.name)).toEqual(['a', 'b']);
		expect(servers.stateOf(id)).toEqual({ kind: 'idle' });
		ollama.fail(500, { path: '/models' });
		await servers.check(id);
		expect(servers.stateOf(id)).toMatchObject({
			kind: 'failed',
			error: { remoteCode: 'server-error' }
		});
		expect(servers.servers[0]?.models).toHaveLength(2);
	});

	it('uses a changed key at once, in the check and in the engine', async () => {
		const gateway = await fixture({ flavour: 'openai', apiKey: 'new', models: [{ name: 'm' }] });
		const { servers } = setup();
		gateway.set({ apiKey: undefined });
		await servers.add({ baseUrl: gateway.url, apiKey: 'old' });
		gateway.set({ apiKey: 'new' });
		const id = servers.servers[0]?.id ?? '';
		const record = servers.groups[0]?.records[0];
		if (!record) throw new Error('no record');
		const engine = servers.engineFor(record);
		expect(engine).toBeInstanceOf(RemoteEngine);
		await expect(engine?.load([record])).rejects.toMatchObject({ remoteCode: 'unauthorized' });
		await servers.setKey(id, 'new');
		expect(servers.stateOf(id)).toEqual({ kind: 'idle' });
		await engine?.load([record]);
		expect(gateway.requests.at(-1)?.headers.authorization).toBe('Bearer new');
	});

	it('gives the router one engine per server, none for in-browser models, and refuses removed servers', async () => {
		const ollama = await fixture({ flavour: 'ollama', models: [{ name: 'm' }] });
		const { servers } = setup();
		await servers.add({ baseUrl: ollama.url });
		const record = servers.groups[0]?.records[0];
		if (!record) throw new Error('no record');
		expect(servers.engineFor(record)).toBe(servers.engineFor(record));
		expect(servers.engineFor({ model: 'x', model_id: 'Qwen-MLC', model_lib: 'y' })).toBeNull();
		await servers.remove(servers.servers[0]?.id ?? '');
		expect(servers.servers).toEqual([]);
		expect(() => servers.engineFor(record)).toThrow(
			expect.objectContaining({ remoteCode: 'server-removed' })
		);
	});

	it('tries a model: a short question, its answer without reasoning, and its numbers', async () => {
		const llama = await fixture({
			flavour: 'llamacpp',
			models: [{ name: 'm' }],
			script: { reasoning: ['Hmm.'], tokens: ['Hello', '!'] }
		});
		const { servers } = setup();
		await servers.add({ baseUrl: llama.url });
		const record = servers.groups[0]?.records[0];
		if (!record) throw new Error('no record');
		await servers.tryModel(record);
		expect(servers.trialOf(record.model_id)).toMatchObject({
			state: 'done',
			text: 'Hello!',
			stats: { completionTokens: 3, decodeTokensPerSec: 48.5 }
		});
		const asked = llama.requests.find((r) => r.path === '/v1/chat/completions');
		expect(asked?.body).toMatchObject({ model: 'm', max_tokens: 128 });
	});
});
