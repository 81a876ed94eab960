// The engine worker: the only place WebLLM is imported. All logic lives in handler.ts; this file
// only adapts WebLLM's MLCEngine to the handler's interface (the compiler checks the fit).
import { MLCEngine } from '@mlc-ai/web-llm';
import type { MLCEngineLike } from './handler';
import { serveEngine } from './serve';

function webllmEngine(): MLCEngineLike {
	const engine = new MLCEngine();
	return {
		setAppConfig: (config) => engine.setAppConfig(config),
		setInitProgressCallback: (callback) => engine.setInitProgressCallback(callback),
		reload: (ids, chatOptions) => engine.reload(ids, chatOptions),
		unload: () => engine.unload(),
		interruptGenerate: () => engine.interruptGenerate(),
		chat: { completions: { create: (request) => engine.chat.completions.create(request) } },
		embeddings: { create: (request) => engine.embeddings.create(request) }
	};
}

// The handler calls this once for chat models and once more, on first use, for embedding models.
serveEngine(webllmEngine);
