import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives } from './scripts/csp.js';
import { withHeaders } from './scripts/headers-adapter.js';

/**
 * BASE_PATH lets the same build be hosted under a sub-path, e.g. BASE_PATH=/lantern for a
 * project page. It must start with a slash and have no trailing slash (SvelteKit's rule).
 */
const base = /** @type {'' | `/${string}`} */ ((process.env.BASE_PATH ?? '').replace(/\/+$/, ''));
const out = process.env.BUILD_DIR ?? 'build';

/**
 * Runes mode for the project's own components only. A library in node_modules compiles in the
 * mode it was written for: forcing runes there would break the first one that still uses
 * `export let` (legacy mode). Undefined lets the compiler infer the mode from the file.
 * @param {{ filename: string }} file
 */
export function runesFor({ filename }) {
	return filename.split(/[/\\]/).includes('node_modules') ? undefined : true;
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: runesFor },
	kit: {
		// Every route is prerendered as a shell; 404.html is the SPA fallback that static hosts
		// (GitHub Pages, Netlify, Cloudflare Pages) serve for unknown paths. `_headers` carries the
		// same Content-Security-Policy as the pages' meta tags, for hosts that read it.
		adapter: withHeaders(adapter({ pages: out, assets: out, fallback: '404.html', strict: true }), {
			pages: out
		}),
		paths: { base, relative: false },
		version: { name: process.env.npm_package_version },
		// The first page paints before any script runs (the prerendered shell): its stylesheets go
		// into the page itself rather than holding the first paint for several more requests. The
		// Content-Security-Policy allows them by hash (SvelteKit adds it).
		inlineStyleThreshold: 8 * 1024,
		// See scripts/csp.js. Model hosts beyond the catalog's come from LANTERN_MODEL_HOSTS.
		csp: { mode: 'hash', directives: cspDirectives() }
	}
};

export default config;
