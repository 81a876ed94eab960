// Lantern's Content-Security-Policy, in one place. svelte.config.js gives the directives to
// SvelteKit, which writes them (with the hash of its one inline script) into every page as a
// <meta> tag; scripts/headers-adapter.js writes the same policy, plus what a meta tag cannot
// carry, into `_headers` for hosts that read one (Netlify, Cloudflare Pages), and scripts/serve.js
// applies that file. vite.config.ts hands the model hosts to the app, which checks custom models
// and servers against them (src/lib/net/hosts.ts).
//
// The policy: scripts only from the app itself (no inline or injected script), WebAssembly
// compilation for WebLLM ('wasm-unsafe-eval'), and network access only to the app and to the
// model hosts.

/** Where the prebuilt catalog's files live: Hugging Face (and the CDNs its downloads redirect to), GitHub. */
export const CATALOG_MODEL_HOSTS = [
	'https://huggingface.co',
	'https://*.huggingface.co',
	'https://*.hf.co',
	'https://raw.githubusercontent.com'
];

/** The user's own computer, for models they serve themselves (never a third party). */
export const LOOPBACK_HOSTS = ['http://127.0.0.1:*', 'http://localhost:*'];

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * SvelteKit's own page-title announcer (in the root component it generates) carries a style
 * attribute that hides it visually. Rather than allow every inline style, the policy allows
 * exactly that one attribute by its hash ('unsafe-hashes'). Read from the installed Kit, so an
 * upgrade that changes it fails the build here instead of showing the announcer.
 * @returns {string}
 */
export function announcerStyleHash() {
	const require = createRequire(import.meta.url);
	const kit = dirname(require.resolve('@sveltejs/kit/package.json'));
	const source = readFileSync(join(kit, 'src/core/sync/write_root.js'), 'utf8');
	const style = /id="svelte-announcer"[^>]*style="([^"]+)"/.exec(source)?.[1];
	if (!style) throw new Error("scripts/csp.js: SvelteKit's announcer style was not found.");
	return `sha256-${createHash('sha256').update(style).digest('base64')}`;
}

const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

/**
 * The hosts models may be downloaded from: the catalog's, loopback, and those in
 * LANTERN_MODEL_HOSTS (origins separated by spaces or commas, e.g.
 * "https://models.example.org https://*.example.net").
 * @param {string | undefined} extra
 * @returns {string[]}
 */
export function modelHosts(extra = process.env.LANTERN_MODEL_HOSTS) {
	const added = (extra ?? '')
		.split(/[\s,]+/)
		.map((s) => s.trim().replace(/\/+$/, ''))
		.filter(Boolean);
	for (const origin of added) {
		if (!ORIGIN.test(origin)) {
			throw new Error(
				`LANTERN_MODEL_HOSTS: "${origin}" is not an origin. Use the scheme and host only, ` +
					`e.g. https://models.example.org or https://*.example.org (a port is allowed).`
			);
		}
	}
	return [...new Set([...CATALOG_MODEL_HOSTS, ...LOOPBACK_HOSTS, ...added])];
}

/**
 * The directives, in SvelteKit's form (keywords unquoted). Kit adds the hash of its inline script
 * to script-src.
 * @param {string[]} hosts
 * @returns {Record<string, string[]>}
 */
export function cspDirectives(hosts = modelHosts()) {
	return {
		'default-src': ['self'],
		'script-src': ['self', 'wasm-unsafe-eval'],
		'style-src': ['self'],
		'style-src-attr': ['unsafe-hashes', announcerStyleHash()],
		'img-src': ['self', 'data:', 'blob:'],
		'font-src': ['self'],
		'connect-src': ['self', ...hosts],
		'worker-src': ['self'],
		'manifest-src': ['self'],
		'frame-src': ['none'],
		'object-src': ['none'],
		'base-uri': ['self'],
		'form-action': ['none']
	};
}

/** Directives that only an HTTP header can carry (browsers ignore them in a meta tag). */
export const HEADER_ONLY_DIRECTIVES = { 'frame-ancestors': ['none'] };

const KEYWORDS = new Set([
	'self',
	'none',
	'wasm-unsafe-eval',
	'unsafe-hashes',
	'unsafe-inline',
	'unsafe-eval'
]);

/**
 * A policy as header text.
 * @param {Record<string, string[]>} directives
 * @returns {string}
 */
export function serializeCsp(directives) {
	return Object.entries(directives)
		.map(([name, values]) =>
			[name, ...values.map((v) => (KEYWORDS.has(v) || /^sha\d{3}-/.test(v) ? `'${v}'` : v))].join(
				' '
			)
		)
		.join('; ');
}
