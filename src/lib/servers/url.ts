// What can be known about a server's address before any request: whether it is a URL at all,
// whether the browser would block it as mixed content, and whether this build's
// Content-Security-Policy lets the page reach it. Checked first, so that these cases are said in
// words instead of surfacing as the browser's one opaque "Failed to fetch".
import { allowedBy, MODEL_HOSTS } from '$lib/net/hosts';
import { RemoteError } from './errors';

/**
 * A base URL as stored: http(s) only, no query or fragment, no trailing slash. A bare host
 * (`http://127.0.0.1:11434`) gets `/v1`, where Ollama, llama.cpp, LM Studio and vLLM all serve the
 * OpenAI-compatible API. Throws RemoteError('bad-url').
 */
export function parseBaseUrl(input: string): string {
	const text = input.trim();
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new RemoteError('bad-url', text);
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
		throw new RemoteError('bad-url', text);
	url.search = '';
	url.hash = '';
	if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
	return url.href.replace(/\/+$/, '');
}

/** The host (and port) of a stored base URL: a server's default label. */
export function hostOf(baseUrl: string): string {
	return new URL(baseUrl).host;
}

/** This computer: `localhost` (and its subdomains), 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
	);
}

/**
 * Whether a page loaded over `pageProtocol` may not call `baseUrl`: browsers block http requests
 * from an https page (mixed content), except to this computer, which they treat as secure.
 */
export function isMixedContent(pageProtocol: string, baseUrl: string): boolean {
	const url = new URL(baseUrl);
	return pageProtocol === 'https:' && url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/** Where the page runs: `location` in the app, a stand-in in tests. */
export interface PageLocation {
	readonly protocol: string;
}

/**
 * Throws the RemoteError that a request to `baseUrl` would meet before reaching the server:
 * mixed content, or a host outside this build's Content-Security-Policy (loopback is always in
 * it). `hosts` is the policy's connect-src host list.
 */
export function checkAddress(
	baseUrl: string,
	page: PageLocation,
	hosts: readonly string[] = MODEL_HOSTS
): void {
	if (isMixedContent(page.protocol, baseUrl)) throw new RemoteError('mixed-content', baseUrl);
	if (!allowedBy(baseUrl, hosts)) throw new RemoteError('host-not-allowed', baseUrl);
}
