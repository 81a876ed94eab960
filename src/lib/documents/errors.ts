// Typed errors of the documents feature. The wording users read is in strings.ts, keyed by code.
import type { ReadErrorCode } from './types';

/** A file that cannot be read into passages (it stays listed as failed, with the reason). */
export class ReadError extends Error {
	readonly code: ReadErrorCode;

	constructor(code: ReadErrorCode, detail = '') {
		super(detail ? `${code}: ${detail}` : code);
		this.name = 'ReadError';
		this.code = code;
	}
}

/**
 * The documents worker failed to start or stopped (its script could not be loaded, or the browser
 * ended it): not the file's fault, so the document is not marked failed; indexing waits.
 */
export class ReaderStoppedError extends Error {
	constructor(detail: string) {
		super(detail);
		this.name = 'ReaderStoppedError';
	}
}
