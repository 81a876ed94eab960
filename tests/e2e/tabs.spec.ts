// One engine for every tab (issue 11): the tabs of one browser profile share one engine, whichever
// tab hosts it. These run the leader-tab way (fixtures.ts removes SharedWorker, which Playwright
// cannot route), so the engine lives in one tab's dedicated worker and the others reach it through
// that tab. The test engine logs every `boot` (a new engine worker) and `reload` (a load).
import { ask, expect, lastAnswer, loadModel, openApp, test, type Page } from './fixtures';

const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const S = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const T = 'TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k';
const HELLO = 'Hello from the test engine.';
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);

type Events = ReadonlyArray<{ type: string }>;
const count = (events: Events, type: string) => events.filter((e) => e.type === type).length;

async function newTab(page: Page) {
	const tab = await page.context().newPage();
	await openApp(tab);
	return tab;
}

const status = (page: Page) => page.getByTestId('engine-status');

test('two and three tabs share one engine: the model loaded in one is ready in the others, loaded once', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page, QWEN);
	const second = await newTab(page);
	// Ready without a load of its own, and the header says what is loaded in every tab.
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	const third = await newTab(page);
	await expect(third.getByTestId('model-ready')).toContainText(QWEN);
	for (const tab of [page, second, third]) {
		await expect(status(tab)).toHaveAttribute('data-models', '1');
		await expect(status(tab)).toHaveAttribute('data-tabs', '3');
		await expect(status(tab)).toContainText('1 model loaded');
	}
	await ask(third, 'Hello?');
	await expect((await lastAnswer(third)).getByTestId('message-content')).toHaveText(HELLO);
	await ask(second, 'And here?');
	await expect((await lastAnswer(second)).getByTestId('message-content')).toHaveText(HELLO);
	expect(count(testEngine.events, 'reload')).toBe(1);
	expect(count(testEngine.events, 'boot')).toBe(1);
	// Asking for the model that is already loaded does not load it again.
	await loadModel(second, QWEN);
	expect(count(testEngine.events, 'reload')).toBe(1);
});

test('a Stop in one tab stops only that tab’s answer; the other tab’s answer is written to the end', async ({
	page,
	testEngine
}) => {
	// The first answer stops after 5 words until the test lets it go on: the second tab's
	// question is surely still queued when it is stopped.
	testEngine.script({ chat: { tokens: words(40), tokenMs: 20, holdAfterTokens: 5 } });
	await openApp(page);
	await loadModel(page, QWEN);
	const second = await newTab(page);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	await ask(page, 'Long answer, please');
	const first = page.getByTestId('message-assistant').last();
	await expect(first.getByTestId('message-content')).toContainText('w4');
	// The second tab's question waits for the first answer (one answer per model at a time).
	await ask(second, 'Me too');
	await expect(status(page)).toHaveAttribute('data-answers', '2');
	await second.getByTestId('stop').click();
	await expect(second.getByTestId('message-assistant').last().getByTestId('stats')).toHaveAttribute(
		'data-finish-reason',
		'aborted'
	);
	// The first tab's answer goes on to its last word.
	testEngine.release();
	await expect(first.getByTestId('stats')).toHaveAttribute('data-finish-reason', 'stop');
	await expect(first.getByTestId('message-content')).toContainText('w39');
	expect(count(testEngine.events, 'interrupt')).toBe(0);

	// And the other way round: a Stop in the first tab leaves the second tab's answer running.
	await ask(second, 'Again');
	const answer = second.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('message-content')).toContainText('w2');
	await ask(page, 'Queued');
	await page.getByTestId('stop').click();
	await expect(page.getByTestId('message-assistant').last().getByTestId('stats')).toHaveAttribute(
		'data-finish-reason',
		'aborted'
	);
	await expect(answer.getByTestId('stats')).toHaveAttribute('data-finish-reason', 'stop');
	await expect(answer.getByTestId('message-content')).toContainText('w39');
});

test('a load in one tab that would unload the model another tab is answering with asks first, then waits, says so, and the answer is written to its end', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: words(60), tokenMs: 50 } });
	await openApp(page);
	await loadModel(page, QWEN);
	const second = await newTab(page);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	await ask(page, 'Long answer, please');
	const answer = page.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('message-content')).toContainText('w2');

	await second.getByTestId('model-select').selectOption(S);
	await second.getByTestId('load-model').click();
	await expect(second.getByTestId('replace-question')).toContainText(
		`Loading ${S} unloads ${QWEN}, which another tab is writing an answer with. The load starts once that answer is finished`
	);
	await second.getByTestId('replace-anyway').click();
	const progress = second.getByTestId('load-progress');
	await expect(progress).toHaveAttribute('data-phase', 'waiting');
	await expect(progress).toContainText('Waiting for an answer in another tab to finish');
	await expect(status(second)).toContainText(
		'waiting to load until another tab’s answer is finished'
	);

	// The answer is never cut: it ends by itself, then the load goes ahead.
	await expect(answer.getByTestId('stats')).toHaveAttribute('data-finish-reason', 'stop');
	await expect(answer.getByTestId('message-content')).toContainText('w59');
	await expect(second.getByTestId('model-ready')).toContainText(S);
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
});

