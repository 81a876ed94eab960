// Tabs: what sharing one engine between tabs costs. The test engine (served in place of the engine
// worker, as in the e2e tests) stands in for WebLLM; everything else is the production build. It
// runs the leader-tab way (SharedWorker removed, as in the e2e tests: Playwright cannot route a
// shared worker's script), the way Firefox and Safari get, where requests cross one more hop.
// Prints:
// - how long a second tab takes, from navigation start, to show the model the first tab loaded as
//   ready to chat, and how many loads that took (aim: under 500 ms, zero loads);
// - the main thread's busy time per token of an answer written in the tab that hosts the engine,
//   and of one relayed to another tab (in the asking tab, and in the hosting tab that relays it);
//   aim: the relayed one within 0.05 ms per token of the direct one. Medians of three runs.
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { buildTestWorker } from '../build-test-worker.js';
import { serveBuild } from '../serve.js';
import { median, metric } from './stats.js';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const TOKENS = 2000;
const RUNS = 3;
const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;

export async function benchTabs() {
	await buildTestWorker();
	const workerSource = await readFile('tests/.cache/test-engine.worker.js', 'utf8');
	const server = await serveBuild({ port: 0 });
	const browser = await chromium.launch({
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS]
	});
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		let scenario = {};
		let loads = 0;
		await context.addInitScript(() => Reflect.deleteProperty(window, 'SharedWorker'));
		await context.route(ENGINE_WORKER, (route) =>
			route.fulfill({ body: workerSource, contentType: 'text/javascript' })
		);
		await context.route('**/__test-engine/scenario', (route) => route.fulfill({ json: scenario }));
		await context.route('**/__test-engine/log', (route) => {
			if (JSON.parse(route.request().postData() ?? '{}').type === 'reload') loads++;
			return route.fulfill({ status: 204 });
		});
		/** @param {import('@playwright/test').Page} page */
		const open = async (page) => {
			await page.goto(server.url);
			await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		};
		const host = await context.newPage();
		await open(host);
		await host.getByTestId('model-select').selectOption(MODEL);
		await host.getByTestId('load-model').click();
		await host.getByTestId('model-ready').waitFor();

		// A second tab, ready with the model already loaded: time from its navigation start.
		const readyTimes = [];
		const hydratedTimes = [];
		const loadsBefore = loads;
		/** @type {import('@playwright/test').Page | null} */
		let guest = null;
		for (let run = 0; run < RUNS; run++) {
			await guest?.close();
			guest = await context.newPage();
			await guest.addInitScript(() => {
				new MutationObserver((_, observer) => {
					if (document.documentElement.dataset.hydrated && !('__hydratedAt' in window))
						Object.assign(window, { __hydratedAt: performance.now() });
					if (!document.querySelector('[data-testid="model-ready"]')) return;
					Object.assign(window, { __readyAt: performance.now() });
					observer.disconnect();
				}).observe(document, { subtree: true, childList: true, attributes: true });
			});
			await open(guest);
			await guest.getByTestId('model-ready').waitFor();
			readyTimes.push(Number(await guest.evaluate('window.__readyAt')));
			hydratedTimes.push(Number(await guest.evaluate('window.__hydratedAt')));
		}
		if (!guest) throw new Error('no second tab');
		const secondTabLoads = loads - loadsBefore;

		// Main-thread cost per token: written in the host tab, then relayed to the second tab.
		const cdpHost = await context.newCDPSession(host);
		const cdpGuest = await context.newCDPSession(guest);
		await cdpHost.send('Performance.enable');
		await cdpGuest.send('Performance.enable');
		const tokens = Array.from({ length: TOKENS }, (_, i) => `w${i} `);
		scenario = { chat: { tokens, tokenMs: 1, paced: true } };
		/** @param {import('@playwright/test').Page} page */
		const answer = async (page) => {
			await page.getByTestId('new-chat').click();
			await page.waitForTimeout(300);
			const before = await Promise.all(
				[cdpHost, cdpGuest].map((c) => c.send('Performance.getMetrics'))
			);
			await page.getByTestId('composer').fill('Write a long answer');
			await page.getByTestId('composer').press('Enter');
			await page
				.getByTestId('message-assistant')
				.last()
				.getByTestId('stats')
				.waitFor({ timeout: 60_000 });
			const after = await Promise.all(
				[cdpHost, cdpGuest].map((c) => c.send('Performance.getMetrics'))
			);
			const busy = (/** @type {number} */ i) =>
				((metric(after[i]?.metrics ?? [], 'TaskDuration') -
					metric(before[i]?.metrics ?? [], 'TaskDuration')) *
					1000) /
				TOKENS;
			return { host: busy(0), guest: busy(1) };
		};
		const direct = [];
		const relayed = [];
		for (let run = 0; run < RUNS; run++) {
			direct.push(await answer(host));
			relayed.push(await answer(guest));
		}
		const directMs = median(direct.map((r) => r.host));
		const relayedMs = median(relayed.map((r) => r.guest));
		const relayHostMs = median(relayed.map((r) => r.host));

		console.log(
			`second tab ready to chat with the loaded model: ${readyTimes.map((t) => t.toFixed(0)).join(', ')} ms from navigation start (hydrated at ${hydratedTimes.map((t) => t.toFixed(0)).join(', ')} ms), ${secondTabLoads} loads`
		);
		console.log(
			`main thread per token (${TOKENS} tokens at 1,000/s, median of ${RUNS}): written in the hosting tab ${directMs.toFixed(3)} ms; relayed to another tab ${relayedMs.toFixed(3)} ms in that tab, plus ${relayHostMs.toFixed(3)} ms in the hosting tab that relays it`
		);
		console.log(`tabs_second_tab_ready_ms=${median(readyTimes).toFixed(0)}`);
		console.log(`tabs_second_tab_hydrated_ms=${median(hydratedTimes).toFixed(0)}`);
		console.log(`tabs_second_tab_loads=${secondTabLoads}`);
		console.log(`tabs_direct_ms_per_token=${directMs.toFixed(3)}`);
		console.log(`tabs_relayed_ms_per_token=${relayedMs.toFixed(3)}`);
		console.log(`tabs_relay_host_ms_per_token=${relayHostMs.toFixed(3)}`);
		return secondTabLoads === 0;
	} finally {
		await browser.close();
		await server.close();
	}
}
