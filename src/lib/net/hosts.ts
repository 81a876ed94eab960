// Which hosts this build of Lantern may connect to, besides itself. The Content-Security-Policy
// (scripts/csp.js) lets the page and the engine worker connect only to the app and these hosts, so
// a custom model or a server elsewhere could never be reached: it is refused when it is added, with
// a message that says how to allow it, instead of failing later with a browser error. Shared by
// models/ (custom models) and remote/ (the user's own servers).

/** This build's model hosts as CSP host sources (e.g. "https://*.hf.co", "http://127.0.0.1:*"). */
export const MODEL_HOSTS: readonly string[] = __MODEL_HOSTS__;

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Whether `url` matches a CSP host source of the form scheme://host[:port], where the host may
 * start with "*." (any subdomain, not the domain itself) and the port may be "*". Like browsers,
 * an http: source also allows https: on the same host.
 */
export function allowedBy(url: string, sources: readonly string[]): boolean {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return false;
	}
	const port = target.port || DEFAULT_PORT[target.protocol] || '';
	return sources.some((source) => {
		const match = /^(https?:)\/\/(\*\.)?([^:/]+)(?::(\d+|\*))?$/i.exec(source);
		if (!match) return false;
		const [, scheme = '', wildcard, host = '', sourcePort] = match;
		const schemeOk =
			target.protocol === scheme.toLowerCase() ||
			(scheme.toLowerCase() === 'http:' && target.protocol === 'https:');
		const hostname = target.hostname.toLowerCase();
		const hostOk = wildcard
			? hostname.endsWith(`.${host.toLowerCase()}`)
			: hostname === host.toLowerCase();
		const portOk =
			sourcePort === '*' || (sourcePort ?? DEFAULT_PORT[scheme.toLowerCase()] ?? '') === port;
		return schemeOk && hostOk && portOk;
	});
}

/** The hosts in words, for messages: "huggingface.co, raw.githubusercontent.com, …". */
export function hostList(sources: readonly string[]): string {
	return sources.map((s) => s.replace(/^https?:\/\//, '')).join(', ');
}
