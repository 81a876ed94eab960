// The body of an engine worker: hosts the engine (host.ts) for every tab that connects, and holds
// the host's lifeline. engine.worker.ts calls it with WebLLM; the e2e test worker calls it with a
// scripted engine, so everything but the engine is the production code.
//
// The same script runs as a shared worker (each tab's `connect` event brings a port) or as a
// dedicated worker that a leader tab started (connect.ts), which hands it one port per tab in a
// `connect` message. Either way a tab's first message on its port is `hello`; the host answers
// `welcome` with its lifeline and whether this worker has WebGPU (a shared worker may not: the tab
// then falls back to a leader tab), and watches the tab's own lock to learn when it is gone.
import { createHost, type MLCEngineLikeFactory } from './host';
import { holdLifeline, watchLifeline } from './lifeline';
import {
	names,
	PROTOCOL_VERSION,
	type ConnectMessage,
	type Request,
	type Response
} from './protocol';

async function hasWebGpu(): Promise<boolean> {
	const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
	try {
		return Boolean(await gpu?.requestAdapter());
	} catch {
		return false;
	}
}

export function serveEngine(createEngine: MLCEngineLikeFactory) {
	// Only a shared worker's scope has `onconnect`.
	const shared = 'onconnect' in self;
	const lifeline = holdLifeline('lantern-engine-host');
	// A dedicated worker is only started by a leader tab, which checked WebGPU for itself.
	const gpu = shared ? hasWebGpu() : Promise.resolve(true);
	let host: ReturnType<typeof createHost> | null = null;
	let hostTab: string | null = null;

	function link(port: MessagePort) {
		const post = (response: Response, transfer: Transferable[] = []) =>
			port.postMessage(response, transfer);
		let handle: ((request: Request) => Promise<void>) | null = null;
		port.onmessage = async (event: MessageEvent<Request>) => {
			const request = event.data;
			if (request.kind !== 'hello') {
				void handle?.(request);
				return;
			}
			if (handle || request.version !== PROTOCOL_VERSION) return;
			const [name, hasGpu] = await Promise.all([lifeline, gpu]);
			host ??= createHost(createEngine, {
				host: name,
				mode: shared ? 'shared' : 'leader',
				hostTab,
				lifeline: name
			});
			const { client } = request;
			const state = host.snapshot();
			post({
				kind: 'welcome',
				id: 0,
				host: name,
				lifeline: name,
				gpu: hasGpu,
				version: PROTOCOL_VERSION,
				state
			});
			if (!hasGpu) return;
			handle = host.connect(client, post);
			const served = host;
			watchLifeline(names.tab(client), () => {
				void served.disconnect(client);
				port.close();
			});
		};
	}

	const scope = self as unknown as {
		onconnect: ((event: MessageEvent) => void) | null;
		onmessage: ((event: MessageEvent<ConnectMessage>) => void) | null;
	};
	if (shared) scope.onconnect = (event) => event.ports[0] && link(event.ports[0]);
	else
		scope.onmessage = (event) => {
			if (event.data?.kind !== 'connect' || !event.ports[0]) return;
			hostTab = event.data.hostTab;
			link(event.ports[0]);
		};
}
