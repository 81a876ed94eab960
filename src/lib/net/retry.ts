// When to try a request again by itself: the rules the download manager follows for model files,
// shared with the requests to a user's own server (remote/) so both behave the same. A transient
// answer (5xx, 408, 429) is tried again twice, after 1 s and 3 s, or as long as the server asks in
// Retry-After, up to 30 s; anything longer, or anything else, is left to the user.

/**
 * Waits before the automatic retries: a server error is often over within seconds (a restart, an
 * overloaded mirror), so it is tried again twice before the user is bothered.
 */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000];

/** The longest Retry-After waited for without telling the user. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Answers that may go away by themselves: server errors, a timeout (408), too many requests (429). */
export function isTransientStatus(status: number): boolean {
	return status >= 500 || status === 408 || status === 429;
}

/**
 * How long to wait before attempt `attempt + 1` after a transient answer on attempt `attempt` (1
 * for the first), or null to give up and tell the user. `retryAfterMs` is what the server asked
 * for (see parseRetryAfter): waited for when it is longer than the usual delay, unless it is so
 * long that the user is better told.
 */
export function backoffDelay(
	attempt: number,
	retryAfterMs: number | null | undefined,
	delays: readonly number[] = RETRY_DELAYS_MS
): number | null {
	const delay = attempt >= 1 && attempt <= delays.length ? (delays[attempt - 1] ?? null) : null;
	if (delay === null) return null;
	if (typeof retryAfterMs !== 'number') return delay;
	return retryAfterMs <= MAX_RETRY_AFTER_MS ? Math.max(delay, retryAfterMs) : null;
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; null if absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
	const value = header?.trim();
	if (!value) return null;
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const at = Date.parse(value);
	return Number.isNaN(at) ? null : Math.max(0, at - now);
}
