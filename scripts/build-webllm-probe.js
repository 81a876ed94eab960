// Bundles tests/fixtures/webllm-cache.ts (WebLLM's hasModelInCache, re-exported) into one ES
// module that e2e specs import inside the page through a Playwright route. Never part of build/.
// WebLLM is 6 MB, so the bundle is rebuilt only when it is missing or older than its inputs.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildTestModule } from './build-test-module.js';

export const WEBLLM_PROBE = 'tests/.cache/webllm-cache.js';
const ENTRY = 'tests/fixtures/webllm-cache.ts';

export async function buildWebllmProbe() {
	const pkg = createRequire(import.meta.url).resolve('@mlc-ai/web-llm/package.json');
	const newest = Math.max(statSync(pkg).mtimeMs, statSync(ENTRY).mtimeMs);
	if (existsSync(WEBLLM_PROBE) && statSync(WEBLLM_PROBE).mtimeMs > newest) return WEBLLM_PROBE;
	return buildTestModule(ENTRY, WEBLLM_PROBE);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWebllmProbe();
