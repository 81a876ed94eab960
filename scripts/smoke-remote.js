// `npm run smoke:remote`: Lantern against your own OpenAI-compatible server (Ollama, llama.cpp's
// llama-server, LM Studio, vLLM), for people who run one. It serves the production build, opens it
// in an installed Chrome or Chromium, adds the server on the Models page (Your servers), picks one
// of its models in the Chat, asks it one question there, and prints time to first token and tokens
// a second from the answer's stats line. With nothing listening it stops at the check with the
// app's own message, and exits 1.
//
//   LANTERN_REMOTE_URL=http://127.0.0.1:11434/v1 npm run smoke:remote
//   LANTERN_REMOTE_KEY=… if the server needs an API key; LANTERN_REMOTE_MODEL=… to pick a model
//   (default: the first it lists). HEADLESS=0 to watch it; CHROMIUM_PATH=... to pick the browser.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { findChromium, QUIET_FLAGS } from './browser.js';
import { serveBuild } from './serve.js';

const URL_ = process.env.LANTERN_REMOTE_URL ?? 'http://127.0.0.1:11434/v1';
const KEY = process.env.LANTERN_REMOTE_KEY ?? '';
const MODEL = process.env.LANTERN_REMOTE_MODEL ?? '';
const PROMPT = process.env.LANTERN_REMOTE_PROMPT ?? 'What is the capital of France? One sentence.';
const ANSWER_TIMEOUT_MS = Number(process.env.SMOKE_ANSWER_TIMEOUT_MS ?? 5 * 60_000);

if (!existsSync('build/index.html') || process.env.SMOKE_REBUILD === '1') {
	const { status } = spawnSync('npx vite build', { shell: true, stdio: 'inherit' });
	if (status !== 0) process.exit(1);
}

/**
 * The first two lines of a message box: what happened and what to do.
 * @param {import('@playwright/test').Locator} locator
 */
const firstLines = async (locator) =>
	(await locator.innerText())
		.split('\n')
		.filter((line) => line.trim())
		.slice(0, 2)
		.join(' ');

const server = await serveBuild({ port: 0 });
const browser = await chromium.launch({
	executablePath: findChromium(),
	headless: process.env.HEADLESS !== '0',
	args: QUIET_FLAGS
});
let exitCode = 1;
try {
	const page = await browser.newPage();
	await page.goto(new URL('models/', server.url).href);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	console.log(`Adding ${URL_}…`);
	await page.getByTestId('server-base-url').fill(URL_);
	if (KEY) await page.getByTestId('server-api-key').fill(KEY);
	await page.getByTestId('server-add').click();
	const added = page.getByTestId('server-added');
	const refused = page.getByTestId('server-error');
	await added.or(refused).first().waitFor({ timeout: 60_000 });
	if (await refused.isVisible()) {
		const code = await refused.getAttribute('data-error-code');
		console.log(`Server check failed [${code}]: ${await firstLines(refused)}`);
	} else {
		console.log(await added.innerText());
		const models = page.getByTestId('server-model');
		const names = await models.locator('code').allInnerTexts();
		console.log(`Models: ${names.join(', ') || '(none)'}`);
		const index = MODEL ? names.indexOf(MODEL) : 0;
		if (names.length === 0 || index < 0) {
			console.log(MODEL ? `The server does not list ${MODEL}.` : 'The server lists no models.');
		} else {
			const modelId = await models.nth(index).getAttribute('data-model-id');
			console.log(`Asking ${names[index]} in the chat…`);
			await page.goto(server.url);
			await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
			await page.getByTestId('model-select').selectOption(modelId ?? '');
			await page.getByTestId('load-model').click();
			const ready = page.getByTestId('model-ready');
			const problem = page.getByTestId('server-answer-error');
			await ready.or(problem).first().waitFor({ timeout: 60_000 });
			if (await problem.isVisible()) {
				const code = await problem.getAttribute('data-error-code');
				console.log(`Loading failed [${code}]: ${await firstLines(problem)}`);
			} else {
				await page.getByTestId('composer').fill(PROMPT);
				await page.getByTestId('composer').press('Enter');
				const answer = page.getByTestId('message-assistant').last();
				const stats = answer.getByTestId('stats');
				await stats.or(problem).first().waitFor({ timeout: ANSWER_TIMEOUT_MS });
				if (await problem.isVisible()) {
					const code = await problem.getAttribute('data-error-code');
					console.log(`Answer failed [${code}]: ${await firstLines(problem)}`);
				} else {
					const text = (await answer.getByTestId('message-content').innerText()).trim();
					const line = await stats.innerText();
					console.log(`Answer: ${text}`);
					console.log(`Stats: ${line}`);
					console.log(`ttft_ms=${/TTFT (\d+) ms/.exec(line)?.[1] ?? 'unknown'}`);
					console.log(
						`decode_tokens_per_s=${/decode ([\d.,]+) tok\/s/.exec(line)?.[1]?.replace(/,/g, '') ?? 'unknown'}`
					);
					exitCode = text.length > 0 ? 0 : 1;
					if (!text) console.log('The answer was empty.');
				}
			}
		}
	}
} finally {
	await browser.close();
	await server.close();
}
process.exit(exitCode);
