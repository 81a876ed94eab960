// Builds the service worker's share handler (src/lib/documents/share/serviceWorker.ts) into one
// classic script, `share-target.js`, next to the app's service worker, which loads it with
// `importScripts` (vite.config.ts, workbox `importScripts`). The service worker itself stays
// workbox's generated one; this adds only the handler of the share POST.
import { resolve } from 'node:path';
import { build } from 'vite';

export const SHARE_TARGET_SCRIPT = 'share-target.js';
const ENTRY = 'src/lib/documents/share/serviceWorker.ts';

/** @returns {import('vite').Plugin} */
export function shareTarget() {
	/** @type {import('vite').ResolvedConfig} */
	let config;
	return {
		name: 'lantern-share-target',
		apply: 'build',
		configResolved(resolved) {
			config = resolved;
		},
		// The client build's output folder is where the adapter copies the app from; the service
		// worker is generated after it, so the script is there when the worker is.
		async writeBundle() {
			if (config.build.ssr) return;
			await build({
				configFile: false,
				logLevel: 'warn',
				publicDir: false,
				resolve: { alias: { $lib: resolve('src/lib') } },
				build: {
					outDir: config.build.outDir,
					emptyOutDir: false,
					copyPublicDir: false,
					minify: true,
					rolldownOptions: { checks: { bundlerTimings: false } },
					lib: {
						entry: ENTRY,
						formats: ['iife'],
						name: 'lanternShareTarget',
						fileName: () => SHARE_TARGET_SCRIPT
					}
				}
			});
		}
	};
}
