import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import { webllmCatalog } from './scripts/webllm-catalog-plugin.js';
import { i18nMessages } from './scripts/i18n-compile.js';
import { modelHosts } from './scripts/csp.js';
import { SHARE_TARGET_SCRIPT, shareTarget } from './scripts/share-target-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const base = (process.env.BASE_PATH ?? '').replace(/\/+$/, '');

// The document types Lantern reads, offered to the system for "Open with" and "Share to".
const DOCUMENT_TYPES: Record<string, string[]> = {
	'application/pdf': ['.pdf'],
	'text/markdown': ['.md', '.markdown'],
	'text/html': ['.html', '.htm'],
	'text/plain': ['.txt', '.text', '.log'],
	'text/csv': ['.csv']
};

export default defineConfig({
	plugins: [
		i18nMessages(),
		webllmCatalog(),
		sveltekit(),
		shareTarget(),
		SvelteKitPWA({
			strategies: 'generateSW',
			// The page asks the user before a new version takes over (see src/lib/pwa).
			registerType: 'prompt',
			injectRegister: false,
			filename: 'sw.js',
			scope: `${base}/`,
			base: `${base}/`,
			manifest: {
				name: 'Lantern: private AI chat',
				short_name: 'Lantern',
				description:
					'Chat with open language models on your own GPU. Nothing you type leaves your device.',
				id: `${base}/`,
				start_url: `${base}/`,
				scope: `${base}/`,
				display: 'standalone',
				// "Open with Lantern" for the documents it reads: the installed app gets the files
				// through the launch queue (src/lib/documents/launch.ts), never over the network.
				file_handlers: [{ action: `${base}/`, accept: DOCUMENT_TYPES }],
				// "Share to Lantern": the system posts the files and text to the app's share address,
				// which its service worker answers on the device (src/lib/documents/share/receive.ts).
				share_target: {
					action: `${base}/share/`,
					method: 'POST',
					enctype: 'multipart/form-data',
					params: {
						title: 'title',
						text: 'text',
						url: 'url',
						files: [
							{
								name: 'files',
								accept: [...Object.keys(DOCUMENT_TYPES), ...Object.values(DOCUMENT_TYPES).flat()]
							}
						]
					}
				},
				background_color: '#0f1115',
				theme_color: '#0f1115',
				icons: [
					{ src: `${base}/icons/icon-192.png`, sizes: '192x192', type: 'image/png' },
					{ src: `${base}/icons/icon-512.png`, sizes: '512x512', type: 'image/png' },
					{
						src: `${base}/icons/icon-maskable-512.png`,
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			workbox: {
				// The engine worker chunk is ~6 MB: offline start needs it precached.
				maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webp,webmanifest,wasm}',
					'prerendered/**/*.html'
				],
				navigateFallback: `${base}/`,
				// Only our own precache is ever cleaned up; WebLLM's caches are never touched.
				cleanupOutdatedCaches: true,
				// The first install takes control at once; updates wait in `waiting` for the user.
				clientsClaim: true,
				cacheId: 'lantern',
				// The share target's handler (scripts/share-target-plugin.js), beside sw.js.
				importScripts: [SHARE_TARGET_SCRIPT],
				runtimeCaching: []
			},
			kit: { trailingSlash: 'always', includeVersionFile: false }
		})
	],
	define: {
		__APP_VERSION__: JSON.stringify(pkg.version),
		// The hosts the Content-Security-Policy lets the app download models from (scripts/csp.js).
		__MODEL_HOSTS__: JSON.stringify(modelHosts())
	},
	worker: { format: 'es' },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node'
	}
});
