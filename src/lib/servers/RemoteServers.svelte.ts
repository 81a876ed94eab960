// The `servers` service: the user's own servers, what each lists, one RemoteEngine per server, and
// the Models page's actions on them (add, check, change key, remove, try a model). Created once in
// the root layout. The router (engine/router.ts) asks it for the engine of a server model
// (`engineFor`); Chat and Compare find server models through `groups` and `find`, and label what
// goes to a server through `serverFor` and `retryOf`.
//
// Opening the app contacts no server: each server's model list is stored with it and refreshed by
// a check (adding a server checks it; so does Check, and loading one of its models). Other tabs
// follow through the settings broadcast.
import { SvelteMap } from 'svelte/reactivity';
import { EngineError } from '$lib/engine/errors';
import type { Engine, ModelRecord, UsageStats } from '$lib/engine/types';
import { onChanged, type ChangeEvent } from '$lib/storage/broadcast';
import { RemoteError } from './errors';
import type { FetchFn, RetryWait } from './http';
import { CHECK_TIMEOUT_MS, listModels, type ProbeDeps } from './probe';
import { RemoteEngine } from './RemoteEngine';
import { KEYS_KEY, SERVERS_KEY, type SavedServer, type ServerRepository } from './repository';
import { serversText } from './strings';
import { isRemoteRecord, remoteRecord, serverHandle, type RemoteModelRecord } from './types';
import { hostOf, parseBaseUrl, type PageLocation } from './url';

export type ServerState =
	{ kind: 'idle' } | { kind: 'checking' } | { kind: 'failed'; error: RemoteError };

export type AddResult =
	| { ok: true; server: SavedServer }
	| { ok: false; error: RemoteError }
	/** Already in the list (same address): its label. */
	| { ok: false; duplicateOf: string }
	| { ok: false; storageFailed: true };

export interface AddInput {
	baseUrl: string;
	apiKey?: string;
	label?: string;
}

/** One "Try" of a model: a short question, its answer and what it cost. */
export interface Trial {
	modelId: string;
	state: 'running' | 'done' | 'failed';
	/** The answer so far, without any reasoning. */
	text: string;
	stats: UsageStats | null;
	error: EngineError | null;
}

export interface ServerGroup {
	server: SavedServer;
	records: RemoteModelRecord[];
}

/** An answer from this server waits before trying again (the server was busy or failed). */
export interface ServerRetry extends RetryWait {
	/** Epoch ms when the wait began. */
	since: number;
}

export interface RemoteServersDeps {
	repository: ServerRepository;
	fetch?: FetchFn;
	page?: PageLocation;
	hosts?: readonly string[];
	now?: () => number;
	newId?: () => string;
	/** Other tabs' changes (storage/broadcast.ts by default). */
	onChanged?: (listener: (event: ChangeEvent) => void) => () => void;
}

/** `server` with `key` as its API key, or with none when `key` is empty. */
function withKey(server: SavedServer, key: string): SavedServer {
	const copy: SavedServer = { ...server };
	if (key) copy.apiKey = key;
	else delete copy.apiKey;
	return copy;
}

/** The answer without a leading think block (a reasoning model's thinking). */
function withoutReasoning(text: string): string {
	return text.replace(/^\s*<think>[\s\S]*?(<\/think>\s*|$)/, '');
}

