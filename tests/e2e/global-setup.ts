import { buildTestWorker } from '../../scripts/build-test-worker.js';

export default async function globalSetup() {
	await buildTestWorker();
}
