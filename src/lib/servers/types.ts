// The user's own servers (Ollama, llama.cpp's llama-server, LM Studio, vLLM: anything that speaks
// the OpenAI-compatible chat API) and their models, as the rest of the app sees them.
//
// A server model is a ModelRecord like any other, so Chat and Compare can hold it next to the
// in-browser models. Its id is namespaced by the server, `<host[/path]>/<name>` (e.g.
// `127.0.0.1:11434/llama3.1:70b`): it always contains a "/", which no catalog id does, so it cannot
// collide with one, and it reads as "this model on that server" in a stats line or a benchmark
// card. The record also carries `remote` (the server's id and the model's own name), which is what
// the engines go by; the id is never parsed back.
import type { ModelRecord } from '$lib/engine/types';

export interface RemoteServer {
	/** Stable random id: the key of its API key, and of its models' `remote.serverId`. */
	id: string;
	/** Normalised base URL (see parseBaseUrl), without a trailing slash: `http://127.0.0.1:11434/v1`. */
	baseUrl: string;
	/** What the lists show; the host when the user gave none. */
	label: string;
	/** Sent as `Authorization: Bearer …`. Stored in this browser only, never in a backup. */
	apiKey?: string;
	/** Epoch ms. */
	addedAt: number;
}

/** One entry of a server's `GET /models`. */
export interface ServerModel {
	/** The server's own name for it, sent as `model` in every request. */
	name: string;
	/** Context window in tokens, when the listing says (vLLM's `max_model_len`); otherwise unknown. */
	contextWindow?: number;
}

/** A model on a server, as a record the engines and pickers take. */
export interface RemoteModelRecord extends ModelRecord {
	remote: {
		serverId: string;
		/** The server's own name for the model (what the benchmark card and votes show). */
		name: string;
	};
}

export function isRemoteRecord(record: ModelRecord): record is RemoteModelRecord {
	const remote = (record as Partial<RemoteModelRecord>).remote;
	return (
		typeof remote === 'object' &&
		remote !== null &&
		typeof remote.serverId === 'string' &&
		typeof remote.name === 'string'
	);
}

/**
 * The part of a model id that names its server: host (with port) and any path before `/v1`, so
 * `http://127.0.0.1:11434/v1` gives `127.0.0.1:11434` and `https://gw.example.org/ollama/v1` gives
 * `gw.example.org/ollama`.
 */
export function serverHandle(baseUrl: string): string {
	const url = new URL(baseUrl);
	const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
	return `${url.host}${path}`;
}

export function remoteModelId(server: Pick<RemoteServer, 'baseUrl'>, name: string): string {
	return `${serverHandle(server.baseUrl)}/${name}`;
}

/** The record for `model` on `server`: nothing to download (`model_lib` is empty), never on the GPU. */
export function remoteRecord(
	server: Pick<RemoteServer, 'id' | 'baseUrl'>,
	model: ServerModel
): RemoteModelRecord {
	return {
		model: server.baseUrl,
		model_id: remoteModelId(server, model.name),
		model_lib: '',
		...(model.contextWindow === undefined
			? {}
			: { overrides: { context_window_size: model.contextWindow } }),
		remote: { serverId: server.id, name: model.name }
	};
}