export class RemoteServers {
	readonly #deps: RemoteServersDeps;
	#servers = $state.raw<readonly SavedServer[]>([]);
	readonly #groups: ServerGroup[] = $derived(
		this.#servers.map((server) => ({
			server,
			records: server.models.map((m) => remoteRecord(server, m))
		}))
	);
	readonly #states = new SvelteMap<string, ServerState>();
	readonly #trials = new SvelteMap<string, Trial>();
	readonly #engines = new SvelteMap<string, RemoteEngine>();
	readonly #retries = new SvelteMap<string, ServerRetry>();

	constructor(deps: RemoteServersDeps) {
		this.#deps = deps;
	}

	get servers(): readonly SavedServer[] {
		return this.#servers;
	}

	/** Every server with the records of the models it listed at its last check, in the list's order. */
	get groups(): ServerGroup[] {
		return this.#groups;
	}

	stateOf(id: string): ServerState {
		return this.#states.get(id) ?? { kind: 'idle' };
	}

	trialOf(modelId: string): Trial | null {
		return this.#trials.get(modelId) ?? null;
	}

	/** The record of a server model by its id, as last listed; undefined for any other id. */
	find(modelId: string): RemoteModelRecord | undefined {
		for (const group of this.groups) {
			const record = group.records.find((r) => r.model_id === modelId);
			if (record) return record;
		}
		return undefined;
	}

	serverOf(record: ModelRecord): SavedServer | undefined {
		return isRemoteRecord(record)
			? this.#servers.find((s) => s.id === record.remote.serverId)
			: undefined;
	}

	/**
	 * The server a model id names (`<host[/path]>/<name>`), whether or not it still lists that
	 * model: what an answer written by it, or a conversation with it, is labelled with.
	 */
	serverFor(modelId: string): SavedServer | undefined {
		return this.#servers.find((s) => modelId.startsWith(`${serverHandle(s.baseUrl)}/`));
	}

	/** Whether an answer from this server is waiting now before trying again (429 or 5xx). */
	retryOf(serverId: string): ServerRetry | null {
		return this.#retries.get(serverId) ?? null;
	}

	/**
	 * The engine for a record (the router's `pick`): the RemoteEngine of its server, or null for a
	 * model that runs in the browser. Throws RemoteError('server-removed') for a server model whose
	 * server is no longer in the list: it is never contacted again.
	 */
	engineFor(record: ModelRecord): Engine | null {
		if (!isRemoteRecord(record)) return null;
		const { serverId, name } = record.remote;
		if (!this.#servers.some((s) => s.id === serverId))
			throw new RemoteError('server-removed', record.model, { model: name });
		let engine = this.#engines.get(serverId);
		if (!engine) {
			engine = new RemoteEngine(() => this.#access(serverId), {
				...this.#engineDeps(),
				onRetry: (wait) => {
					if (wait) this.#retries.set(serverId, { ...wait, since: this.#now() });
					else this.#retries.delete(serverId);
				}
			});
			this.#engines.set(serverId, engine);
		}
		return engine;
	}

	/** Reads the list and follows other tabs; returns the function that stops following. */
	start(): () => void {
		void this.#reload();
		const follow = this.#deps.onChanged ?? onChanged;
		return follow((event) => {
			if (
				event.kind === 'all' ||
				(event.kind === 'setting' && [SERVERS_KEY, KEYS_KEY].includes(event.id ?? ''))
			)
				void this.#reload();
		});
	}

	/** Checks the server (its model list) and keeps it only if it answered. */
	async add(input: AddInput): Promise<AddResult> {
		let baseUrl: string;
		try {
			baseUrl = parseBaseUrl(input.baseUrl);
		} catch (error) {
			if (error instanceof RemoteError) return { ok: false, error };
			throw error;
		}
		const handle = serverHandle(baseUrl);
		const same = this.#servers.find((s) => serverHandle(s.baseUrl) === handle);
		if (same) return { ok: false, duplicateOf: same.label };
		const apiKey = input.apiKey?.trim();
		const access = { baseUrl, ...(apiKey ? { apiKey } : {}) };
		let models;
		try {
			models = await listModels(access, this.#probeDeps(), {
				timeoutMs: CHECK_TIMEOUT_MS,
				retryDelaysMs: []
			});
		} catch (error) {
			if (error instanceof RemoteError) return { ok: false, error };
			throw error;
		}
		const now = this.#now();
		const server: SavedServer = {
			id: this.#deps.newId?.() ?? crypto.randomUUID(),
			baseUrl,
			label: input.label?.trim() || hostOf(baseUrl),
			...(apiKey ? { apiKey } : {}),
			addedAt: now,
			models,
			checkedAt: now
		};
		if (!(await this.#save([...this.#servers, server]))) return { ok: false, storageFailed: true };
		return { ok: true, server };
	}

	/** Asks the server for its models again; the list is kept on success, the failure shown otherwise. */
	async check(id: string): Promise<void> {
		const server = this.#servers.find((s) => s.id === id);
		if (!server || this.stateOf(id).kind === 'checking') return;
		this.#states.set(id, { kind: 'checking' });
		try {
			const models = await listModels(this.#access(id), this.#probeDeps(), {
				timeoutMs: CHECK_TIMEOUT_MS,
				retryDelaysMs: []
			});
			this.#states.set(id, { kind: 'idle' });
			await this.#update(id, { models, checkedAt: this.#now() });
		} catch (error) {
			if (!(error instanceof RemoteError)) throw error;
			this.#states.set(id, { kind: 'failed', error });
		}
	}

	/** Stores a new API key (empty: none), then checks the server with it. */
	async setKey(id: string, apiKey: string): Promise<void> {
		const key = apiKey.trim();
		if (!this.#servers.some((s) => s.id === id)) return;
		await this.#save(this.#servers.map((s) => (s.id === id ? withKey(s, key) : s)));
		await this.check(id);
	}

	async remove(id: string): Promise<void> {
		await this.#engines.get(id)?.unload();
		this.#engines.delete(id);
		this.#states.delete(id);
		await this.#save(this.#servers.filter((s) => s.id !== id));
	}

	/** Asks one model a short question, for the panel to show that it answers and how fast. */
	async tryModel(record: RemoteModelRecord): Promise<void> {
		if (this.#trials.get(record.model_id)?.state === 'running') return;
		const trial: Trial = {
			modelId: record.model_id,
			state: 'running',
			text: '',
			stats: null,
			error: null
		};
		this.#trials.set(record.model_id, trial);
		const update = (patch: Partial<Trial>) =>
			this.#trials.set(record.model_id, {
				...(this.#trials.get(record.model_id) ?? trial),
				...patch
			});
		// An engine of its own, so that a try never changes what Chat or Compare have selected.
		const engine = new RemoteEngine(() => this.#access(record.remote.serverId), this.#engineDeps());
		let raw = '';
		try {
			await engine.load([record]);
			for await (const event of engine.chat({
				modelId: record.model_id,
				messages: [{ role: 'user', content: serversText.tryPrompt }],
				settings: { max_tokens: 128 }
			})) {
				if (event.type === 'delta') {
					raw += event.text;
					update({ text: withoutReasoning(raw) });
				} else update({ stats: event.stats });
			}
			update({ state: 'done' });
		} catch (error) {
			update({
				state: 'failed',
				error: error instanceof EngineError ? error : new EngineError('unknown', String(error))
			});
		}
	}

	#access(id: string) {
		const server = this.#servers.find((s) => s.id === id);
		if (!server) throw new RemoteError('server-removed', id);
		return { baseUrl: server.baseUrl, ...(server.apiKey ? { apiKey: server.apiKey } : {}) };
	}

	#probeDeps(): ProbeDeps {
		return {
			fetch: this.#deps.fetch ?? ((input, init) => fetch(input, init)),
			page: this.#deps.page ?? location,
			...(this.#deps.hosts ? { hosts: this.#deps.hosts } : {})
		};
	}

	#engineDeps() {
		return {
			...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}),
			...(this.#deps.page ? { page: this.#deps.page } : {}),
			...(this.#deps.hosts ? { hosts: this.#deps.hosts } : {})
		};
	}

	#now(): number {
		return this.#deps.now?.() ?? Date.now();
	}

	async #reload() {
		try {
			this.#servers = await this.#deps.repository.list();
		} catch {
			// Reading the list must never stop the page; it stays as it was.
		}
	}

	async #update(id: string, patch: Partial<SavedServer>) {
		await this.#save(this.#servers.map((s) => (s.id === id ? { ...s, ...patch } : s)));
	}

	/** Shows `servers` and stores them; false (and the stored list shown) if storing failed. */
	async #save(servers: SavedServer[]): Promise<boolean> {
		this.#servers = servers;
		try {
			await this.#deps.repository.saveAll(servers);
			return true;
		} catch {
			await this.#reload();
			return false;
		}
	}
}
