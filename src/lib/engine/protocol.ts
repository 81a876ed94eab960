// Typed messages between the page (client.ts) and the engine worker (handler.ts). Every request
// carries an id; every response names the request it answers. The kind decides the payload.
import type { SerializedError } from './errors';
import type { ChatRequest, EmbedRequest, LoadProgress, ModelRecord, UsageStats } from './types';

export type Request =
	/** `contextWindowSize` and `memoryBudgetMB`, when set, are as in LoadOptions. */
	| {
			kind: 'load';
			id: number;
			models: ModelRecord[];
			contextWindowSize?: number;
			memoryBudgetMB?: number;
	  }
	| { kind: 'chat'; id: number; request: ChatRequest }
	| { kind: 'embed'; id: number; request: EmbedRequest }
	/**
	 * Ends the request `target` early: a load is abandoned, a chat stops generating, an embedding
	 * ends with `aborted` (WebLLM cannot stop a batch, so its vectors are dropped).
	 */
	| { kind: 'cancel'; id: number; target: number }
	| { kind: 'interrupt'; id: number }
	| { kind: 'unload'; id: number }
	| { kind: 'loaded'; id: number };

export type Response =
	| { kind: 'progress'; id: number; progress: LoadProgress }
	| { kind: 'delta'; id: number; text: string }
	| { kind: 'usage'; id: number; stats: UsageStats }
	/** An embed request's vectors (their buffers are transferred, not copied), before its `ok`. */
	| { kind: 'embedded'; id: number; vectors: Float32Array[] }
	| { kind: 'ok'; id: number; loaded?: string[] }
	| { kind: 'error'; id: number; error: SerializedError }
	/**
	 * Sent once by a new worker (id 0, answering no request): it holds the Web Lock `lock` for as
	 * long as it lives, so the page learns of its death by asking for that lock (lifeline.ts).
	 */
	| { kind: 'alive'; id: 0; lock: string };

/** Distributes Omit over a union, so each kind keeps its own payload. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<Request, 'id'>;
