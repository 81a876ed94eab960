// The engine failing under the user: the GPU lost in the middle of an answer (WebLLM's
// DeviceLostError, mostly out of memory) and the engine worker dying without a word. Each time the
// partial answer is kept and marked as cut off, the user reads what happened and what to do, and
// the engine works again in the same tab.
import { ask, expect, lastAnswer, loadModel, openApp, test, type Page } from './fixtures';

const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

/** WebLLM 0.2.86's own error (lib/index.js, class DeviceLostError). */
const DEVICE_LOST = {
	name: 'DeviceLostError',
	message:
		'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.'
};

const TOKENS = ['The', ' answer', ' is', ' forty', '-two', '.'];

/** Marks the page, so a test can tell that it was not reloaded since. */
async function markPage(page: Page) {
	await page.evaluate(() => ((window as unknown as { __sameTab: boolean }).__sameTab = true));
}

async function samePage(page: Page) {
	return page.evaluate(() => (window as unknown as { __sameTab?: boolean }).__sameTab === true);
}

/** Asks, lets the scripted fault cut the answer after its first tokens, and checks the answer. */
async function askAndGetCutOff(page: Page, code: string, kept: string) {
	await ask(page, 'What is the answer?');
	const answer = page.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('answer-failed')).toHaveAttribute('data-error-code', code);
	await expect(answer.getByTestId('answer-failed')).toContainText('cut off');
	await expect(answer.getByTestId('message-content')).toHaveText(kept);
	// The model is gone: the user must load one again before asking.
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
	await expect(page.getByTestId('send')).toBeDisabled();
	return answer;
}

test('a GPU lost mid-answer keeps the partial answer and reloads with a smaller context window', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		chat: { tokens: TOKENS, tokenMs: 30, errorAfterTokens: 3, error: DEVICE_LOST }
	});
	await openApp(page);
	await loadModel(page, QWEN);
	await markPage(page);
	await askAndGetCutOff(page, 'device-lost', 'The answer is');

	// Plain words first, what to do next, and the raw error folded away.
	const alert = page.locator('[role="alert"][data-error-code="device-lost"]');
	await expect(alert).toContainText('The GPU stopped responding');
	await expect(alert).toContainText('ran out of memory');
	await expect(alert).toContainText('Your conversation is kept');
	await expect(alert.locator('pre')).toBeHidden();
	// The worker replaced WebLLM's broken engine with a fresh one.
	await expect
		.poll(() => testEngine.events.filter((e) => e.type === 'engine-created').length)
		.toBe(2);

	// The same model with half its context window (Qwen2.5's is 4,096 tokens).
	testEngine.script({});
	const smaller = page.getByTestId('recover-smaller-context');
	await expect(smaller).toHaveAttribute('data-context-window', '2048');
	await expect(smaller).toHaveText(/smaller context window \(2,048 tokens\)/);
	await smaller.click();
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	expect(testEngine.events.filter((e) => e.type === 'reload').at(-1)).toMatchObject({
		modelIds: [QWEN],
		chatOptions: [{ context_window_size: 2048, sliding_window_size: -1 }]
	});
	await expect(page.getByTestId('recovery')).toHaveCount(0);
	await expect(alert).toHaveCount(0);
	// The conversation is now measured against the smaller window.
	await expect(page.getByTestId('context-meter')).toContainText('of 2,048 tokens');

	// The next question works, in the same tab.
	await ask(page, 'Try again, please.');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Hello from the test engine.'
	);
	expect(await samePage(page)).toBe(true);

	// After a reload the partial answer is still there, still marked as cut off.
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	const first = page.getByTestId('message-assistant').first();
	await expect(first.getByTestId('message-content')).toHaveText('The answer is');
	await expect(first.getByTestId('answer-failed')).toContainText('cut off');
	await expect(first.getByTestId('answer-failed')).toContainText('The GPU stopped responding');
});

