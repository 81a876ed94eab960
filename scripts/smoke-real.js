// `npm run smoke:real`: the real thing, for a machine with a GPU and internet. It serves the
// production build, opens it in an installed Chrome or Chromium with the real GPU (no test engine),
// downloads a small real model, asks one question, and prints load time and decode speed.
// Without internet it stops at the download with the app's own network error, and exits 1.
//
//   SMOKE_MODEL=Qwen2.5-0.5B-Instruct-q4f32_1-MLC npm run smoke:real
//   HEADLESS=0 to watch it; CHROMIUM_PATH=... to pick the browser.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { findChromium, QUIET_FLAGS } from './browser.js';
import { serveBuild } from './serve.js';

const MODEL = process.env.SMOKE_MODEL ?? 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const LOAD_TIMEOUT_MS = Number(process.env.SMOKE_LOAD_TIMEOUT_MS ?? 20 * 60_000);

if (!existsSync('build/index.html') || process.env.SMOKE_REBUILD === '1') {
	const { status } = spawnSync('npx vite build', { shell: true, stdio: 'inherit' });
	if (status !== 0) process.exit(1);
}

const server = await serveBuild({ port: 0 });
const browser = await chromium.launch({
	executablePath: findChromium(),
	headless: process.env.HEADLESS !== '0',
	// A real GPU: no SwiftShader. Linux Chrome still needs this flag for WebGPU.
	args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', ...QUIET_FLAGS]
});
let exitCode = 1;
try {
	const page = await browser.newPage();
	await page.goto(server.url);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.getByTestId('model-select').selectOption(MODEL);
	console.log(`Loading ${MODEL} (downloads on first run)…`);
	const started = Date.now();
	await page.getByTestId('load-model').click();
	const ready = page.getByTestId('model-ready');
	const alert = page.getByRole('alert');
	await ready.or(alert).first().waitFor({ timeout: LOAD_TIMEOUT_MS });
	if (await alert.isVisible()) {
		const code = await alert.getAttribute('data-error-code');
		console.log(
			`Load failed [${code}]: ${(await alert.innerText()).split('\n').slice(0, 2).join(' ')}`
		);
	} else {
		const loadSeconds = (Date.now() - started) / 1000;
		console.log(`Loaded in ${loadSeconds.toFixed(1)} s`);
		await page.getByTestId('composer').fill('In one sentence, what is the capital of France?');
		await page.getByTestId('composer').press('Enter');
		const answer = page.getByTestId('message-assistant').last();
		await answer.getByTestId('stats').waitFor({ timeout: 5 * 60_000 });
		const text = (await answer.getByTestId('message-content').innerText()).trim();
		const stats = await answer.getByTestId('stats').innerText();
		console.log(`Answer: ${text}`);
		console.log(`Stats: ${stats}`);
		console.log(`load_seconds=${loadSeconds.toFixed(1)}`);
		console.log(`decode_tokens_per_s=${/decode ([\d.]+) tok\/s/.exec(stats)?.[1] ?? 'unknown'}`);
		exitCode = text.length > 0 ? 0 : 1;
		if (!text) console.log('The answer was empty.');
	}
} finally {
	await browser.close();
	await server.close();
}
process.exit(exitCode);
