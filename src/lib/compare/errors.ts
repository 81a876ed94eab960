// What a compare action can fail with. Engine and storage failures keep their own types
// (engine/errors.ts, storage/errors.ts), from where they happen to the notice that shows them;
// this adds what only Compare meets. The wording is in strings.ts (`compareText.errors`).
import { EngineError } from '$lib/engine/errors';
import { StorageError } from '$lib/storage/errors';

export type CompareErrorCode =
	/** A model of a saved comparison or suite run is no longer among this device's models. */
	'model-missing';

export class CompareError extends Error {
	readonly code: CompareErrorCode;

	constructor(code: CompareErrorCode, detail = '') {
		super(detail ? `${code}: ${detail}` : code);
		this.name = 'CompareError';
		this.code = code;
	}
}

export type CompareProblem = EngineError | StorageError | CompareError;

/** Typed errors pass unchanged; anything else was unexpected, and is reported as such. */
export function toCompareProblem(error: unknown): CompareProblem {
	if (
		error instanceof EngineError ||
		error instanceof StorageError ||
		error instanceof CompareError
	)
		return error;
	return new EngineError('unknown', error instanceof Error ? error.message : String(error));
}
