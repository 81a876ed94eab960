// `npm run bench`: every benchmark, printing numbers (never timed tests). Builds first if needed.
// Run one with `npm run bench -- bundle`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { benchBundle } from './bench/bundle.js';
import { benchCompare } from './bench/compare.js';
import { benchDocuments } from './bench/documents.js';
import { benchDownloads } from './bench/downloads.js';
import { benchHistory } from './bench/history.js';
import { benchStartup } from './bench/startup.js';
import { benchStreaming } from './bench/streaming.js';
import { benchTabs } from './bench/tabs.js';

const BENCHES = {
	bundle: benchBundle,
	startup: benchStartup,
	downloads: benchDownloads,
	compare: benchCompare,
	streaming: benchStreaming,
	history: benchHistory,
	documents: benchDocuments,
	tabs: benchTabs
};

if (!existsSync('build/index.html') || process.env.BENCH_REBUILD === '1') {
	const { status } = spawnSync('npx vite build', { shell: true, stdio: 'inherit' });
	if (status !== 0) process.exit(1);
}

const only = process.argv.slice(2);
let ok = true;
for (const [name, run] of Object.entries(BENCHES)) {
	if (only.length && !only.includes(name)) continue;
	console.log(`\n# ${name}`);
	ok = (await run()) && ok;
}
process.exit(ok ? 0 : 1);
