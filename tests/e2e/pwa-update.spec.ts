import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBuild } from '../../scripts/serve.js';
import {
	ask,
	expect,
	lastAnswer,
	loadModel,
	openApp,
	test,
	type Page,
	type TestEngineControl
} from './fixtures';

test.use({ serviceWorkers: 'allow' });

/**
 * A private copy of the build, served on its own port, so a test can "deploy" a new version of
 * it. With `testEngine`, the copy's engine worker is the test engine: the service worker answers
 * the worker's script from its precache, where Playwright's routing cannot swap it.
 */
async function privateDeployment(options: { testEngine: boolean }) {
	const root = await mkdtemp(join(tmpdir(), 'lantern-update-'));
	await cp('build', root, { recursive: true });
	if (options.testEngine) {
		const dir = join(root, '_app/immutable/workers');
		const [worker] = (await readdir(dir)).filter((f) => /^engine\.worker-.+\.js$/.test(f));
		expect(worker).toBeDefined();
		await cp('tests/.cache/test-engine.worker.js', join(dir, worker ?? ''));
	}
	const server = await serveBuild({ root, port: 0 });
	return {
		url: server.url,
		/** Deploys a new version (its service worker precaches one more file) and has the page notice. */
		async deploy(page: Page) {
			await writeFile(join(root, 'version-2.txt'), 'v2');
			const sw = await readFile(join(root, 'sw.js'), 'utf8');
			// The minifier's name for workbox (`e`, `l` ...) changes with the bundle's contents.
			const next = sw.replace(
				/(\w+)\.precacheAndRoute\(\[/,
				'$1.precacheAndRoute([{url:"version-2.txt",revision:"2"},'
			);
			expect(next).not.toBe(sw);
			await writeFile(join(root, 'sw.js'), next);
			await page.evaluate(async () => {
				const registration = await navigator.serviceWorker.getRegistration();
				await registration?.update();
			});
			// Installing it precaches the whole app again: seconds on a slow, busy machine.
			await expect.poll(() => waitingVersion(page), { timeout: 60_000 }).toBe(true);
		},
		async close() {
			await server.close();
			await rm(root, { recursive: true, force: true });
		}
	};
}

/** Opens the private deployment and waits until its service worker controls the page. */
async function openControlled(page: Page, url: string) {
	await openApp(page, url);
	await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** Whether a new version is installed and waiting (not yet in control). */
function waitingVersion(page: Page) {
	return page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting);
}

/** The loaded model still answers a new question in this page. */
async function expectStillAnswers(page: Page, testEngine: TestEngineControl) {
	testEngine.script({ chat: { tokens: ['Still', ' here', '.'] } });
	await ask(page, 'Are you there?');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText('Still here.');
}

/** Marks the page's document, to tell later whether it was reloaded. */
async function markDocument(page: Page) {
	await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
	return () =>
		page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);
}

test('a new version waits for the user, then takes over on "Reload"', async ({ page }) => {
	const deployment = await privateDeployment({ testEngine: false });
	try {
		await openControlled(page, deployment.url);
		await deployment.deploy(page);

		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toContainText('A new version of Lantern is available');
		// No model is loaded: a reload costs nothing, and the prompt does not pretend otherwise.
		await expect(prompt).toHaveAttribute('data-reload-cost', 'none');
		await expect(prompt.getByTestId('update-cost')).toHaveCount(0);
		// Until the user agrees, the old version keeps control.
		expect(await waitingVersion(page)).toBe(true);

		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);
		// The page is now run by the new version, whose precache has the new file.
		await expectNewPrecache(page);
	} finally {
		await deployment.close();
	}
});

async function expectNewPrecache(page: import('@playwright/test').Page) {
	await expect
		.poll(() =>
			page.evaluate(async () => {
				const response = await caches.match(new URL('version-2.txt', location.href).href, {
					ignoreSearch: true
				});
				return response ? await response.text() : null;
			})
		)
		.toBe('v2');
}

const LONG_ANSWER = Array.from({ length: 40 }, (_, i) => ` word${i}`);

