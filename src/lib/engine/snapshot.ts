// The engine's own state, as its host publishes it to every tab: the one truth of what is on the
// GPU, what is loading and which answers are being written, and for which tab. Plain data (it
// crosses tabs as a structured clone); EngineState.svelte.ts turns it into the reactive view that
// Chat, Compare, the header and the update prompt read.
import type { Purpose } from './purpose';
import type { LoadProgress } from './types';

/** A model on the GPU. */
export interface HostModel {
	id: string;
	purpose: Purpose;
	/** The context window it was loaded with in place of its own; null = its own. */
	contextWindowSize: number | null;
	/** The tabs that use it: loaded it, or asked it for answers or vectors (sharing.ts). */
	users: string[];
}

/** The load the host is carrying out (or waiting to start) now. */
export interface HostLoad {
	modelIds: string[];
	/** The tabs that asked for it. */
	clients: string[];
	/** True while it waits for answers with the models it will unload to end. */
	waiting: boolean;
	progress: LoadProgress | null;
}

/** An answer or an embedding batch asked for by a tab. */
export interface HostWork {
	client: string;
	modelId: string;
	kind: 'chat' | 'embed';
	/** False while it waits its turn (one generation per model at a time). */
	running: boolean;
}

export interface EngineSnapshot {
	/** The host's id: one per worker life. */
	host: string;
	/** Grows with every change, so a tab keeps the newest of what reaches it by two ways. */
	seq: number;
	/** 'shared': a shared worker; 'leader': a dedicated worker in the tab `hostTab`. */
	mode: 'shared' | 'leader';
	hostTab: string | null;
	/** The host's lifeline lock (lifeline.ts): free once the host is gone. */
	lifeline: string;
	/** Tabs connected now. */
	clients: string[];
	models: HostModel[];
	loading: HostLoad | null;
	work: HostWork[];
}

/** Whether `next` should replace `current` (the same host's newer state, or another host's). */
export function isNewer(next: EngineSnapshot, current: EngineSnapshot | null): boolean {
	return !current || current.host !== next.host || next.seq > current.seq;
}
