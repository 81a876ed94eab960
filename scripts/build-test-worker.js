// Builds the e2e test worker (tests/fixtures/test-engine.worker.ts) into one ES module file that
// Playwright serves in place of the production engine worker. Never part of build/.
import { build } from 'vite';

export const TEST_WORKER = 'tests/.cache/test-engine.worker.js';

export async function buildTestWorker() {
	await build({
		configFile: false,
		logLevel: 'warn',
		build: {
			outDir: 'tests/.cache',
			emptyOutDir: false,
			minify: false,
			lib: {
				entry: 'tests/fixtures/test-engine.worker.ts',
				formats: ['es'],
				fileName: () => 'test-engine.worker.js'
			}
		}
	});
	return TEST_WORKER;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildTestWorker();
