// Serves the production build (build/) like a plain static host, optionally under a sub-path
// (BASE_PATH), and prints its URL. Used by `npm start` and by the e2e tests. No dependencies.
// Like Netlify and Cloudflare Pages, it applies the build's `_headers` file (the
// Content-Security-Policy among them: scripts/headers-adapter.js writes it).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {Record<string, string>} */
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.ico': 'image/x-icon',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8'
};

/**
 * @param {string} path
 * @returns {Promise<string | null>}
 */
async function fileAt(path) {
	try {
		const info = await stat(path);
		if (info.isFile()) return path;
		if (info.isDirectory()) return fileAt(join(path, 'index.html'));
	} catch {
		/* not found */
	}
	return null;
}

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
	const server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		let pathname = decodeURIComponent(url.pathname);
		if (base && pathname === base) {
			res.writeHead(301, { location: `${base}/` }).end();
			return;
		}
		if (base && !pathname.startsWith(`${base}/`)) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
			return;
		}
		pathname = pathname.slice(base.length);
		const target = normalize(join(dir, pathname));
		if (!target.startsWith(dir)) {
			res.writeHead(403).end();
			return;
		}
		const found = pathname === '/_headers' ? null : await fileAt(target);
		// Like GitHub Pages: unknown paths get the SPA fallback, with a 404 status.
		const file = found ?? (await fileAt(join(dir, '404.html')));
		if (!file) {
			res.writeHead(404).end('Not found');
			return;
		}
		const headers = {
			...headersFor(rules, pathname),
			'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
			'cache-control': file.includes('/_app/immutable/')
				? 'public, max-age=31536000, immutable'
				: 'no-cache'
		};
		res.writeHead(found ? 200 : 404, headers);
		if (req.method === 'HEAD') res.end();
		else createReadStream(file).pipe(res);
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
