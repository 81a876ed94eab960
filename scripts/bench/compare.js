// Compare scheduling: with the scripted test engine at known per-model speeds, the wall time of one
// comparison round against the sum of the solo runs, for two models that fit in memory together
// (loaded together, answering at the same time) and for two that must take turns (unload, load,
// answer), plus the time spent switching models. The page, the client, the worker protocol and the
// handler are the production ones; only WebLLM's engine is swapped, by routing the worker script
// like the e2e fixture does (bench code only).
//
// A model's solo run = its load plus its answer while it runs alone (measured in the turn-taking
// round, where each model does exactly that). Real GPUs share compute between concurrent answers;
// the test engine does not, so the "together" ratio is the best case the scheduler can reach.
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { buildTestWorker } from '../build-test-worker.js';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';
import { median } from './stats.js';

const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;
const A = 'SmolLM2-360M-Instruct-q4f32_1-MLC'; // ~696 MB estimated
const B = 'TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k'; // ~955 MB estimated
const TOKENS = 40;
const REPEATS = 3;

/** Known speeds: A decodes a token every 20 ms, B every 30 ms; loads take 9 steps of 30 / 40 ms. */
const scenario = {
	load: { steps: 3, models: { [A]: { stepMs: 30 }, [B]: { stepMs: 40 } } },
	chat: {
		tokens: Array.from({ length: TOKENS }, (_, i) => `t${i} `),
		models: { [A]: { tokenMs: 20 }, [B]: { tokenMs: 30 } }
	}
};

/** @param {number} ms */
const ms = (ms) => `${Math.round(ms)} ms`;

/**
 * @param {import('@playwright/test').Page} page
 * @param {number} budgetMB
 */
async function round(page, budgetMB) {
	await page.reload();
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.getByTestId('budget').fill(String(budgetMB));
	await page.getByTestId('budget').press('Tab');
	await page.getByTestId('model-slot-0').selectOption(A);
	await page.getByTestId('model-slot-1').selectOption(B);
	await page.getByTestId('blind-toggle').setChecked(false);
	await page.getByTestId('prompt').fill('Benchmark prompt');
	const started = Date.now();
	await page.getByTestId('run').click();
	await page.getByTestId('pane-stats').nth(1).waitFor();
	await page.locator('[data-testid="pane-stats"]').nth(0).waitFor();
	await page.getByTestId('run').waitFor();
	return Date.now() - started;
}

/** @param {Array<Record<string, any>>} events */
function segments(events) {
	/** @param {string} type @param {string} id */
	const at = (type, id) =>
		events.find((e) => e.type === type && (e.modelId === id || e.modelIds?.includes(id)))?.at;
	/** @param {string} id */
	const solo = (id) =>
		at('reload-end', id) -
		at('reload-start', id) +
		(at('generate-end', id) - at('generate-start', id));
	const times = events.map((e) => e.at).filter((t) => typeof t === 'number');
	return {
		// The engine's view of the round: first load started to last answer ended.
		wall: Math.max(...times) - Math.min(...times),
		soloA: solo(A),
		soloB: solo(B),
		// From the first model's last token to the second model's first: unload + load + overhead.
		switchMs: at('generate-start', B) - at('generate-end', A)
	};
}

export async function benchCompare() {
	const workerPath = await buildTestWorker();
	const workerSource = await readFile(workerPath, 'utf8');
	const server = await serveBuild({ port: 0 });
	const browser = await chromium.launch({
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS]
	});
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		/** @type {Array<Record<string, any>>} */
		let events = [];
		await context.route(ENGINE_WORKER, (route) =>
			route.fulfill({ body: workerSource, contentType: 'text/javascript' })
		);
		await context.route('**/__test-engine/scenario', (route) => route.fulfill({ json: scenario }));
		await context.route('**/__test-engine/log', (route) => {
			events.push(JSON.parse(route.request().postData() ?? '{}'));
			return route.fulfill({ status: 204 });
		});
		const page = await context.newPage();
		await page.goto(new URL('compare/', server.url).href);

		/** @type {Record<'turns' | 'together', { wall: number[], page: number[] }>} */
		const rounds = { turns: { wall: [], page: [] }, together: { wall: [], page: [] } };
		/** @type {number[]} */
		const solos = [];
		/** @type {number[]} */
		const switches = [];
		for (let i = 0; i < REPEATS; i++) {
			for (const [kind, budget] of /** @type {const} */ ([
				['turns', 1000],
				['together', 4000]
			])) {
				events = [];
				const pageMs = await round(page, budget);
				// The last log requests may still be in flight.
				await page.waitForTimeout(150);
				const s = segments(events);
				rounds[kind].page.push(pageMs);
				rounds[kind].wall.push(s.wall);
				if (kind === 'turns') {
					solos.push(s.soloA + s.soloB);
					switches.push(s.switchMs);
				}
			}
		}
		const solo = median(solos);
		/** @param {'turns' | 'together'} kind @param {string} label */
		const line = (kind, label) => {
			const wall = median(rounds[kind].wall);
			console.log(
				`${label}: round ${ms(wall)} (${ms(median(rounds[kind].page))} from the click), ratio ${(wall / solo).toFixed(2)}`
			);
			return wall / solo;
		};
		console.log(
			`two models, ${TOKENS} tokens each at 20 and 30 ms/token, loads of 270 and 360 ms; median of ${REPEATS}`
		);
		console.log(`sum of the solo runs (each model's load + answer): ${ms(solo)}`);
		const together = line('together', 'fit together (budget 4000 MB)');
		const turns = line('turns', 'take turns (budget 1000 MB)  ');
		console.log(
			`switching models (last token of one to first of the next): ${ms(median(switches))}`
		);
		console.log(`compare_together_ratio=${together.toFixed(3)}`);
		console.log(`compare_turns_ratio=${turns.toFixed(3)}`);
		console.log(`compare_switch_ms=${Math.round(median(switches))}`);
		return true;
	} finally {
		await browser.close();
		await server.close();
	}
}
