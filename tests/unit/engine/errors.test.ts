import { describe, expect, it } from 'vitest';
import { classify, EngineError, serializeError } from '../../../src/lib/engine/errors';

describe('classify', () => {
	it.each([
		['WebGPUNotAvailableError', 'WebGPU is not supported in your current environment', 'no-webgpu'],
		['WebGPUNotFoundError', 'Cannot find WebGPU in the environment', 'no-adapter'],
		[
			'ShaderF16SupportError',
			'This model requires WebGPU extension shader-f16',
			'shader-f16-missing'
		],
		['DeviceLostError', 'The WebGPU device was lost while loading the model.', 'device-lost'],
		// What a GPU lost in the middle of an answer throws (reported in web-llm issues).
		['Error', 'DOMException: Device is lost', 'device-lost'],
		['OperationError', 'Device lost during onSubmittedWorkDone', 'device-lost'],
		['OperationError', 'The operation failed for an operation-specific reason', 'device-lost'],
		[
			'ContextWindowSizeExceededError',
			'Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096',
			'context-window-exceeded'
		],
		// Embeddings (WebLLM 0.2.86's own messages).
		[
			'EmbeddingExceedContextWindowSizeError',
			'The embedding model you are using only supports up to 512 context size.However, an input in the batch has size 700.',
			'context-window-exceeded'
		],
		[
			'IncorrectPipelineLoadedError',
			'EmbeddingCreateParams expects model to be loaded with EmbeddingPipeline. However, q is not loaded with this pipeline.',
			'model-not-found'
		],
		[
			'ModelNotLoadedError',
			'Model not loaded before trying to complete embedding.',
			'model-not-found'
		],
		[
			'Error',
			'Failed to store https://hf.co/x/params_shard_3.bin with error: TypeError: Failed to fetch',
			'network'
		],
		[
			'Error',
			'Failed to store https://hf.co/x/p.bin with error: QuotaExceededError: full',
			'storage-full'
		],
		[
			'LinkError',
			'WebAssembly.instantiate(): Import #3 "env" "x": function import requires a callable',
			'model-library'
		],
		['ModelNotFoundError', 'Cannot find model record in appConfig for x', 'model-not-found'],
		['AbortError', 'The operation was aborted.', 'aborted'],
		['RuntimeError', 'Aborted(something). Build with -sASSERTIONS for more info.', 'unknown']
	])('%s: %s → %s', (name, message, code) => {
		expect(classify(name, message)).toBe(code);
	});
});

describe('serializeError', () => {
	it('keeps the code of an EngineError', () => {
		expect(serializeError(new EngineError('aborted', 'load cancelled'))).toEqual({
			code: 'aborted',
			name: 'EngineError',
			message: 'load cancelled'
		});
	});

	it('classifies plain errors and non-errors', () => {
		const e = new Error('The WebGPU device was lost');
		e.name = 'DeviceLostError';
		expect(serializeError(e).code).toBe('device-lost');
		expect(serializeError('boom')).toEqual({ code: 'unknown', name: 'Error', message: 'boom' });
	});

	it('round-trips into an EngineError with the original text as detail', () => {
		const error = EngineError.from({
			code: 'network',
			name: 'TypeError',
			message: 'Failed to fetch'
		});
		expect(error).toBeInstanceOf(EngineError);
		expect(error.code).toBe('network');
		expect(error.detail).toBe('TypeError: Failed to fetch');
	});
});
