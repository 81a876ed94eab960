// Bundle weight: the gzip size of the JavaScript the first page loads (measured in a real browser,
// service worker off, engine worker excluded) and of the engine worker chunk. Fails if the first
// page's JavaScript contains any of WebLLM's code.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';

/** Strings that only WebLLM's bundle contains. */
const WEBLLM_MARKERS = ['ArtifactIndexedDBCache', 'MLCEngine', 'tvmjs', 'LLMChatPipeline'];

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
		let raw = 0;
		let gzip = 0;
		for (const [url, body] of scripts) {
			raw += body.length;
			gzip += gzipSync(body, { level: 9 }).length;
			const text = body.toString('utf8');
			const found = WEBLLM_MARKERS.filter((m) => text.includes(m));
			if (found.length) failures.push(`${url} contains WebLLM code (${found.join(', ')})`);
		}
		console.log(`first page JS: ${scripts.size} files, ${kb(raw)} raw, ${kb(gzip)} gzip`);
		console.log(`first_page_js_gzip_bytes=${gzip}`);

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