test('a load in one tab that would unload the model another tab’s chat uses asks first: Cancel keeps it, Load anyway replaces it', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page, QWEN);
	await ask(page, 'Hello?');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(HELLO);
	const second = await newTab(page);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);

	await second.getByTestId('model-select').selectOption(S);
	await second.getByTestId('load-model').click();
	const question = second.getByTestId('replace-question');
	await expect(question).toContainText(
		`Loading ${S} unloads ${QWEN}, which another tab uses. That tab will need to load it again.`
	);
	// Nothing is unloaded while the question is open.
	await expect(status(page)).toContainText('1 model loaded');
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);

	// Cancel: everything as it was; the first tab answers without a load.
	await second.getByTestId('replace-cancel').click();
	await expect(question).toHaveCount(0);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	await ask(page, 'Still here?');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(HELLO);
	expect(count(testEngine.events, 'reload')).toBe(1);

	// Load anyway: the second tab's model is loaded, and the first tab's chat says its model is not.
	await second.getByTestId('load-model').click();
	await second.getByTestId('replace-anyway').click();
	await expect(second.getByTestId('model-ready')).toContainText(S);
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
	await expect(page.getByTestId('send')).toBeDisabled();
	await expect(page.getByText(`Load ${QWEN} to continue this conversation.`)).toBeVisible();
	expect(count(testEngine.events, 'reload')).toBe(2);
});

test('a load that unloads a model no other tab uses does not ask', async ({ page, testEngine }) => {
	await openApp(page);
	const second = await newTab(page);
	await loadModel(second, QWEN);
	// The first tab sees the model (ready at once) but has not used it: nothing to ask.
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	await ask(second, 'Hi');
	await expect((await lastAnswer(second)).getByTestId('message-content')).toHaveText(HELLO);
	await loadModel(second, S);
	await expect(second.getByTestId('replace-question')).toHaveCount(0);
	await expect(page.getByTestId('model-ready')).toContainText(S);
	expect(count(testEngine.events, 'reload')).toBe(2);
});

test('closing the tab that hosts the engine mid-answer: the answer is kept and marked cut off, another tab takes over, and the model loads once', async ({
	page,
	testEngine
}) => {
	// The answer stops after 4 words (never released): it is still being written when its host
	// tab closes.
	testEngine.script({ chat: { tokens: words(60), tokenMs: 20, holdAfterTokens: 4 } });
	await openApp(page);
	await loadModel(page, QWEN);
	const second = await newTab(page);
	const third = await newTab(page);
	await expect(third.getByTestId('model-ready')).toContainText(QWEN);
	await ask(second, 'Tell me a long story');
	const answer = second.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('message-content')).toContainText('w3');
	await page.close();

	// The answer says what happened: the tab running the model closed (not a generic crash).
	const failed = answer.getByTestId('answer-failed');
	await expect(failed).toHaveAttribute('data-error-code', 'host-closed');
	await expect(failed).toContainText(
		'This answer was cut off here. The Lantern tab that was running the model was closed'
	);
	await expect(
		second.getByRole('alert').filter({
			hasText: 'Load the model again (once, for all your tabs), then send again to continue.'
		})
	).toBeVisible();
	await expect(answer.getByTestId('message-content')).toContainText('w0 w1 w2 w3');
	await expect(second.getByTestId('model-ready')).toHaveCount(0);
	await expect(third.getByTestId('model-ready')).toHaveCount(0);
	await expect(status(third)).toContainText('No model loaded');

	testEngine.script({});
	await loadModel(second, QWEN);
	await expect(third.getByTestId('model-ready')).toContainText(QWEN);
	await ask(third, 'Still there?');
	await expect((await lastAnswer(third)).getByTestId('message-content')).toHaveText(HELLO);
	expect(count(testEngine.events, 'boot')).toBe(2);
	expect(count(testEngine.events, 'reload')).toBe(2);
});

