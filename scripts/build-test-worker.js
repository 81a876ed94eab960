// Builds the e2e test worker (tests/fixtures/test-engine.worker.ts) into one ES module file that
// Playwright serves in place of the production engine worker. Never part of build/.
import { buildTestModule } from './build-test-module.js';

export const TEST_WORKER = 'tests/.cache/test-engine.worker.js';

export function buildTestWorker() {
	return buildTestModule('tests/fixtures/test-engine.worker.ts', TEST_WORKER);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildTestWorker();
