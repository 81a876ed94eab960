import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * BASE_PATH lets the same build be hosted under a sub-path, e.g. BASE_PATH=/lantern for a
 * project page. It must start with a slash and have no trailing slash (SvelteKit's rule).
 */
const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// Every route is prerendered as a shell; 404.html is the SPA fallback that static hosts
		// (GitHub Pages, Netlify, Cloudflare Pages) serve for unknown paths.
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			fallback: '404.html',
			strict: true
		}),
		paths: { base, relative: false },
		version: { name: process.env.npm_package_version }
	}
};

export default config;
