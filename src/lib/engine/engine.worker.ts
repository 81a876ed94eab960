// The engine worker: the only place WebLLM is imported. All logic lives in handler.ts; this file
// only adapts WebLLM's MLCEngine to the handler's interface (the compiler checks the fit).
import { MLCEngine } from '@mlc-ai/web-llm';
import { createHandler, type MLCEngineLike } from './handler';
import type { Request, Response } from './protocol';

function webllmEngine(): MLCEngineLike {
	const engine = new MLCEngine();
	return {
		setAppConfig: (config) => engine.setAppConfig(config),
		setInitProgressCallback: (callback) => engine.setInitProgressCallback(callback),
		reload: (ids) => engine.reload(ids),
		unload: () => engine.unload(),
		interruptGenerate: () => engine.interruptGenerate(),
		chat: { completions: { create: (request) => engine.chat.completions.create(request) } }
	};
}

const scope = self as unknown as {
	postMessage(response: Response): void;
	onmessage: ((event: MessageEvent<Request>) => void) | null;
};
const handle = createHandler(webllmEngine, (response) => scope.postMessage(response));
scope.onmessage = (event) => void handle(event.data);
