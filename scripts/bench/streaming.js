// Streaming cost: what rendering a fast answer costs the page's main thread. The test engine (the
// e2e one, served in place of the engine worker, as the e2e fixture does) streams 4,000 tokens of
// mixed Markdown (paragraphs, lists, code blocks, tables) at 1,000 tokens a second through the real
// worker protocol, client and chat page. Prints the main thread's long tasks (over 50 ms, from a
// PerformanceObserver) and its busy time per token (CDP Performance metrics: TaskDuration, with
// script, style and layout shares), for the stream alone: the median of three runs.
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { buildTestWorker } from '../build-test-worker.js';
import { serveBuild } from '../serve.js';
import { metric } from './stats.js';

const TOKENS = 4000;
const TOKEN_MS = 1;
const RUNS = 3;
const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;

const WORDS =
	'the model writes tokens while the page renders markdown blocks and keeps every finished block as it was'.split(
		' '
	);

/** Mixed Markdown, cut into tokens of 1 to 6 characters (like a tokenizer's pieces). */
export function markdownTokens(count = TOKENS) {
	let seed = 7;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	/** @param {number} n */
	const words = (n) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]);
	const sections = [
		() => `## ${words(3).join(' ')}\n\n${words(40).join(' ')}.\n\n`,
		() =>
			`- ${words(6).join(' ')}\n- **${words(2).join(' ')}** ${words(5).join(' ')}\n- \`code\` ${words(4).join(' ')}\n\n`,
		() =>
			'```ts\n' +
			Array.from(
				{ length: 8 },
				(_, i) => `const value${i}: number = ${i} * 2; // ${words(3).join(' ')}`
			).join('\n') +
			'\n```\n\n',
		() =>
			'| name | value | note |\n| --- | --- | --- |\n' +
			Array.from({ length: 5 }, (_, i) => `| ${words(1)} | ${i} | ${words(3).join(' ')} |`).join(
				'\n'
			) +
			'\n\n',
		() => '```python\ndef f(x):\n    return [y * 2 for y in x if y]\n```\n\n'
	];
	let i = 0;
	const tokens = [];
	while (tokens.length < count) {
		const text = sections[i++ % sections.length]?.() ?? '';
		let at = 0;
		while (at < text.length && tokens.length < count) {
			const size = 1 + Math.floor(random() * 6);
			tokens.push(text.slice(at, at + size));
			at += size;
		}
	}
	return tokens;
}

export async function benchStreaming() {
	await buildTestWorker();
	const workerSource = await readFile('tests/.cache/test-engine.worker.js', 'utf8');
	const server = await serveBuild({ port: 0 });
	const browser = await chromium.launch({
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS]
	});
	let ok = true;
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const tokens = markdownTokens();
		let scenario = {};
		await context.route(ENGINE_WORKER, (route) =>
			route.fulfill({ body: workerSource, contentType: 'text/javascript' })
		);
		await context.route('**/__test-engine/scenario', (route) => route.fulfill({ json: scenario }));
		await context.route('**/__test-engine/log', (route) => route.fulfill({ status: 204 }));
		const page = await context.newPage();
		await page.addInitScript(() => {
			/** @type {number[]} */
			const found = [];
			Object.assign(window, { __longTasks: found });
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries()) found.push(entry.duration);
			}).observe({ type: 'longtask', buffered: true });
		});
		await page.goto(server.url);
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await page.getByTestId('model-select').selectOption('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
		await page.getByTestId('load-model').click();
		await page.getByTestId('model-ready').waitFor();
		// Warm up (highlighting chunks, code paths), then measure a fresh conversation.
		scenario = { chat: { tokens: tokens.slice(0, 300), tokenMs: TOKEN_MS, paced: true } };
		await page.getByTestId('composer').fill('Warm up');
		await page.getByTestId('composer').press('Enter');
		await page.getByTestId('stats').last().waitFor();

		scenario = { chat: { tokens, tokenMs: TOKEN_MS, paced: true } };
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		// Three runs, each in a new conversation; the median is reported (the machine may be shared).
		/** @type {Array<{ task: number, script: number, style: number, layout: number, longTasks: number[], elapsed: number }>} */
		const runs = [];
		/** @type {{ code: number, tables: number }} */
		let rendered = { code: 0, tables: 0 };
		for (let run = 0; run < RUNS; run++) {
			await page.getByTestId('new-chat').click();
			await page.waitForTimeout(300);
			const longTasksBefore = Number(await page.evaluate('window.__longTasks.length'));
			const before = (await cdp.send('Performance.getMetrics')).metrics;
			const started = Date.now();
			await page.getByTestId('composer').fill('Write a long document');
			await page.getByTestId('composer').press('Enter');
			await page
				.getByTestId('message-assistant')
				.last()
				.getByTestId('stats')
				.waitFor({ timeout: 60_000 });
			const elapsed = Date.now() - started;
			const after = (await cdp.send('Performance.getMetrics')).metrics;
			const longTasks = /** @type {number[]} */ (await page.evaluate('window.__longTasks')).slice(
				longTasksBefore
			);
			/** @param {string} name */
			const delta = (name) => (metric(after, name) - metric(before, name)) * 1000;
			runs.push({
				task: delta('TaskDuration'),
				script: delta('ScriptDuration'),
				style: delta('RecalcStyleDuration'),
				layout: delta('LayoutDuration'),
				longTasks,
				elapsed
			});
			rendered = await page
				.getByTestId('message-assistant')
				.last()
				.getByTestId('message-content')
				.evaluate((el) => ({
					code: el.querySelectorAll('.code-block').length,
					tables: el.querySelectorAll('table').length
				}));
		}
		const median = [...runs].sort((a, b) => a.task - b.task)[Math.floor(RUNS / 2)] ?? runs[0];
		if (!median) throw new Error('no run');
		const longTasks = runs.flatMap((r) => r.longTasks);

		console.log(
			`streamed ${tokens.length} tokens at ${1000 / TOKEN_MS} tokens/s, ${RUNS} times (${runs.map((r) => r.elapsed).join(', ')} ms)`
		);
		console.log(`rendered ${rendered.code} code blocks and ${rendered.tables} tables`);
		console.log(
			`main thread busy per run: ${runs.map((r) => r.task.toFixed(0)).join(', ')} ms; median run: script ${median.script.toFixed(0)} ms, style ${median.style.toFixed(0)} ms, layout ${median.layout.toFixed(0)} ms`
		);
		console.log(
			`long tasks over 50 ms in all runs: ${longTasks.length}${longTasks.length ? ` (${longTasks.map((d) => Math.round(d)).join(', ')} ms)` : ''}`
		);
		console.log(`stream_long_tasks=${longTasks.length}`);
		console.log(`stream_main_thread_ms_per_token=${(median.task / tokens.length).toFixed(3)}`);
		if (rendered.code === 0 || rendered.tables === 0) {
			console.error('FAIL: the answer was not rendered as Markdown');
			ok = false;
		}
	} finally {
		await browser.close();
		await server.close();
	}
	return ok;
}
