// Bundles one test-only TypeScript entry into a single ES module file under tests/.cache, for the
// e2e harness to serve through Playwright routes (the test engine worker, the WebLLM cache probe,
// the opt-in real-engine modules). Never part of build/.
import { basename, dirname, resolve } from 'node:path';
import { build } from 'vite';

/**
 * @param {string} entry the .ts file to bundle
 * @param {string} outFile where the bundle goes, e.g. tests/.cache/test-engine.worker.js
 * @returns {Promise<string>} outFile
 */
export async function buildTestModule(entry, outFile) {
	await build({
		configFile: false,
		logLevel: 'warn',
		resolve: { alias: { $lib: resolve('src/lib') } },
		build: {
			outDir: dirname(outFile),
			emptyOutDir: false,
			minify: false,
			rolldownOptions: { checks: { bundlerTimings: false } },
			lib: { entry, formats: ['es'], fileName: () => basename(outFile) }
		}
	});
	return outFile;
}
