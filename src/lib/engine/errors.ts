// Typed engine errors. WebLLM's errors reach us as `{name, message}` (they cross the worker as
// strings), so `classify` recognises them by name and message prefix, once, at the boundary. The
// wording users read lives in src/lib/strings.ts, keyed by the code.

export type EngineErrorCode =
	| 'no-webgpu'
	| 'no-adapter'
	| 'shader-f16-missing'
	| 'device-lost'
	| 'network'
	| 'storage-full'
	| 'model-library'
	| 'context-window-exceeded'
	| 'model-not-found'
	| 'aborted'
	| 'worker-crashed'
	/** The engine ran in another tab (leader mode), which closed, reloaded or lost its worker. */
	| 'host-closed'
	/**
	 * A load asked with `ifBusy: 'ask'` would unload a model another tab uses, or is writing an
	 * answer with (`EngineError.busy` names them): nothing was unloaded; the user may choose.
	 */
	| 'busy'
	/** The user's own server could not be reached, or the connection broke mid-answer (servers/). */
	| 'server-lost'
	/** The user's own server refused the request or reported an error (servers/). */
	| 'server-error'
	| 'unknown';

/**
 * What another tab does with a model a load would unload: writes an answer (`chat`) or embeds
 * texts (`embed`) with it now, or only has it as its model, idle (`idle`: its chat's, or a Compare
 * run's).
 */
export interface BusyWork {
	modelId: string;
	kind: 'chat' | 'embed' | 'idle';
}

/** What crosses the worker boundary: plain data, structured-cloneable. */
export interface SerializedError {
	code: EngineErrorCode;
	/** The original error's name and message, kept for diagnostics. */
	name: string;
	message: string;
	/** `busy` only: what the load would have cut short. */
	busy?: BusyWork[];
}

export class EngineError extends Error {
	readonly code: EngineErrorCode;
	/** The underlying error's text, for the diagnostics report; never shown as the headline. */
	readonly detail: string;
	/** `busy` only: the other tabs' work the load would have cut short. */
	readonly busy: readonly BusyWork[];

	constructor(code: EngineErrorCode, detail = '', busy: readonly BusyWork[] = []) {
		super(`${code}: ${detail}`);
		this.name = 'EngineError';
		this.code = code;
		this.detail = detail;
		this.busy = busy;
	}

	static from(serialized: SerializedError): EngineError {
		return new EngineError(
			serialized.code,
			`${serialized.name}: ${serialized.message}`,
			serialized.busy ?? []
		);
	}
}

/** Rules in order; the first match wins. Names come from WebLLM 0.2.86's src/error.ts. */
const RULES: ReadonlyArray<{
	code: EngineErrorCode;
	test: (name: string, msg: string) => boolean;
}> = [
	// Only a real AbortError: emscripten's "Aborted(...)" is a crash, not a cancel.
	{ code: 'aborted', test: (n) => n === 'AbortError' },
	{ code: 'no-webgpu', test: (n) => n === 'WebGPUNotAvailableError' },
	{
		code: 'no-adapter',
		test: (n, m) => n === 'WebGPUNotFoundError' || /Cannot find (WebGPU|adapter)/i.test(m)
	},
	{
		code: 'shader-f16-missing',
		test: (n, m) => n === 'ShaderF16SupportError' || /shader-f16/.test(m)
	},
	{
		code: 'device-lost',
		// Mid-answer a lost GPU surfaces from WebGPU itself, not from WebLLM: "DOMException: Device
		// is lost" (a buffer read), "OperationError: Device lost during onSubmittedWorkDone", or an
		// OperationError "failed for an operation-specific reason" (web-llm issues #170, #387).
		test: (n, m) =>
			n === 'DeviceLostError' ||
			n === 'OperationError' ||
			/device (was |is )?lost|GPU connection lost|out of memory|\bOOM\b/i.test(m)
	},
	{
		code: 'context-window-exceeded',
		test: (n, m) =>
			n === 'ContextWindowSizeExceededError' ||
			n === 'EmbeddingExceedContextWindowSizeError' ||
			/exceed context window/i.test(m)
	},
	{
		code: 'storage-full',
		test: (n, m) => n === 'QuotaExceededError' || /QuotaExceeded|quota/i.test(m)
	},
	{
		code: 'network',
		test: (n, m) =>
			n === 'NetworkError' ||
			/Failed to fetch|Network response was not ok|NetworkError|Cannot fetch|Failed to store .* with error|ERR_INTERNET_DISCONNECTED/i.test(
				m
			)
	},
	{
		code: 'model-library',
		test: (n, m) =>
			n === 'LinkError' ||
			n === 'CompileError' ||
			n === 'MissingModelError' ||
			/WebAssembly|\.wasm\b|model_lib/i.test(m)
	},
	{
		code: 'model-not-found',
		// A model asked for the wrong job (an embedding from a chat model) is not loaded for it.
		test: (n) =>
			n === 'ModelNotFoundError' ||
			n === 'SpecifiedModelNotFoundError' ||
			n === 'ModelNotLoadedError' ||
			n === 'IncorrectPipelineLoadedError' ||
			n === 'EmbeddingUnsupportedModelError'
	}
];

export function classify(name: string, message: string): EngineErrorCode {
	for (const rule of RULES) if (rule.test(name, message)) return rule.code;
	return 'unknown';
}

/** Turns anything thrown in the worker into data the page can rebuild an EngineError from. */
export function serializeError(error: unknown): SerializedError {
	if (error instanceof EngineError) {
		const serialized: SerializedError = {
			code: error.code,
			name: error.name,
			message: error.detail
		};
		if (error.busy.length > 0) serialized.busy = [...error.busy];
		return serialized;
	}
	if (
		error instanceof Error ||
		(typeof error === 'object' && error !== null && 'message' in error)
	) {
		const e = error as { name?: unknown; message?: unknown };
		const name = typeof e.name === 'string' ? e.name : 'Error';
		const message = typeof e.message === 'string' ? e.message : String(e.message);
		return { code: classify(name, message), name, message };
	}
	const message = String(error);
	return { code: classify('Error', message), name: 'Error', message };
}
