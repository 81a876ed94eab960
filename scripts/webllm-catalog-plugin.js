// Exposes the pinned WebLLM's model list to the page as `virtual:webllm-catalog`, read in Node at
// build time. Importing @mlc-ai/web-llm in the page would pull its whole 6 MB bundle into the first
// page's JavaScript; the catalog itself is plain data (a few KB gzip), so it is serialised here.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const ID = 'virtual:webllm-catalog';
const RESOLVED = '\0' + ID;

/** @returns {import('vite').Plugin} */
export function webllmCatalog() {
	return {
		name: 'lantern-webllm-catalog',
		resolveId(id) {
			return id === ID ? RESOLVED : undefined;
		},
		async load(id) {
			if (id !== RESOLVED) return undefined;
			const webllm = await import('@mlc-ai/web-llm');
			const require = createRequire(import.meta.url);
			const pkgPath = require.resolve('@mlc-ai/web-llm/package.json');
			const pkg = JSON.parse(await readFile(pkgPath, 'utf8'));
			const records = webllm.prebuiltAppConfig.model_list;
			return [
				`export const webllmVersion = ${JSON.stringify(pkg.version)};`,
				`export const modelVersion = ${JSON.stringify(webllm.modelVersion)};`,
				`export const prebuiltModels = ${JSON.stringify(records)};`
			].join('\n');
		}
	};
}
