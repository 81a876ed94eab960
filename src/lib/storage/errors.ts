// Typed storage errors. The wording users read is in src/lib/strings.ts, keyed by the code.

export type StorageErrorCode =
	/** The conversation or message was deleted (perhaps in another tab). */
	| 'not-found'
	/** The browser refused to store more (disk full or the site's quota reached). */
	| 'quota-exceeded'
	/** Another tab runs a newer Lantern that upgraded the database: this page must reload. */
	| 'outdated'
	/** IndexedDB is unavailable (private mode in some browsers) or failed. */
	| 'unavailable';

export class StorageError extends Error {
	readonly code: StorageErrorCode;
	/** What the browser said, if anything (for the console and bug reports). */
	readonly detail: string;

	constructor(code: StorageErrorCode, detail = '') {
		super(detail ? `${code}: ${detail}` : code);
		this.name = 'StorageError';
		this.code = code;
		this.detail = detail;
	}

	/** Wraps whatever IndexedDB threw; StorageErrors pass through unchanged. */
	static from(error: unknown): StorageError {
		if (error instanceof StorageError) return error;
		const name = error instanceof Error || error instanceof DOMException ? error.name : '';
		const message = error instanceof Error ? error.message : String(error);
		const code: StorageErrorCode =
			name === 'QuotaExceededError'
				? 'quota-exceeded'
				: name === 'VersionError'
					? 'outdated'
					: 'unavailable';
		return new StorageError(code, message);
	}
}

/** Runs an IndexedDB operation, turning whatever it throws into a StorageError. */
export async function storageOp<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw StorageError.from(error);
	}
}

export type BackupErrorCode =
	/** The file is not JSON at all. */
	| 'not-json'
	/** JSON, but not a Lantern backup (another app's file, or a single-conversation export). */
	| 'foreign'
	/** A Lantern backup from a newer version than this one understands. */
	| 'newer-version'
	/** A Lantern backup with missing or invalid entries; `issues` lists them. */
	| 'malformed';

export class BackupError extends Error {
	readonly code: BackupErrorCode;
	/** For `malformed`: `path: problem` lines, e.g. `messages[3].role: invalid`. */
	readonly issues: readonly string[];

	constructor(code: BackupErrorCode, issues: readonly string[] = []) {
		super(issues.length ? `${code}: ${issues.slice(0, 5).join('; ')}` : code);
		this.name = 'BackupError';
		this.code = code;
		this.issues = issues;
	}
}
