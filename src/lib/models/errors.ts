// Typed download errors. Each code decides what the user is told (src/lib/models/strings.ts) and
// whether retrying can help; the fields say which file and what went wrong, for diagnostics.
import { backoffDelay, isTransientStatus, RETRY_DELAYS_MS } from '$lib/net/retry';

export type DownloadErrorCode =
	/** fetch() itself failed: offline, DNS, connection reset, CORS. */
	| 'network'
	/** The server does not have the file (HTTP 404 or 410): retrying will not help. */
	| 'not-found'
	/** The server failed (HTTP 5xx): it may recover, so it is retried a few times first. */
	| 'server-error'
	/** The server answered with another status that is not 2xx (403, 429 ...). */
	| 'http-status'
	/** The body is not the file asked for: an HTML page (captive portal, login wall) or bad JSON. */
	| 'not-a-model-file'
	/** The body is shorter or longer than tensor-cache.json says (a cut connection, a proxy). */
	| 'size-mismatch'
	/** The body has the right size but not the md5 tensor-cache.json gives (a corrupted transfer). */
	| 'checksum-mismatch'
	/** A file of a model imported from files is missing: it has no address to download it from. */
	| 'from-files'
	/** The browser's storage quota cannot hold the model. */
	| 'quota'
	/** IndexedDB refused a read or write. */
	| 'storage'
	| 'aborted';

export class DownloadError extends Error {
	readonly code: DownloadErrorCode;
	/** What went wrong, for diagnostics (the message is the code, this and the file). */
	readonly detail: string;
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
		this.detail = detail;
		this.url = url;
		this.facts = facts;
	}
}

/** The error code for a response that is not 2xx: "not there" and "broken for now" differ. */
export function httpErrorCode(status: number): DownloadErrorCode {
	if (status === 404 || status === 410) return 'not-found';
	if (status >= 500) return 'server-error';
	return 'http-status';
}

export { MAX_RETRY_AFTER_MS, parseRetryAfter, RETRY_DELAYS_MS } from '$lib/net/retry';

/**
 * How long to wait before fetching a file again after `error` on attempt `attempt` (1 for the
 * first), or null to give up and tell the user. Only transient server answers are retried here:
 * 5xx, 408 (timeout) and 429 (too many requests), by the shared rules of `$lib/net/retry`. A 404
 * will not change by itself; a dropped connection usually means the user is offline, and Resume
 * continues where it stopped.
 */
export function retryDelay(
	error: DownloadError,
	attempt: number,
	delays: readonly number[] = RETRY_DELAYS_MS
): number | null {
	const status = error.facts.status;
	const transient =
		error.code === 'server-error' ||
		(error.code === 'http-status' && typeof status === 'number' && isTransientStatus(status));
	if (!transient) return null;
	const asked = error.facts.retryAfterMs;
	return backoffDelay(attempt, typeof asked === 'number' ? asked : null, delays);
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
