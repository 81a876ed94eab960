// Asking a server which models it has (`GET {base}/models`, the OpenAI format that Ollama,
// llama.cpp's server, LM Studio and vLLM all serve), which is also how Lantern checks that a server
// answers at all. Failures come back as RemoteErrors (see http.ts and url.ts).
import { MODEL_HOSTS } from '$lib/net/hosts';
import { RemoteError } from './errors';
import { send, type FetchFn, type SendOptions, type ServerAccess } from './http';
import type { ServerModel } from './types';
import { checkAddress, type PageLocation } from './url';

/** A check waits this long for the server to answer before saying so. */
export const CHECK_TIMEOUT_MS = 15_000;

export interface ProbeDeps {
	fetch: FetchFn;
	/** Where the page runs (`location`): an https page cannot call an http server elsewhere. */
	page: PageLocation;
	/** This build's connect-src hosts. */
	hosts?: readonly string[];
}

const isObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The models in a `/models` answer (`{"data": [{"id": …}, …]}`), in the server's order, each once;
 * null when the answer is not in that format. vLLM's `max_model_len` is kept as the context window.
 */
export function parseModelList(json: unknown): ServerModel[] | null {
	if (!isObject(json) || !Array.isArray(json.data)) return null;
	const models: ServerModel[] = [];
	const seen = new Set<string>();
	for (const entry of json.data) {
		if (!isObject(entry) || typeof entry.id !== 'string' || !entry.id.trim()) return null;
		if (seen.has(entry.id)) continue;
		seen.add(entry.id);
		const model: ServerModel = { name: entry.id };
		const window = entry.max_model_len;
		if (typeof window === 'number' && Number.isInteger(window) && window > 0)
			model.contextWindow = window;
		models.push(model);
	}
	return models;
}

/**
 * The server's models. Throws a RemoteError: the address checks first (mixed content, the
 * Content-Security-Policy), then whatever the request meets.
 */
export async function listModels(
	server: ServerAccess,
	deps: ProbeDeps,
	options: SendOptions = {}
): Promise<ServerModel[]> {
	checkAddress(server.baseUrl, deps.page, deps.hosts ?? MODEL_HOSTS);
	const response = await send(deps.fetch, server, '/models', { method: 'GET' }, options);
	const notOpenAi = (detail: string) =>
		new RemoteError('not-openai', server.baseUrl, { status: response.status }, detail);
	const type = response.headers.get('content-type') ?? '';
	let json: unknown;
	try {
		const text = await response.text();
		if (/text\/html/i.test(type) || /^\s*</.test(text)) throw notOpenAi(`a web page (${type})`);
		json = JSON.parse(text);
	} catch (error) {
		if (error instanceof RemoteError) throw error;
		if (options.signal?.aborted) throw new RemoteError('aborted', server.baseUrl);
		if (error instanceof Error && error.name === 'TimeoutError')
			throw new RemoteError('timeout', server.baseUrl, {}, String(error));
		// The connection broke while the list was arriving.
		if (error instanceof TypeError)
			throw new RemoteError('lost', server.baseUrl, {}, String(error));
		throw notOpenAi(error instanceof Error ? error.message : 'unreadable');
	}
	const models = parseModelList(json);
	if (!models) throw notOpenAi(JSON.stringify(json).slice(0, 300));
	return models;
}