test('a new version waits while an answer streams, says what a reload would stop, and keeps the conversation on Reload', async ({
	page,
	testEngine
}) => {
	test.setTimeout(90_000);
	const deployment = await privateDeployment({ testEngine: true });
	try {
		await openControlled(page, deployment.url);
		await loadModel(page);
		// The answer stops after 5 words until the test lets it go on: the update arrives and
		// waits while it is written, however long the deployment's precache takes.
		testEngine.script({ chat: { tokens: LONG_ANSWER, tokenMs: 50, holdAfterTokens: 5 } });
		await ask(page, 'Tell me a long story');
		const answer = page.getByTestId('message-assistant').last().getByTestId('message-content');
		await expect(answer).toContainText('word0');
		const sameDocument = await markDocument(page);

		await deployment.deploy(page);
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toHaveAttribute('data-reload-cost', 'answer');
		await expect(prompt.getByTestId('update-cost')).toContainText(
			'Reloading now stops the answer being written and unloads the model'
		);
		await expect(prompt.getByRole('button', { name: 'Later' })).toBeVisible();
		expect(await waitingVersion(page)).toBe(true);
		await expect(answer).toContainText('word4');
		expect(await sameDocument()).toBe(true);

		// The answer streams to its end under the old version, which is still in control.
		testEngine.release();
		await expect(answer).toHaveText(LONG_ANSWER.join('').trim(), { timeout: 20_000 });
		await lastAnswer(page);
		expect(await sameDocument()).toBe(true);
		expect(await waitingVersion(page)).toBe(true);
		// Now only the model would be lost, and the prompt says which.
		await expect(prompt).toHaveAttribute('data-reload-cost', 'model');
		await expect(prompt.getByTestId('update-cost')).toContainText(
			'Reloading unloads Qwen2.5-0.5B-Instruct-q4f32_1-MLC'
		);

		const address = page.url();
		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expectNewPrecache(page);
		// The same conversation, with the whole answer, is open in the new version.
		expect(page.url()).toBe(address);
		await expect(page.getByTestId('message-user').getByTestId('message-content')).toHaveText([
			'Tell me a long story'
		]);
		await expect(
			page.getByTestId('message-assistant').last().getByTestId('message-content')
		).toHaveText(LONG_ANSWER.join('').trim());
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);
	} finally {
		await deployment.close();
	}
});

test('"Later" keeps the loaded model and the old version: the next answer still works', async ({
	page,
	testEngine
}) => {
	test.setTimeout(90_000);
	const deployment = await privateDeployment({ testEngine: true });
	try {
		await openControlled(page, deployment.url);
		await loadModel(page);
		const sameDocument = await markDocument(page);

		await deployment.deploy(page);
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toHaveAttribute('data-reload-cost', 'model');
		await expect(prompt.getByTestId('update-cost')).toContainText(
			'Reloading unloads Qwen2.5-0.5B-Instruct-q4f32_1-MLC: you will have to load it again'
		);
		await prompt.getByRole('button', { name: 'Later' }).click();
		await expect(prompt).toHaveCount(0);

		// Nothing took over: the same page, the model still loaded, and it still answers.
		await expectStillAnswers(page, testEngine);
		await expect(page.getByTestId('model-ready')).toContainText(
			'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'
		);
		expect(await sameDocument()).toBe(true);
		expect(await waitingVersion(page)).toBe(true);
	} finally {
		await deployment.close();
	}
});

