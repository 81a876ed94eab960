// The body of an engine worker: routes the page's messages to the handler and holds the worker's
// lifeline. engine.worker.ts calls it with WebLLM; the e2e test worker calls it with a scripted
// engine, so everything but the engine is the production code.
import { createHandler, type MLCEngineLike } from './handler';
import { holdLifeline } from './lifeline';
import type { Request, Response } from './protocol';

export function serveEngine(createEngine: () => MLCEngineLike) {
	const scope = self as unknown as {
		postMessage(response: Response, transfer?: Transferable[]): void;
		onmessage: ((event: MessageEvent<Request>) => void) | null;
	};
	const post = (response: Response, transfer: Transferable[] = []) =>
		scope.postMessage(response, transfer);
	const handle = createHandler(createEngine, post);
	scope.onmessage = (event) => void handle(event.data);
	holdLifeline(post);
}
