// How a tab reaches the one engine of its browser profile. Two ways, chosen by what the browser
// offers:
//
// - shared: a SharedWorker hosts the engine (Chromium on the desktop, where a shared worker has
//   WebGPU). Every tab's link is a port to it; it lives while any tab is open.
// - leader: elsewhere (Firefox, Safari, Chromium on Android: no SharedWorker, or none with WebGPU),
//   one tab, elected with a Web Lock, starts a dedicated engine worker and relays the other tabs'
//   requests to it over BroadcastChannels. Every other tab queues for the same lock, so when the
//   leader closes, the next one in line takes over within moments.
//
// A link does the handshake (`hello`, then `welcome`), holds back requests until then, and reports
// the host's end (its lifeline lock, lifeline.ts) as `down`.
import { watchLifeline } from './lifeline';
import { coalesceDeltas } from './relay';
import {
	names,
	PROTOCOL_VERSION,
	type ConnectMessage,
	type LeaderMessage,
	type RelayedRequest,
	type Request,
	type Response
} from './protocol';

export interface Link {
	post(request: Request): void;
	close(): void;
}

export interface LinkEvents {
	message(response: Response): void;
	/** The host ended (or could not start): everything pending on this link is lost. */
	down(detail: string): void;
}

export type Connect = (client: string, events: LinkEvents) => Link;

/** Holds requests until the host has welcomed this tab, and watches the host's lifeline. */
function handshake(
	client: string,
	events: LinkEvents,
	send: (request: Request) => void,
	onWelcome?: (welcome: Extract<Response, { kind: 'welcome' }>) => boolean
) {
	const waiting: Request[] = [];
	let welcomed = false;
	let closed = false;
	const hello = () => send({ kind: 'hello', id: 0, client, version: PROTOCOL_VERSION });
	return {
		hello,
		get welcomed() {
			return welcomed;
		},
		/** Requests held back so far, taken out (to send another way). */
		drain: () => waiting.splice(0),
		receive(response: Response) {
			if (closed) return;
			if (response.kind === 'welcome') {
				if (welcomed) return;
				if (onWelcome && !onWelcome(response)) return;
				welcomed = true;
				watchLifeline(response.lifeline, () => {
					if (!closed) events.down('the engine host stopped');
				});
				for (const request of waiting.splice(0)) send(request);
			}
			events.message(response);
		},
		post(request: Request) {
			if (welcomed) send(request);
			else waiting.push(request);
		},
		close() {
			closed = true;
		}
	};
}

/** The tab's part in leader mode: whether it leads, and if so its worker and relay. */
class Leadership {
	readonly tab = crypto.randomUUID();
	#createWorker: () => Worker;
	#leading = false;
	#started = false;
	#worker: Worker | null = null;
	#relayed = new Map<string, MessagePort>();
	#announce: BroadcastChannel | null = null;
	#onLead = new Set<() => void>();

	constructor(createWorker: () => Worker) {
		this.#createWorker = createWorker;
	}

	get leading() {
		return this.#leading;
	}

