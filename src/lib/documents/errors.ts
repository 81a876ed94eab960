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

/** A file refused before anything was stored: the space left cannot hold it and its index. */
export class TooBigError extends Error {
	readonly size: number;
	/** Bytes it would take with its index (see storageNeed). */
	readonly needed: number;
	readonly available: number;

	constructor(size: number, needed: number, available: number) {
		super(`needs ${needed} bytes, ${available} available`);
		this.name = 'TooBigError';
		this.size = size;
		this.needed = needed;
		this.available = available;
	}
}
