import { describe, expect, it } from 'vitest';
import { EngineError } from '$lib/engine/errors';
import { RoutingEngine } from '$lib/engine/router';
import type {
	ChatEvent,
	ChatOptions,
	ChatRequest,
	EmbedRequest,
	Engine,
	LoadOptions,
	LoadProgress,
	ModelRecord
} from '$lib/engine/types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A record; `server` marks it as belonging to that fake server. */
const record = (model_id: string, server?: string): ModelRecord & { server?: string } => ({
	model: `https://x/${model_id}`,
	model_id,
	model_lib: '',
	...(server ? { server } : {})
});

/** An embedding model's record (WebLLM's model_type 1). */
const embedder = (model_id: string, server?: string) => ({
	...record(model_id, server),
	model_type: 1
});

/** An engine that logs into a shared log, loads after `loadMs`, and answers with its own name. */
class NamedEngine implements Engine {
	#loaded: ModelRecord[] = [];
	#lost = new Set<(error: EngineError) => void>();
	loadMs = 20;
	failLoad: EngineError | null = null;
	interrupted = 0;
	constructor(
		readonly name: string,
		readonly log: string[]
	) {}
	/** Like every engine, a load replaces only the models of its own purpose (chat or embedding). */
	async load(models: ModelRecord[], options: LoadOptions = {}) {
		this.log.push(`${this.name} load ${models.map((m) => m.model_id).join('+')}`);
		options.onProgress?.({ phase: 'other', progress: 1, text: this.name, elapsedMs: 0 });
		await sleep(this.loadMs);
		this.log.push(`${this.name} loaded`);
		if (this.failLoad) throw this.failLoad;
		const purposes = new Set(models.map((m) => m.model_type === 1));
		this.#loaded = [...this.#loaded.filter((m) => !purposes.has(m.model_type === 1)), ...models];
	}
	async embed(request: EmbedRequest): Promise<Float32Array[]> {
		if (!this.#loaded.some((m) => m.model_id === request.modelId))
			throw new EngineError('model-not-found', request.modelId);
		this.log.push(`${this.name} embed ${request.modelId}`);
		return request.input.map(() => new Float32Array([1]));
	}
	async *chat(request: ChatRequest, options: ChatOptions = {}): AsyncGenerator<ChatEvent> {
		if (!this.#loaded.some((m) => m.model_id === request.modelId))
			throw new EngineError('model-not-found', request.modelId);
		yield { type: 'delta', text: `${this.name}:${request.modelId}` };
		yield {
			type: 'done',
			stats: {
				promptTokens: 1,
				completionTokens: 1,
				timeToFirstTokenMs: 1,
				prefillTokensPerSec: null,
				decodeTokensPerSec: null,
				totalMs: 1,
				finishReason: options.signal?.aborted ? 'aborted' : 'stop'
			}
		};
	}
	async interrupt() {
		this.interrupted++;
	}
	async unload() {
		this.log.push(`${this.name} unload`);
		this.#loaded = [];
	}
	async loaded() {
		this.log.push(`${this.name} loaded?`);
		return this.#loaded.map((m) => m.model_id);
	}
	onLost(listener: (error: EngineError) => void) {
		this.#lost.add(listener);
		return () => this.#lost.delete(listener);
	}
	crash() {
		this.#loaded = [];
		for (const l of this.#lost) l(new EngineError('worker-crashed', 'gone'));
	}
}

function setup() {
	const log: string[] = [];
	const local = new NamedEngine('local', log);
	const servers = { a: new NamedEngine('a', log), b: new NamedEngine('b', log) };
	const router = new RoutingEngine(local, (r) => {
		const server = (r as { server?: 'a' | 'b' | 'gone' }).server;
		if (server === 'gone') throw new EngineError('model-not-found', 'server removed');
		return server ? servers[server] : null;
	});
	return { log, local, servers, router };
}

async function answer(engine: Engine, modelId: string): Promise<string> {
	let text = '';
	for await (const event of engine.chat({ modelId, messages: [] }))
		if (event.type === 'delta') text += event.text;
	return text;
}

describe('RoutingEngine', () => {
	it('loads in-browser and server models at the same time, each on its own engine', async () => {
		const { log, router, servers } = setup();
		servers.a.loadMs = 30;
		await router.load([record('Qwen-MLC'), record('a/llama:70b', 'a'), record('b/big', 'b')]);
		// At the same time: all three loads start before any finishes.
		expect(log.slice(0, 3).sort()).toEqual([
			'a load a/llama:70b',
			'b load b/big',
			'local load Qwen-MLC'
		]);
		expect(await router.loaded()).toEqual(['Qwen-MLC', 'a/llama:70b', 'b/big']);
		expect(await answer(router, 'Qwen-MLC')).toBe('local:Qwen-MLC');
		expect(await answer(router, 'a/llama:70b')).toBe('a:a/llama:70b');
		expect(await answer(router, 'b/big')).toBe('b:b/big');
	});

	it('a load that asks first loads its in-browser part alone first: a refusal changes nothing anywhere', async () => {
		const { log, local, router, servers } = setup();
		await router.load([record('Qwen-MLC'), record('a/m', 'a')]);
		log.length = 0;
		local.failLoad = new EngineError('busy', 'another tab uses it', [
			{ modelId: 'Qwen-MLC', kind: 'idle' }
		]);
		await expect(
			router.load([record('Smol-MLC'), record('b/m', 'b')], { ifBusy: 'ask' })
		).rejects.toMatchObject({ code: 'busy' });
		// The server models were neither unloaded nor loaded, and still answer.
		expect(log.filter((l) => !l.startsWith('local'))).toEqual([]);
		expect(await answer(router, 'a/m')).toBe('a:a/m');
		local.failLoad = null;
		await router.load([record('Smol-MLC'), record('b/m', 'b')], { ifBusy: 'ask' });
		// The refused try, the accepted one (not repeated by the rest of the load), then the server.
		expect(log.filter((l) => l.includes(' load '))).toEqual([
			'local load Smol-MLC',
			'local load Smol-MLC',
			'b load b/m'
		]);
		expect(servers.a.log.includes('a unload')).toBe(true);
		expect(await router.loaded()).toEqual(['Smol-MLC', 'b/m']);
	});

	it('never starts the local engine for server models alone', async () => {
		const { log, router } = setup();
		expect(await router.loaded()).toEqual([]);
		await router.load([record('a/m', 'a')]);
		await router.interrupt();
		expect(await router.loaded()).toEqual(['a/m']);
		await router.unload();
		expect(log.filter((l) => l.startsWith('local'))).toEqual([]);
	});

	it('sees what another tab loaded on the shared engine, and never unloads it for server models', async () => {
		const log: string[] = [];
		const local = new NamedEngine('local', log);
		const server = new NamedEngine('a', log);
		// Another tab loaded Qwen-MLC: the shared engine's state says so, this tab never loaded.
		await local.load([record('Qwen-MLC')]);
		log.length = 0;
		const shared = ['Qwen-MLC'];
		const router = new RoutingEngine(
			local,
			(r) => ((r as { server?: string }).server ? server : null),
			() => shared
		);
		expect(await router.loaded()).toEqual(['Qwen-MLC']);
		await router.load([record('a/m', 'a')]);
		expect(log).not.toContain('local unload');
		expect(await router.loaded()).toEqual(['Qwen-MLC', 'a/m']);
	});

	it('replaces what was loaded: engines that get no models now are emptied', async () => {
		const { log, router } = setup();
		await router.load([record('Qwen-MLC'), record('a/m', 'a')]);
		log.length = 0;
		await router.load([record('b/m', 'b')]);
		expect(log).toEqual(expect.arrayContaining(['a unload', 'local unload', 'b load b/m']));
		expect(await router.loaded()).toEqual(['b/m']);
		await expect(answer(router, 'a/m')).rejects.toMatchObject({ code: 'model-not-found' });
	});

	it('sends a model nobody loaded to the local engine, which says it is not loaded', async () => {
		const { router } = setup();
		await expect(answer(router, 'a/never-loaded')).rejects.toMatchObject({
			code: 'model-not-found'
		});
	});

	it('settles after every part and rejects with the failure; what did load is usable', async () => {
		const { router, servers } = setup();
		servers.a.failLoad = new EngineError('server-error', 'refused');
		const failure = await router.load([record('Qwen-MLC'), record('a/m', 'a')]).catch((e) => e);
		expect(failure).toMatchObject({ code: 'server-error' });
		expect(await router.loaded()).toEqual(['Qwen-MLC']);
	});

	it('rejects a load when a record’s engine cannot be found, loading nothing', async () => {
		const { log, router } = setup();
		await expect(router.load([record('x/m', 'gone' as 'a')])).rejects.toMatchObject({
			code: 'model-not-found'
		});
		expect(log).toEqual([]);
	});

	it('reports progress from the local engine when it loads, else from a server engine', async () => {
		const { router } = setup();
		const seen: LoadProgress[] = [];
		await router.load([record('Qwen-MLC'), record('a/m', 'a')], {
			onProgress: (p) => seen.push(p)
		});
		expect(seen.map((p) => p.text)).toEqual(['local']);
		seen.length = 0;
		await router.load([record('a/m', 'a'), record('b/m', 'b')], {
			onProgress: (p) => seen.push(p)
		});
		expect(seen.map((p) => p.text)).toEqual(['a']);
	});

	it('interrupts and unloads every engine in use', async () => {
		const { router, local, servers } = setup();
		await router.load([record('Qwen-MLC'), record('a/m', 'a')]);
		await router.interrupt();
		expect([local.interrupted, servers.a.interrupted, servers.b.interrupted]).toEqual([1, 1, 0]);
		await router.unload();
		expect(await router.loaded()).toEqual([]);
		expect(await local.loaded()).toEqual([]);
		expect(await servers.a.loaded()).toEqual([]);
	});

	it('passes on the local engine’s loss, and forgets its models, but keeps the servers’', async () => {
		const { router, local } = setup();
		const lost: string[] = [];
		router.onLost((e) => lost.push(e.code));
		await router.load([record('Qwen-MLC'), record('a/m', 'a')]);
		local.crash();
		expect(lost).toEqual(['worker-crashed']);
		expect(await router.loaded()).toEqual(['a/m']);
	});

	it('keeps the other purpose loaded: an embedding model joins a server chat model', async () => {
		const { log, router } = setup();
		await router.load([record('a/llama:70b', 'a')]);
		log.length = 0;
		await router.load([embedder('arctic-embed-s')]);
		expect(log).not.toContain('a unload');
		expect(await answer(router, 'a/llama:70b')).toBe('a:a/llama:70b');
		expect(await router.embed({ modelId: 'arctic-embed-s', input: ['x'] })).toHaveLength(1);
		expect(log).toContain('local embed arctic-embed-s');
		// A new chat model replaces the chat model only: the local embedding model stays.
		log.length = 0;
		await router.load([record('b/other', 'b')]);
		expect(log).toEqual(expect.arrayContaining(['a unload', 'b load b/other']));
		expect(log).not.toContain('local unload');
		expect(await router.embed({ modelId: 'arctic-embed-s', input: ['y'] })).toHaveLength(1);
	});

	it('adds a server model beside a loaded in-browser model without loading that one again', async () => {
		const { log, router } = setup();
		await router.load([record('Qwen-MLC')]);
		log.length = 0;
		await router.load([record('Qwen-MLC'), record('a/llama:70b', 'a')]);
		expect(log.filter((l) => l.includes(' load '))).toEqual(['a load a/llama:70b']);
		expect(await router.loaded()).toEqual(['Qwen-MLC', 'a/llama:70b']);
		expect(await answer(router, 'Qwen-MLC')).toBe('local:Qwen-MLC');
		// Other models, or the same one with another context window, are loaded as asked.
		log.length = 0;
		await router.load([record('Qwen-MLC')], { contextWindowSize: 2048 });
		await router.load([record('Qwen-MLC'), record('Llama-MLC')], { contextWindowSize: 2048 });
		await router.load([record('Qwen-MLC'), record('Llama-MLC')]);
		expect(log.filter((l) => l.startsWith('local load '))).toEqual([
			'local load Qwen-MLC',
			'local load Qwen-MLC+Llama-MLC',
			'local load Qwen-MLC+Llama-MLC'
		]);
	});

	it('sends an embedding to the server that loaded the model', async () => {
		const { log, router } = setup();
		await router.load([record('Qwen-MLC')]);
		await router.load([embedder('a/nomic-embed', 'a')]);
		expect(await router.embed({ modelId: 'a/nomic-embed', input: ['x', 'y'] })).toHaveLength(2);
		expect(log).toContain('a embed a/nomic-embed');
		expect(await answer(router, 'Qwen-MLC')).toBe('local:Qwen-MLC');
		await expect(router.embed({ modelId: 'never-loaded', input: ['x'] })).rejects.toMatchObject({
			code: 'model-not-found'
		});
	});
});