test('Compare in one tab swapping the models while Chat in another is idle: Chat sees it at once, loads again, then answers', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['s0 ', 's1 ', 's2'] } });
	await openApp(page);
	await loadModel(page, QWEN);
	const other = await newTab(page);
	await openApp(other, '/compare/');
	await other.getByTestId('budget').fill('4000');
	await other.getByTestId('budget').press('Tab');
	await other.getByTestId('model-slot-0').selectOption(S);
	await other.getByTestId('model-slot-1').selectOption(T);
	await other.getByTestId('prompt').fill('Hi');
	await other.getByTestId('run').click();
	// The chat in the first tab uses the model: Compare asks first (naming none: it is blind).
	const question = other.getByTestId('replace-question');
	await expect(question).toContainText(
		'This load unloads a model that another tab uses. That tab will need to load it again.'
	);
	await other.getByTestId('replace-cancel').click();
	await expect(question).toHaveCount(0);
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	expect(count(testEngine.events, 'reload')).toBe(1);

	await other.getByTestId('prompt').fill('Hi again');
	await other.getByTestId('run').click();
	await other.getByTestId('replace-anyway').click();
	await expect(other.getByTestId('pane-stats')).toHaveCount(2);

	// The chat's model is gone from the GPU: the chat says so instead of failing at the next send.
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
	await expect(page.getByTestId('send')).toBeDisabled();
	await expect(status(page)).toContainText('2 models loaded');

	// Loading it again takes Compare's models from the other tab: the chat asks in turn.
	testEngine.script({});
	await page.getByTestId('model-select').selectOption(QWEN);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('replace-question')).toContainText(
		`Loading ${QWEN} unloads ${S} and ${T}, which another tab uses.`
	);
	await page.getByTestId('replace-anyway').click();
	await expect(page.getByTestId('model-ready')).toContainText(QWEN);
	await ask(page, 'Back to chat');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(HELLO);
	expect(count(testEngine.events, 'reload')).toBe(3);
});

test('Compare in one tab uses the model Chat loaded in another: that pane answers first, already loaded, and only the other model is loaded', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['c0 ', 'c1'] } });
	await openApp(page);
	await loadModel(page, QWEN);
	const other = await newTab(page);
	await openApp(other, '/compare/');
	// Each model fits alone, not both together: they take turns, the loaded one first.
	await other.getByTestId('budget').fill('1300');
	await other.getByTestId('budget').press('Tab');
	await other.getByTestId('model-slot-0').selectOption(S);
	await other.getByTestId('model-slot-1').selectOption(QWEN);
	await other.getByTestId('blind-toggle').setChecked(false);
	await other.getByTestId('prompt').fill('Hi');
	await other.getByTestId('run').click();
	// The second turn takes the chat's model from the first tab: asked first, named (not blind).
	await expect(other.getByTestId('replace-question')).toContainText(
		`Loading ${S} unloads ${QWEN}, which another tab uses.`
	);
	await other.getByTestId('replace-anyway').click();
	await expect(other.getByTestId('pane-stats')).toHaveCount(2);
	const pane = (id: string) => other.getByTestId('pane').filter({ hasText: id });
	await expect(pane(QWEN).getByTestId('pane-stats')).toContainText('already loaded');
	await expect(pane(S).getByTestId('pane-stats')).toContainText('load ');
	// Loaded once by Chat, never again by Compare: the second load is the other model's.
	const loads = testEngine.events.flatMap((e) =>
		e.type === 'reload' ? [(e as { modelIds?: string[] }).modelIds] : []
	);
	expect(loads).toEqual([[QWEN], [S]]);
});

test('reloading the tab that hosts the engine: the other tab notices, and the next load happens once for both', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page, QWEN);
	const second = await newTab(page);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(second.getByTestId('model-ready')).toHaveCount(0);
	await expect(status(second)).toContainText('No model loaded');

	await loadModel(page, QWEN);
	await expect(second.getByTestId('model-ready')).toContainText(QWEN);
	await ask(second, 'Hi again');
	await expect((await lastAnswer(second)).getByTestId('message-content')).toHaveText(HELLO);
	expect(count(testEngine.events, 'reload')).toBe(2);
	expect(count(testEngine.events, 'boot')).toBe(2);
});

// The production engine (no test engine here: a shared worker's script cannot be swapped). Its
// load of a catalog model cannot succeed on a machine without the model's host; what is checked is
// that Chromium gets the shared worker, with WebGPU, and that a second tab joins the same one.
test('in Chromium the engine runs in a shared worker with WebGPU, and a second tab joins it', async ({
	page
}) => {
	await openApp(page);
	await page.getByTestId('model-select').selectOption(QWEN);
	await page.getByTestId('load-model').click();
	await expect(status(page)).toHaveAttribute('data-mode', 'shared');
	const second = await newTab(page);
	await expect(status(second)).toHaveAttribute('data-mode', 'shared');
	await expect(status(second)).toHaveAttribute('data-tabs', '2');
	await expect(status(page)).toContainText('shared by 2 tabs');
});
