// The thin fetch layer between the servers' pure logic and the network: one request to a user's
// server, retried by the download manager's rules (net/retry.ts) while the server answers 429 or
// 5xx, and every failure turned into a RemoteError that says which case it is.
//
// A browser reports "nothing listening" and "blocked by CORS" alike: fetch() rejects with a bare
// TypeError, on purpose (a page must not learn what it may not read). What it does allow is a
// `no-cors` request: it resolves (with an opaque response) when something answered at all, and
// rejects when nothing did. So after a TypeError, one such request to the same URL tells the two
// apart. It carries no key and no body, and goes to the same server the user chose.
import { backoffDelay, isTransientStatus, parseRetryAfter, RETRY_DELAYS_MS } from '$lib/net/retry';
import { RemoteError, type RemoteFacts } from './errors';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** How to reach one server: its base URL and, if it needs one, its API key. */
export interface ServerAccess {
	baseUrl: string;
	apiKey?: string;
}

export interface SendOptions {
	signal?: AbortSignal;
	/** Waits before the retries of a 429/5xx; [] for none (a quick check). */
	retryDelaysMs?: readonly number[];
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** The model concerned, for the wording of a 404. */
	model?: string;
	/** Gives up after this long without an answer (headers); none by default. */
	timeoutMs?: number;
	/**
	 * Told when a 429/5xx makes it wait before trying again (so a page can say so), and with null
	 * once the wait is over.
	 */
	onRetry?: (wait: RetryWait | null) => void;
}

/** A wait before trying again: the status that caused it and how long it lasts. */
export interface RetryWait {
	status: number;
	delayMs: number;
}

/** Waits `ms`, or rejects with RemoteError('aborted') as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const aborted = () => new RemoteError('aborted', '');
		if (signal?.aborted) return reject(aborted());
		const onAbort = () => {
			clearTimeout(timer);
			reject(aborted());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** The headers every request carries: the key, if any. No cookies, no Referer (see `send`). */
export function authHeaders(server: ServerAccess): Record<string, string> {
	return server.apiKey ? { Authorization: `Bearer ${server.apiKey}` } : {};
}

/** Text of a failed response, for diagnostics only (never a headline). */
async function bodyText(response: Response): Promise<string> {
	try {
		return (await response.text()).slice(0, 1000);
	} catch {
		return '';
	}
}

const CONTEXT_WORDS =
	/context length|context window|maximum context|too many tokens|exceeds? the (available )?context|prompt is too long|n_ctx/i;

/** A response that is not 2xx (and not retried), as the RemoteError it means. */
export async function statusError(
	response: Response,
	server: ServerAccess,
	purpose: 'list' | 'answer',
	facts: RemoteFacts
): Promise<RemoteError> {
	const { status } = response;
	const detail = `HTTP ${status} ${response.statusText} ${await bodyText(response)}`.trim();
	const withStatus = { ...facts, status };
	const fail = (code: ConstructorParameters<typeof RemoteError>[0]) =>
		new RemoteError(code, server.baseUrl, withStatus, detail);
	if (status === 401) return fail('unauthorized');
	if (status === 403) return fail('forbidden');
	if (status === 404) return fail(purpose === 'list' ? 'not-found' : 'model-gone');
	if (status === 429) return fail('rate-limited');
	if (status >= 500) return fail('server-error');
	if (status === 400 || status === 413 || status === 422)
		return fail(CONTEXT_WORDS.test(detail) ? 'context-too-long' : 'rejected');
	return fail('http-status');
}

/**
 * What a rejected fetch() means: aborted by the caller, timed out, or (a TypeError) CORS versus
 * nothing listening, told apart by a `no-cors` request as explained above.
 */
export async function explainFailure(
	error: unknown,
	fetchFn: FetchFn,
	url: string,
	server: ServerAccess,
	facts: RemoteFacts,
	signal?: AbortSignal
): Promise<RemoteError> {
	const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	const name = error instanceof Error ? error.name : '';
	if (name === 'TimeoutError') return new RemoteError('timeout', server.baseUrl, facts, detail);
	if (name === 'AbortError' || signal?.aborted)
		return new RemoteError('aborted', server.baseUrl, facts, detail);
	try {
		await fetchFn(url, {
			mode: 'no-cors',
			credentials: 'omit',
			cache: 'no-store',
			referrerPolicy: 'no-referrer',
			...(signal ? { signal } : {})
		});
		return new RemoteError('cors', server.baseUrl, facts, detail);
	} catch (second) {
		const secondName = second instanceof Error ? second.name : '';
		if (secondName === 'TimeoutError')
			return new RemoteError('timeout', server.baseUrl, facts, detail);
		if (secondName === 'AbortError' || signal?.aborted)
			return new RemoteError('aborted', server.baseUrl, facts, detail);
		return new RemoteError('unreachable', server.baseUrl, facts, detail);
	}
}

/**
 * One request to the server, resolved with a 2xx response (its body unread) or rejected with a
 * RemoteError. A 429 or 5xx is tried again after the shared delays (or the server's Retry-After, up
 * to 30 s); nothing else is.
 */
export async function send(
	fetchFn: FetchFn,
	server: ServerAccess,
	path: string,
	init: RequestInit,
	options: SendOptions = {}
): Promise<Response> {
	const url = `${server.baseUrl}${path}`;
	const facts: RemoteFacts = {
		withKey: Boolean(server.apiKey),
		...(options.model === undefined ? {} : { model: options.model })
	};
	const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
	const wait = options.sleep ?? sleep;
	const signals = [
		options.signal,
		options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined
	].filter((s): s is AbortSignal => s !== undefined);
	const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
	for (let attempt = 1; ; attempt++) {
		let response: Response;
		try {
			response = await fetchFn(url, {
				...init,
				headers: { ...authHeaders(server), ...(init.headers as Record<string, string>) },
				credentials: 'omit',
				referrerPolicy: 'no-referrer',
				cache: 'no-store',
				...(signal ? { signal } : {})
			});
		} catch (error) {
			throw await explainFailure(error, fetchFn, url, server, facts, signal);
		}
		if (response.ok) return response;
		if (isTransientStatus(response.status)) {
			const delay = backoffDelay(
				attempt,
				parseRetryAfter(response.headers.get('retry-after')),
				delays
			);
			if (delay !== null) {
				await response.body?.cancel().catch(() => undefined);
				options.onRetry?.({ status: response.status, delayMs: delay });
				try {
					await wait(delay, options.signal);
				} finally {
					options.onRetry?.(null);
				}
				continue;
			}
		}
		throw await statusError(response, server, path === '/models' ? 'list' : 'answer', facts);
	}
}
