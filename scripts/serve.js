// Serves the production build (build/) like a plain static host, optionally under a sub-path
// (BASE_PATH), and prints its URL. Used by `npm start`, the e2e tests and the benchmarks.
// Like Netlify and Cloudflare Pages, it applies the build's `_headers` file (the
// Content-Security-Policy among them: scripts/headers-adapter.js writes it).
//
// Files are served by sirv (the static server SvelteKit's own preview uses), which keeps every
// request inside the build folder. Around it: a request whose address cannot be decoded is refused
// with 400 (it used to end the process), the sub-path, the SPA fallback, the headers, and a share
// that no service worker took (SHARE_ACTION).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/**
 * Rules of a `_headers` file: a path pattern (a trailing `*` matches any rest) followed by
 * indented `Name: value` lines. Paths are relative to the build folder.
 * @param {string} text
 * @returns {Array<{ pattern: string, headers: Record<string, string> }>}
 */
export function parseHeadersFile(text) {
	/** @type {Array<{ pattern: string, headers: Record<string, string> }>} */
	const rules = [];
	for (const line of text.split('\n')) {
		if (!line.trim() || line.trim().startsWith('#')) continue;
		if (!/^\s/.test(line)) {
			rules.push({ pattern: line.trim(), headers: {} });
			continue;
		}
		const at = line.indexOf(':');
		const rule = rules.at(-1);
		if (rule && at > 0)
			rule.headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
	}
	return rules;
}

/**
 * @param {ReturnType<typeof parseHeadersFile>} rules
 * @param {string} path
 */
function headersFor(rules, path) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const { pattern, headers } of rules) {
		const match = pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
		if (match) Object.assign(out, headers);
	}
	return out;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * "Share to Lantern" posts to the manifest's `share_target.action` (vite.config.ts), which the
 * app's service worker answers on the device. When the site's data was cleared, the app stays
 * installed but has no service worker, and the post reaches this server: it sends the browser to
 * the app with `?share=lost` (documents/share/receive.ts's SHARE_PARAM and SHARE_LOST, kept equal by
 * a unit test), which says what happened; opening the app sets it up again.
 */
export const SHARE_ACTION = '/share/';
export const SHARE_LOST_QUERY = '?share=lost';

/**
 * The request's path with `.` and `..` segments resolved the way a browser does, still encoded;
 * null when the address cannot be parsed.
 * @param {string} raw
 * @returns {URL | null}
 */
function requestUrl(raw) {
	try {
		// Appended to an origin rather than resolved against it: `//x/y` stays a path.
		return new URL(`http://localhost${raw.startsWith('/') ? '' : '/'}${raw}`);
	} catch {
		return null;
	}
}

/**
 * `encoded`, decoded; null when it cannot be (malformed percent-encoding such as `/%`, or a cut
 * UTF-8 sequence such as `/%E0%A4%A`).
 * @param {string} encoded
 */
function decoded(encoded) {
	try {
		return decodeURIComponent(encoded);
	} catch {
		return null;
	}
}

/**
 * @param {{ root?: string, base?: string, port?: number, host?: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveBuild({
	root = 'build',
	base = '',
	port = 4173,
	host = '127.0.0.1'
} = {}) {
	const dir = resolve(root);
	base = base.replace(/\/+$/, '');
	const rules = parseHeadersFile(await readFile(join(dir, '_headers'), 'utf8').catch(() => ''));
	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {string} pathname
	 */
	const setHeaders = (res, pathname) => {
		for (const [name, value] of Object.entries(headersFor(rules, pathname)))
			res.setHeader(name, value);
		res.setHeader(
			'cache-control',
			pathname.startsWith('/_app/immutable/') ? IMMUTABLE : 'no-cache'
		);
	};
	// `dev`: look files up at each request rather than listing the folder once at start, so a
	// build written while the server runs (a test deploying a new version) is served as it is now.
	const files = sirv(dir, { dev: true, etag: false, setHeaders });

	/**
	 * Like GitHub Pages: unknown paths get the SPA fallback, with a 404 status.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {string} pathname
	 */
	async function notFound(req, res, pathname) {
		const fallback = join(dir, '404.html');
		const found = await stat(fallback).then(
			(info) => info.isFile(),
			() => false
		);
		if (!found) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
			return;
		}
		setHeaders(res, pathname);
		res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
		if (req.method === 'HEAD') res.end();
		else createReadStream(fallback).pipe(res);
	}

	// The base as a parsed URL spells it, to compare with request paths before they are decoded.
	const encodedBase = base ? new URL(`http://localhost${base}`).pathname : '';
	const server = createServer((req, res) => {
		const url = requestUrl(req.url ?? '/');
		const path = url && decoded(url.pathname);
		if (!url || path === null) {
			res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
			return;
		}
		if (base && url.pathname === encodedBase) {
			res.writeHead(301, { location: `${base}/` }).end();
			return;
		}
		if (base && !url.pathname.startsWith(`${encodedBase}/`)) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
			return;
		}
		const below = url.pathname.slice(encodedBase.length);
		const pathname = path.slice(base.length);
		if (req.method === 'POST' && pathname === SHARE_ACTION) {
			// Read the upload to its end before answering: a browser still sending a large file
			// may report an answer that arrives first as a failed request.
			req.resume();
			req.on('end', () => res.writeHead(303, { location: `${base}/${SHARE_LOST_QUERY}` }).end());
			return;
		}
		const fallback = () => void notFound(req, res, pathname);
		// The host's own configuration is not a page (however the path spells it).
		if (posix.normalize(pathname).replace(/\/+$/, '').toLowerCase() === '/_headers')
			return fallback();
		// sirv reads the address itself (and keeps it inside the folder): the path below the base.
		req.url = below + url.search;
		files(req, res, fallback);
	});
	await new Promise((ok) => server.listen(port, host, () => ok(undefined)));
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	return {
		url: `http://${host}:${actualPort}${base}/`,
		close: () => new Promise((ok) => server.close(() => ok(undefined)))
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { url } = await serveBuild({
		root: process.env.BUILD_DIR ?? 'build',
		base: process.env.BASE_PATH ?? '',
		port: Number(process.env.PORT ?? 4173),
		host: process.env.HOST ?? '127.0.0.1'
	});
	console.log(`Lantern is running at ${url}  (Ctrl+C to stop)`);
}