test('another tab taking the update leaves this one running with its model, and says to reload when convenient', async ({
	page,
	context,
	testEngine
}) => {
	test.setTimeout(90_000);
	const deployment = await privateDeployment({ testEngine: true });
	try {
		await openControlled(page, deployment.url);
		await loadModel(page);
		const sameDocument = await markDocument(page);
		const other = await context.newPage();
		await openApp(other, deployment.url);
		await expect.poll(() => other.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

		await deployment.deploy(page);
		await expect(page.getByTestId('update-prompt')).toBeVisible();
		await expect(other.getByTestId('update-prompt')).toBeVisible();
		// The other tab takes the update.
		await Promise.all([
			other.waitForEvent('load'),
			other.getByTestId('update-prompt').getByRole('button', { name: 'Reload' }).click()
		]);
		await expectNewPrecache(other);

		// This tab is not reloaded under the user: it says what happened, and its model still answers.
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toHaveAttribute('data-updated-elsewhere', 'true');
		await expect(prompt).toContainText('Lantern was updated in another tab');
		// This tab runs the engine for the other one (leader mode): a reload hands it over.
		await expect(prompt).toHaveAttribute('data-reload-cost', 'hand-over');
		await expect(prompt.getByTestId('update-cost')).toContainText(
			'another tab takes over and must load Qwen2.5-0.5B-Instruct-q4f32_1-MLC again'
		);
		await expectStillAnswers(page, testEngine);
		expect(await sameDocument()).toBe(true);

		// Reload when convenient: the new version, the same conversation.
		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);
		await expect(page.getByTestId('message-user').getByTestId('message-content')).toHaveText([
			'Are you there?'
		]);
	} finally {
		await deployment.close();
	}
});

test('Reload waits while another tab writes an answer (or is cancelled), then takes the new version without cutting that answer', async ({
	page,
	context,
	testEngine
}) => {
	test.setTimeout(120_000);
	const deployment = await privateDeployment({ testEngine: true });
	try {
		// `page` loads the model, so it hosts the engine that `other` writes its answer with.
		await openControlled(page, deployment.url);
		await loadModel(page);
		const other = await context.newPage();
		await openApp(other, deployment.url);
		await expect.poll(() => other.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
		await expect(other.getByTestId('model-ready')).toContainText(
			'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'
		);
		// The answer stops after 10 words until the test lets it go on: a deployment's precache can
		// take longer than any fixed answer on a slow machine.
		const tokens = Array.from({ length: 20 }, (_, i) => ` word${i}`);
		testEngine.script({ chat: { tokens, tokenMs: 100, holdAfterTokens: 10 } });
		await ask(other, 'Tell me a long story');
		const answer = other.getByTestId('message-assistant').last();
		await expect(answer.getByTestId('message-content')).toContainText('word0');
		const sameDocument = await markDocument(page);

		await deployment.deploy(page);
		const prompt = page.getByTestId('update-prompt');
		await expect(prompt).toHaveAttribute('data-reload-cost', 'waits');
		await expect(prompt.getByTestId('update-cost')).toHaveText(
			'Another Lantern tab is writing an answer: Reload waits until it is finished, so that it is not cut off.'
		);
		// The tab writing the answer does not host the engine: a reload there stops only its answer.
		const otherPrompt = other.getByTestId('update-prompt');
		await expect(otherPrompt).toHaveAttribute('data-reload-cost', 'answer');
		await expect(otherPrompt.getByTestId('update-cost')).toContainText(
			'stops the answer being written in this tab'
		);

		// Reload, then Cancel: the prompt is back as it was, and nothing reloads.
		await prompt.getByRole('button', { name: 'Reload' }).click();
		await expect(prompt.getByTestId('update-pending')).toHaveText(
			'Reloads when the answer in another tab is finished.'
		);
		await prompt.getByRole('button', { name: 'Cancel' }).click();
		await expect(prompt).toHaveAttribute('data-reload-pending', 'false');
		await expect(prompt.getByTestId('update-cost')).toBeVisible();

		// Reload again: it waits for the other tab's answer, which goes on under the old version.
		await prompt.getByRole('button', { name: 'Reload' }).click();
		await expect(prompt).toHaveAttribute('data-reload-pending', 'true');
		const reloaded = page.waitForEvent('load', { timeout: 60_000 });
		await expect(answer.getByTestId('message-content')).toContainText('word9');
		expect(await sameDocument()).toBe(true);
		expect(await waitingVersion(page)).toBe(true);
		testEngine.release();

		// The answer is written to its last word; only then does this tab reload, to the new version.
		await expect(answer.getByTestId('stats')).toHaveAttribute('data-finish-reason', 'stop', {
			timeout: 30_000
		});
		await expect(answer.getByTestId('message-content')).toHaveText(tokens.join('').trim());
		await reloaded;
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await expectNewPrecache(page);
		await expect(page.getByTestId('update-prompt')).toHaveCount(0);
	} finally {
		await deployment.close();
	}
});
