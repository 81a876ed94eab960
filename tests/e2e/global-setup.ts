import { buildTestWorker } from '../../scripts/build-test-worker.js';
import { buildWebllmProbe } from '../../scripts/build-webllm-probe.js';

export default async function globalSetup() {
	await buildTestWorker();
	await buildWebllmProbe();
}
