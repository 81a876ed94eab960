// Typed download errors. Each code decides what the user is told (src/lib/models/strings.ts) and
// whether retrying can help; the fields say which file and what went wrong, for diagnostics.

export type DownloadErrorCode =
	/** fetch() itself failed: offline, DNS, connection reset, CORS. */
	| 'network'
	/** The server answered, but not 2xx. */
	| 'http-status'
	/** The body is not the file asked for: an HTML page (captive portal, login wall) or bad JSON. */
	| 'not-a-model-file'
	/** The body is shorter or longer than tensor-cache.json says (a cut connection, a proxy). */
	| 'size-mismatch'
	/** The browser's storage quota cannot hold the model. */
	| 'quota'
	/** IndexedDB refused a read or write. */
	| 'storage'
	| 'aborted';

export class DownloadError extends Error {
	readonly code: DownloadErrorCode;
	/** The file concerned, if any. */
	readonly url: string | undefined;
	/** Extra facts for diagnostics: HTTP status, expected and received bytes, quota figures. */
	readonly facts: Readonly<Record<string, number | string>>;

	constructor(
		code: DownloadErrorCode,
		detail: string,
		url?: string,
		facts: Record<string, number | string> = {}
	) {
		super(`${code}: ${detail}${url ? ` (${url})` : ''}`);
		this.name = 'DownloadError';
		this.code = code;
		this.url = url;
		this.facts = facts;
	}
}

/** Whether trying again later (the same download) can succeed. */
export function isRetryable(error: DownloadError): boolean {
	return error.code === 'network' || error.code === 'http-status' || error.code === 'size-mismatch';
}

/** Any thrown value as a DownloadError: abort errors become 'aborted', the rest `fallback`. */
export function toDownloadError(
	error: unknown,
	fallback: DownloadErrorCode,
	url?: string
): DownloadError {
	if (error instanceof DownloadError) return error;
	const name = error instanceof Error ? error.name : '';
	const message = error instanceof Error ? error.message : String(error);
	if (name === 'AbortError') return new DownloadError('aborted', message, url);
	if (name === 'QuotaExceededError') return new DownloadError('quota', message, url);
	return new DownloadError(fallback, `${name ? `${name}: ` : ''}${message}`, url);
}
