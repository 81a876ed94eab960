// Typed failures of the user's own servers. A RemoteError is an EngineError, so Chat and Compare
// (which only know EngineError) keep it, store its engine `code` and mark an answer cut off as they
// do for the in-browser engine; `remoteCode` says exactly what went wrong, for the words in
// servers/strings.ts. Nothing here is ever shown raw: the server's own text stays in `detail`.
import { EngineError, type EngineErrorCode } from '$lib/engine/errors';

export type RemoteErrorCode =
	/** Not an http(s) URL. */
	| 'bad-url'
	/** An https page may not call an http server that is not this computer (mixed content). */
	| 'mixed-content'
	/** A host this build's Content-Security-Policy does not allow (see net/hosts.ts). */
	| 'host-not-allowed'
	/** Nothing answered at all: nothing listening, wrong address, offline, DNS. */
	| 'unreachable'
	/**
	 * Something listens there, but the browser withheld its answer (CORS): the server does not
	 * allow this page's origin, or (vLLM) refused the API key without CORS headers.
	 */
	| 'cors'
	/** Connected, but no answer in time. */
	| 'timeout'
	/** HTTP 401: a key is needed, or the one given was refused. */
	| 'unauthorized'
	/** HTTP 403. */
	| 'forbidden'
	/** HTTP 404 for the model list: not an OpenAI-compatible base URL (often a missing /v1). */
	| 'not-found'
	/** HTTP 429, still after the retries. */
	| 'rate-limited'
	/** HTTP 5xx, still after the retries. */
	| 'server-error'
	/** Another status that is not 2xx. */
	| 'http-status'
	/** It answered, but not in the OpenAI format (a web page, other JSON). */
	| 'not-openai'
	/** The model is not (or no longer) on the server. */
	| 'model-gone'
	/** The model's server was removed from the user's list. */
	| 'server-removed'
	/** The conversation is longer than the server's model takes (its 400 says so). */
	| 'context-too-long'
	/** The server refused the request itself (HTTP 400/422, e.g. a setting it does not take). */
	| 'rejected'
	/** The server reported an error in the middle of an answer. */
	| 'stream-error'
	/** The connection broke in the middle of an answer. */
	| 'lost'
	| 'aborted';

/** Facts for the wording: which model, whether a key was sent, the HTTP status. */
export interface RemoteFacts {
	status?: number;
	/** An API key was sent (so a refusal may be about the key). */
	withKey?: boolean;
	/** The server's name of the model concerned. */
	model?: string;
}

/** What Chat and Compare store and show for each remote failure (their wording: src/lib/strings.ts). */
const ENGINE_CODE: Record<RemoteErrorCode, EngineErrorCode> = {
	'bad-url': 'server-error',
	'mixed-content': 'server-error',
	'host-not-allowed': 'server-error',
	unreachable: 'server-lost',
	cors: 'server-error',
	timeout: 'server-lost',
	unauthorized: 'server-error',
	forbidden: 'server-error',
	'not-found': 'server-error',
	'rate-limited': 'server-error',
	'server-error': 'server-error',
	'http-status': 'server-error',
	'not-openai': 'server-error',
	// The chat then treats the model as unloaded; loading it again says by name that it is gone.
	'model-gone': 'model-not-found',
	'server-removed': 'model-not-found',
	'context-too-long': 'context-window-exceeded',
	rejected: 'server-error',
	'stream-error': 'server-error',
	lost: 'server-lost',
	aborted: 'aborted'
};

export class RemoteError extends EngineError {
	readonly remoteCode: RemoteErrorCode;
	/** The server's base URL (or what the user typed, for 'bad-url'). */
	readonly server: string;
	readonly facts: Readonly<RemoteFacts>;

	constructor(remoteCode: RemoteErrorCode, server: string, facts: RemoteFacts = {}, detail = '') {
		super(ENGINE_CODE[remoteCode], detail || `${remoteCode}: ${server}`);
		this.name = 'RemoteError';
		this.remoteCode = remoteCode;
		this.server = server;
		this.facts = facts;
	}
}
