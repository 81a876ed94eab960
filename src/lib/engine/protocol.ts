// Typed messages between the pages (client.ts) and the engine's host (host.ts, run by serve.ts in
// a shared or dedicated worker; see connect.ts for which). Every request carries an id, unique per
// tab; every response names the request it answers. The kind decides the payload.
//
// Everything that crosses between tabs is named after PROTOCOL_VERSION (the shared worker, the
// locks, the channels), and a tab's `hello` carries it too: two tabs of Lantern versions that
// speak different protocols never reach the same engine. Bump it whenever a message changes shape.
import type { SerializedError } from './errors';
import type { EngineSnapshot } from './snapshot';
import type { ChatRequest, EmbedRequest, LoadProgress, ModelRecord, UsageStats } from './types';

export const PROTOCOL_VERSION = 3;

/** What a load does when it would unload a model another tab uses or is writing an answer with. */
export type IfBusy = 'ask' | 'wait';

export type Request =
	/** The first message on a link: who this tab is (its lock `names.tab(client)` is held). */
	| { kind: 'hello'; id: 0; client: string; version: number }
	/**
	 * `contextWindowSize` and `memoryBudgetMB`, when set, are as in LoadOptions. `ifBusy` 'ask'
	 * refuses with a `busy` error when it would unload a model another tab uses (default 'wait':
	 * replace it, once that tab's answers with it are finished).
	 */
	| {
			kind: 'load';
			id: number;
			models: ModelRecord[];
			contextWindowSize?: number;
			memoryBudgetMB?: number;
			ifBusy?: IfBusy;
	  }
	| { kind: 'chat'; id: number; request: ChatRequest }
	| { kind: 'embed'; id: number; request: EmbedRequest }
	/**
	 * Ends this tab's request `target` early: a load is abandoned (unless another tab waits for the
	 * same load), a chat stops generating, an embedding ends with `aborted` (WebLLM cannot stop a
	 * batch, so its vectors are dropped). Other tabs' requests are never touched.
	 */
	| { kind: 'cancel'; id: number; target: number }
	/** Stops every answer this tab asked for. */
	| { kind: 'interrupt'; id: number }
	/** Frees the GPU, once the answers being written with its models have ended. */
	| { kind: 'unload'; id: number }
	| { kind: 'loaded'; id: number };

export type Response =
	/**
	 * The host's answer to `hello` (id 0). It holds the Web Lock `lifeline` for as long as it lives,
	 * so a tab learns of its end by asking for that lock (lifeline.ts). `gpu` says whether it got a
	 * WebGPU adapter (a shared worker may not offer WebGPU: then the tab hosts the engine itself).
	 */
	| {
			kind: 'welcome';
			id: 0;
			host: string;
			lifeline: string;
			gpu: boolean;
			version: number;
			state: EngineSnapshot;
	  }
	/** The host's state after a change, sent to every tab (id 0, answering no request). */
	| { kind: 'state'; id: 0; state: EngineSnapshot }
	| { kind: 'progress'; id: number; progress: LoadProgress }
	| { kind: 'delta'; id: number; text: string }
	| { kind: 'usage'; id: number; stats: UsageStats }
	/** An embed request's vectors (their buffers are transferred, not copied), before its `ok`. */
	| { kind: 'embedded'; id: number; vectors: Float32Array[] }
	/**
	 * `loaded`: the ids on the GPU now (load, unload, loaded). `state`: the host's state right after
	 * a load or unload, so the tab's view is current before its call returns (the broadcast of the
	 * same state may arrive later).
	 */
	| { kind: 'ok'; id: number; loaded?: string[]; state?: EngineSnapshot }
	| { kind: 'error'; id: number; error: SerializedError };

/** Distributes Omit over a union, so each kind keeps its own payload. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<Exclude<Request, { kind: 'hello' }>, 'id'>;

/**
 * What a dedicated engine worker's own `onmessage` receives (a shared worker gets `connect`
 * events instead): a port to serve one tab on. `hostTab` is the tab that runs the worker.
 */
export interface ConnectMessage {
	kind: 'connect';
	hostTab: string;
}

/** The leader election's channel, in leader mode (connect.ts). */
export type LeaderMessage =
	| { kind: 'leader?' }
	| { kind: 'leader'; tab: string }
	/** The leader started an engine worker: tabs without a link may link up to hear its state. */
	| { kind: 'hosting' };

/** A request relayed from a tab to the leader tab, which hands it to its worker. */
export interface RelayedRequest {
	from: string;
	message: Request;
}

/** The names of everything tabs share, for one protocol version. */
export const names = {
	/** The shared worker that hosts the engine. */
	sharedWorker: `lantern-engine-v${PROTOCOL_VERSION}`,
	/** Held by the tab that hosts the engine in leader mode; the others queue for it. */
	leaderLock: `lantern-engine-leader-v${PROTOCOL_VERSION}`,
	/** Who the leader is (leader mode). */
	leaderChannel: `lantern-engine-leader-v${PROTOCOL_VERSION}`,
	/** Requests to the leader tab (leader mode). */
	relayChannel: `lantern-engine-relay-v${PROTOCOL_VERSION}`,
	/** Responses from the leader tab to one tab (leader mode). */
	tabChannel: (tab: string) => `lantern-engine-relay-v${PROTOCOL_VERSION}-${tab}`,
	/** Held by each tab that uses the engine for as long as it lives: the host watches it. */
	tab: (tab: string) => `lantern-engine-tab-${tab}`
} as const;