	/** Stands for election once: leads now if nobody does, else queues to lead next. */
	start(): Promise<void> {
		if (this.#started) return Promise.resolve();
		this.#started = true;
		const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
		// Without Web Locks (an insecure context) tabs cannot agree: each hosts its own engine.
		if (!locks) {
			this.#lead();
			return Promise.resolve();
		}
		return new Promise((resolve) => {
			void locks.request(names.leaderLock, { ifAvailable: true }, (lock) => {
				if (lock) {
					this.#lead();
					resolve();
					return new Promise<never>(() => undefined);
				}
				resolve();
				// Another tab leads: be next in line.
				void locks.request(names.leaderLock, () => {
					this.#lead();
					return new Promise<never>(() => undefined);
				});
				return undefined;
			});
		});
	}

	onLead(listener: () => void) {
		this.#onLead.add(listener);
		return () => this.#onLead.delete(listener);
	}

	#lead() {
		this.#leading = true;
		const relay = new BroadcastChannel(names.relayChannel);
		relay.onmessage = (event: MessageEvent<RelayedRequest>) => this.#relay(event.data);
		const announce = new BroadcastChannel(names.leaderChannel);
		this.#announce = announce;
		const say = () =>
			announce.postMessage({ kind: 'leader', tab: this.tab } satisfies LeaderMessage);
		announce.onmessage = (event: MessageEvent<LeaderMessage>) => {
			if (event.data.kind === 'leader?') say();
		};
		say();
		for (const listener of [...this.#onLead]) listener();
	}

	#relay({ from, message }: RelayedRequest) {
		let port = this.#relayed.get(from);
		if (message.kind === 'hello') {
			if (port) return;
			port = this.port();
			this.#relayed.set(from, port);
			const back = new BroadcastChannel(names.tabChannel(from));
			// An answer's tokens are relayed merged, a few a message (relay.ts).
			const send = coalesceDeltas((response) => back.postMessage(response));
			port.onmessage = (event: MessageEvent<Response>) => send(event.data);
		}
		port?.postMessage(message);
	}

	/** A new port to this tab's engine worker (started if need be). */
	port(): MessagePort {
		const worker = this.#worker ?? this.#startWorker();
		const channel = new MessageChannel();
		worker.postMessage({ kind: 'connect', hostTab: this.tab } satisfies ConnectMessage, [
			channel.port2
		]);
		return channel.port1;
	}

	#startWorker(): Worker {
		const worker = this.#createWorker();
		this.#worker = worker;
		this.#announce?.postMessage({ kind: 'hosting' } satisfies LeaderMessage);
		for (const listener of [...hostingHere]) listener();
		const gone = () => {
			if (this.#worker !== worker) return;
			this.#worker = null;
			for (const port of this.#relayed.values()) port.close();
			this.#relayed.clear();
		};
		worker.onerror = (event) => {
			event.preventDefault();
			gone();
		};
		// The worker's lifeline, learnt from its first welcome: once free, the next link starts anew.
		const watch = this.port();
		watch.onmessage = (event: MessageEvent<Response>) => {
			if (event.data.kind === 'welcome') watchLifeline(event.data.lifeline, gone);
			watch.close();
		};
		watch.postMessage({
			kind: 'hello',
			id: 0,
			client: `watch-${this.tab}`,
			version: PROTOCOL_VERSION
		});
		return worker;
	}
}

let leadership: Leadership | null = null;

/** Whether the leader tab `hostTab` (a snapshot's) is this tab: its end would end the engine. */
export function isThisTab(hostTab: string | null): boolean {
	return hostTab !== null && leadership?.tab === hostTab;
}
/** Called when this tab, as leader, starts an engine worker. */
const hostingHere = new Set<() => void>();

/**
 * Calls back whenever a leader tab (this one or another) starts an engine worker, so a tab with
 * no link can link up and hear what the new host holds (after a hand-over, before it asks
 * anything itself).
 */
export function onHostStarted(listener: () => void): () => void {
	hostingHere.add(listener);
	const channel =
		typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(names.leaderChannel);
	if (channel)
		channel.onmessage = (event: MessageEvent<LeaderMessage>) => {
			if (event.data.kind === 'hosting') listener();
		};
	return () => {
		hostingHere.delete(listener);
		channel?.close();
	};
}

/** Leader mode: a direct port in the leading tab, BroadcastChannels to it from the others. */
export function leaderLink(createWorker: () => Worker): Connect {
	return (client, events) => {
		leadership ??= new Leadership(createWorker);
		const leader = leadership;
		let link: { post(r: Request): void; close(): void } | null = null;
		const pending: Request[] = [];
		let closed = false;
		void leader.start().then(() => {
			if (closed) return;
			link = leader.leading ? direct(leader, client, events) : relayed(client, events);
			for (const request of pending.splice(0)) link.post(request);
		});
		return {
			post: (request) => (link ? link.post(request) : pending.push(request)),
			close: () => {
				closed = true;
				link?.close();
			}
		};
	};
}

function direct(leader: Leadership, client: string, events: LinkEvents): Link {
	const port = leader.port();
	const shake = handshake(client, events, (r) => port.postMessage(r));
	port.onmessage = (event: MessageEvent<Response>) => shake.receive(event.data);
	shake.hello();
	return {
		post: (request) => shake.post(request),
		close: () => {
			shake.close();
			port.close();
		}
	};
}

function relayed(client: string, events: LinkEvents): Link {
	const relay = new BroadcastChannel(names.relayChannel);
	const back = new BroadcastChannel(names.tabChannel(client));
	const leaders = new BroadcastChannel(names.leaderChannel);
	const shake = handshake(client, events, (message) =>
		relay.postMessage({ from: client, message } satisfies RelayedRequest)
	);
	back.onmessage = (event: MessageEvent<Response>) => shake.receive(event.data);
	// A leader elected after this hello (the last one just closed) has not heard it: say it again.
	leaders.onmessage = (event: MessageEvent<LeaderMessage>) => {
		if (event.data.kind === 'leader' && !shake.welcomed) shake.hello();
	};
	shake.hello();
	return {
		post: (request) => shake.post(request),
		close: () => {
			shake.close();
			relay.close();
			back.close();
			leaders.close();
		}
	};
}

/** Set once a shared worker said it has no WebGPU: this tab uses leader mode from then on. */
let sharedWithoutGpu = false;

/**
 * Shared mode where the browser has SharedWorker, falling back to `fallback` (leader mode) when
 * it has none or the shared worker has no WebGPU adapter.
 */
export function sharedLink(createShared: (() => SharedWorker) | null, fallback: Connect): Connect {
	return (client, events) => {
		if (!createShared || sharedWithoutGpu) return fallback(client, events);
		let worker: SharedWorker;
		try {
			worker = createShared();
		} catch {
			sharedWithoutGpu = true;
			return fallback(client, events);
		}
		const port = worker.port;
		let instead: Link | null = null;
		const shake = handshake(
			client,
			events,
			(r) => port.postMessage(r),
			(welcome) => {
				if (welcome.gpu) return true;
				sharedWithoutGpu = true;
				port.close();
				instead = fallback(client, events);
				for (const request of shake.drain()) instead.post(request);
				return false;
			}
		);
		worker.onerror = (event) => {
			event.preventDefault();
			events.down('the shared engine worker failed to start');
		};
		port.onmessage = (event: MessageEvent<Response>) => shake.receive(event.data);
		shake.hello();
		return {
			post: (request) => (instead ? instead.post(request) : shake.post(request)),
			close: () => {
				shake.close();
				instead?.close();
				port.close();
			}
		};
	};
}