test('a GPU lost mid-answer offers a smaller model, which then answers', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		chat: { tokens: TOKENS, tokenMs: 30, errorAfterTokens: 2, error: DEVICE_LOST }
	});
	await openApp(page);
	await loadModel(page, QWEN);
	await askAndGetCutOff(page, 'device-lost', 'The answer');

	testEngine.script({});
	const offer = page.getByTestId('recover-smaller-model');
	const smallerId = await offer.getAttribute('data-model-id');
	expect(smallerId).toBeTruthy();
	expect(smallerId).not.toBe(QWEN);
	await expect(offer).toContainText(`Try ${smallerId}`);
	await offer.click();
	await expect(page.getByTestId('model-ready')).toContainText(smallerId ?? '');
	const reload = testEngine.events.filter((e) => e.type === 'reload').at(-1);
	expect(reload?.modelIds).toEqual([smallerId]);
	// Its own context window: no reduced window was asked for.
	expect(reload?.chatOptions).toBeUndefined();
	await expect(page.getByTestId('model-select')).toHaveValue(smallerId ?? '');

	await ask(page, 'Try again, please.');
	const answer = await lastAnswer(page);
	await expect(answer.getByTestId('message-content')).toHaveText('Hello from the test engine.');
	await expect(answer.getByTestId('stats')).toContainText(smallerId ?? '');
});

test('an engine worker that dies mid-answer fails that answer in plain words, and a fresh worker takes over', async ({
	page,
	testEngine
}) => {
	const boots = () => testEngine.events.filter((e) => e.type === 'boot').length;
	// The worker closes itself: no error event reaches the page.
	testEngine.script({ chat: { tokens: TOKENS, tokenMs: 30, closeWorkerAfterTokens: 2 } });
	await openApp(page);
	await loadModel(page, QWEN);
	await markPage(page);
	await expect.poll(boots).toBe(1);
	await askAndGetCutOff(page, 'worker-crashed', 'The answer');

	const alert = page.locator('[role="alert"][data-error-code="worker-crashed"]');
	await expect(alert).toContainText('The engine stopped unexpectedly');
	await expect(alert).toContainText('Load the model again');
	// A crash is not a lack of memory: no smaller model or window is pushed, just a fresh start.
	await expect(page.getByTestId('recover-smaller-context')).toHaveCount(0);
	await expect(page.getByTestId('recover-smaller-model')).toHaveCount(0);

	testEngine.script({});
	await page.getByTestId('recover-reload').click();
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	await expect.poll(boots).toBe(2);
	await ask(page, 'Are you back?');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Hello from the test engine.'
	);
	expect(await samePage(page)).toBe(true);
});

test('an engine worker that dies while idle is noticed at once: the page says so, and loading again works', async ({
	page,
	testEngine
}) => {
	const boots = () => testEngine.events.filter((e) => e.type === 'boot').length;
	await openApp(page);
	await loadModel(page, QWEN);
	await expect.poll(boots).toBe(1);
	await page.getByTestId('composer').fill('Still there?');
	// The browser ends the idle worker (as it may under memory pressure): nothing tells the page
	// but the worker's lifeline.
	const [worker] = page.workers();
	await worker?.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => null);

	// Said at once, without asking anything: the model is gone, and what was typed stays.
	await expect(page.locator('[role="alert"][data-error-code="worker-crashed"]')).toContainText(
		'The engine stopped unexpectedly'
	);
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
	await expect(page.getByTestId('composer')).toHaveValue('Still there?');
	expect(boots()).toBe(1);

	await loadModel(page, QWEN);
	await expect.poll(boots).toBe(2);
	await page.getByTestId('composer').press('Enter');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Hello from the test engine.'
	);
});

test('a model that runs out of GPU memory while loading offers a smaller context window, which loads', async ({
	page,
	testEngine
}) => {
	testEngine.script({ load: { error: DEVICE_LOST } });
	await openApp(page);
	await page.getByTestId('model-select').selectOption(QWEN);
	await page.getByTestId('load-model').click();
	await expect(page.locator('[role="alert"][data-error-code="device-lost"]')).toContainText(
		'The GPU stopped responding'
	);

	testEngine.script({});
	await page.getByTestId('recover-smaller-context').click();
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	expect(testEngine.events.filter((e) => e.type === 'reload').at(-1)).toMatchObject({
		modelIds: [QWEN],
		chatOptions: [{ context_window_size: 2048, sliding_window_size: -1 }]
	});
	await expect(page.locator('[role="alert"][data-error-code="device-lost"]')).toHaveCount(0);
	await ask(page, 'Hello?');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Hello from the test engine.'
	);
});
