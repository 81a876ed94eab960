// The user's servers in the app's settings store (storage/settings.ts), with no schema change: the
// list under `servers` (with each server's last model list, so pickers know them without asking the
// server at every start), and the API keys apart, under `device:server-keys`. Settings whose key
// starts with `device:` never go into a backup and are never restored from one (storage/types.ts),
// so a key stays in this browser. Everything read back is checked; a bad entry is skipped.
import type { SettingsRepository } from '$lib/storage/settings';
import type { RemoteServer, ServerModel } from './types';

export const SERVERS_KEY = 'servers';
export const KEYS_KEY = 'device:server-keys';

/** A server as stored: no key, plus what it listed at its last successful check. */
export interface StoredServer extends Omit<RemoteServer, 'apiKey'> {
	models: ServerModel[];
	/** Epoch ms of the last successful check; null before one. */
	checkedAt: number | null;
}

export interface SavedServer extends RemoteServer {
	models: ServerModel[];
	checkedAt: number | null;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

function readModel(x: unknown): ServerModel | null {
	if (!isObject(x) || typeof x.name !== 'string' || !x.name) return null;
	const model: ServerModel = { name: x.name };
	if (
		typeof x.contextWindow === 'number' &&
		Number.isInteger(x.contextWindow) &&
		x.contextWindow > 0
	)
		model.contextWindow = x.contextWindow;
	return model;
}

export function readStoredServer(x: unknown): StoredServer | null {
	if (!isObject(x)) return null;
	const { id, baseUrl, label } = x;
	if (typeof id !== 'string' || !id || typeof baseUrl !== 'string') return null;
	try {
		const url = new URL(baseUrl);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
	} catch {
		return null;
	}
	return {
		id,
		baseUrl,
		label: typeof label === 'string' && label.trim() ? label : new URL(baseUrl).host,
		addedAt: isTime(x.addedAt) ? x.addedAt : 0,
		models: Array.isArray(x.models)
			? x.models.map(readModel).filter((m): m is ServerModel => m !== null)
			: [],
		checkedAt: isTime(x.checkedAt) ? x.checkedAt : null
	};
}

const isList = (x: unknown): x is unknown[] => Array.isArray(x);
const isKeys = (x: unknown): x is Record<string, unknown> => isObject(x);

export class ServerRepository {
	#settings: SettingsRepository;

	constructor(settings: SettingsRepository) {
		this.#settings = settings;
	}

	/** The servers, oldest first, each with its key if one is stored. */
	async list(): Promise<SavedServer[]> {
		const [raw, keys] = await Promise.all([
			this.#settings.get(SERVERS_KEY, isList, []),
			this.#settings.get(KEYS_KEY, isKeys, {})
		]);
		const seen = new Set<string>();
		const servers: SavedServer[] = [];
		for (const entry of raw) {
			const server = readStoredServer(entry);
			if (!server || seen.has(server.id)) continue;
			seen.add(server.id);
			const key = keys[server.id];
			servers.push(typeof key === 'string' && key ? { ...server, apiKey: key } : server);
		}
		return servers.sort((a, b) => a.addedAt - b.addedAt);
	}

	/** Stores the whole list: the servers without their keys, the keys apart. */
	async saveAll(servers: readonly SavedServer[]): Promise<void> {
		const list: StoredServer[] = servers.map(
			({ id, baseUrl, label, addedAt, models, checkedAt }) => ({
				id,
				baseUrl,
				label,
				addedAt,
				models,
				checkedAt
			})
		);
		const keys: Record<string, string> = {};
		for (const s of servers) if (s.apiKey) keys[s.id] = s.apiKey;
		await this.#settings.set(KEYS_KEY, keys);
		await this.#settings.set(SERVERS_KEY, list);
	}
}
