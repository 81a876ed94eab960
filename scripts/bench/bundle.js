// Bundle weight, measured in a real browser (service worker off, engine worker excluded): the gzip
// size of the JavaScript the first page loads before its prerendered shell has hydrated (the
// message box already takes typing then, and keeps it), then of what the app loads until the chat
// works, and of the engine worker chunk. Fails if the first page's JavaScript is over the budget
// (DEVELOPERS.md, "The first page") or if any of it contains WebLLM's code.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';

/** Strings that only WebLLM's bundle contains. */
const WEBLLM_MARKERS = ['ArtifactIndexedDBCache', 'MLCEngine', 'tvmjs', 'LLMChatPipeline'];

/** The first page's JavaScript budget, gzipped (issue 14). */
export const FIRST_PAGE_BUDGET = 60 * 1024;

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function benchBundle() {
	const server = await serveBuild({ port: 0 });
	const browser = await chromium.launch({
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS]
	});
	/** @type {string[]} */
	const failures = [];
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		/** @type {Map<string, Buffer>} */
		const scripts = new Map();
		page.on('response', async (response) => {
			const type = response.request().resourceType();
			if (type === 'script' || response.url().endsWith('.js')) {
				if (/\/workers\//.test(response.url())) return;
				scripts.set(response.url(), await response.body());
			}
		});
		await page.goto(server.url, { waitUntil: 'networkidle' });
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		// When each script was asked for, against the layout's marks: `lantern:shell` (the shell
		// has hydrated) and `lantern:app` (the app is there, the chat works).
		const timing = await page.evaluate(() => ({
			shell: performance.getEntriesByName('lantern:shell')[0]?.startTime,
			app: performance.getEntriesByName('lantern:app')[0]?.startTime,
			requested: performance
				.getEntriesByType('resource')
				.map((e) => /** @type {[string, number]} */ ([e.name, e.startTime]))
		}));
		if (timing.shell === undefined || timing.app === undefined) {
			failures.push('the layout did not mark lantern:shell and lantern:app');
		}
		const startOf = new Map(timing.requested);
		/** @param {number} [before] */
		const weigh = (before) => {
			let raw = 0;
			let gzip = 0;
			let files = 0;
			for (const [url, body] of scripts) {
				if ((startOf.get(url) ?? Infinity) >= (before ?? Infinity)) continue;
				files++;
				raw += body.length;
				gzip += gzipSync(body, { level: 9 }).length;
			}
			return { files, raw, gzip };
		};
		for (const [url, body] of scripts) {
			const text = body.toString('utf8');
			const found = WEBLLM_MARKERS.filter((m) => text.includes(m));
			if (found.length) failures.push(`${url} contains WebLLM code (${found.join(', ')})`);
		}
		const first = weigh(timing.shell);
		const app = weigh(timing.app);
		const all = weigh();
		console.log(
			`first page JS (until the shell has hydrated): ${first.files} files, ${kb(first.raw)} raw, ${kb(first.gzip)} gzip (budget ${kb(FIRST_PAGE_BUDGET)})`
		);
		console.log(`first_page_js_gzip_bytes=${first.gzip}`);
		console.log(
			`until the chat works (the app is there): ${app.files} files, ${kb(app.raw)} raw, ${kb(app.gzip)} gzip`
		);
		console.log(`chat_ready_js_gzip_bytes=${app.gzip}`);
		console.log(`after the page went idle: ${all.files} files, ${kb(all.gzip)} gzip`);
		console.log(`idle_js_gzip_bytes=${all.gzip}`);
		if (first.gzip > FIRST_PAGE_BUDGET) {
			failures.push(
				`the first page loads ${kb(first.gzip)} of JavaScript (gzip), over the ${kb(FIRST_PAGE_BUDGET)} budget: load it when first needed (DEVELOPERS.md, "The first page")`
			);
		}

		const dir = 'build/_app/immutable/workers';
		for (const file of readdirSync(dir).filter((f) => f.startsWith('engine.worker-'))) {
			const body = readFileSync(`${dir}/${file}`);
			const gz = gzipSync(body, { level: 9 }).length;
			console.log(`engine worker chunk ${file}: ${kb(body.length)} raw, ${kb(gz)} gzip`);
			console.log(`worker_js_gzip_bytes=${gz}`);
		}
	} finally {
		await browser.close();
		await server.close();
	}
	for (const failure of failures) console.error(`FAIL: ${failure}`);
	return failures.length === 0;
}
