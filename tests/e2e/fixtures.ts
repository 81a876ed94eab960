// The one import point for e2e specs: `test` with a scripted engine, and helpers.
import { test as base, expect, type Page, type Route } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { Scenario } from '../fixtures/TestEngine';

export { expect };
export type { Scenario };

/** The production worker chunk, wherever the build put it (base path included). */
const ENGINE_WORKER = /\/_app\/immutable\/workers\/engine\.worker-[^/]+\.js$/;

export interface TestEngineControl {
	/** What the next load and chat will do. */
	script(scenario: Scenario): void;
	/** Events the engine reported (setAppConfig, reload, chat requests, interrupt, unload). */
	readonly events: Array<Record<string, unknown> & { type: string }>;
}

export const test = base.extend<{ testEngine: TestEngineControl }>({
	testEngine: async ({ context }, use) => {
		const workerSource = await readFile('tests/.cache/test-engine.worker.js', 'utf8');
		let scenario: Scenario = {};
		const events: TestEngineControl['events'] = [];
		await context.route(ENGINE_WORKER, (route: Route) =>
			route.fulfill({ body: workerSource, contentType: 'text/javascript' })
		);
		await context.route('**/__test-engine/scenario', (route) => route.fulfill({ json: scenario }));
		await context.route('**/__test-engine/log', (route) => {
			events.push(JSON.parse(route.request().postData() ?? '{}'));
			return route.fulfill({ status: 204 });
		});
		await use({
			script: (next) => (scenario = next),
			events
		});
	}
});

/** Opens a page of the app and waits until it is hydrated (earlier clicks would be lost). */
export async function openApp(page: Page, path = '') {
	await page.goto(path);
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
}
