// Compare with a model on the user's own server (tests/fixtures/openai-server.ts) next to an
// in-browser one (the test engine): picked from the same list, grouped by server; it uses no GPU
// memory here, so both answer at the same time; blind mode, the vote and the leaderboard treat it
// like any model.
import { addServer, expect, openApp, test } from './fixtures';

const S = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const tokens = (word: string, n: number) => Array.from({ length: n }, (_, i) => `${word}${i} `);

test('an in-browser model and a server model answer at the same time, blind, and the vote reveals them', async ({
	page,
	testEngine,
	openaiServer
}) => {
	testEngine.script({
		load: { steps: 2, stepMs: 15 },
		chat: { tokenMs: 150, models: { [S]: { tokens: tokens('s', 30) } } }
	});
	const vllm = await openaiServer({
		flavour: 'vllm',
		models: [{ name: 'Qwen/Qwen3-32B' }],
		script: { tokens: tokens('r', 40), tokenMs: 150 }
	});
	const host = new URL(vllm.url).host;
	const remote = `${host}/Qwen/Qwen3-32B`;
	await openApp(page, '/models/');
	await addServer(page, vllm.url);
	await expect(page.getByTestId('server-added')).toBeVisible();

	await openApp(page, '/compare/');
	// A budget that holds only the in-browser model: the server model still runs beside it.
	await page.getByTestId('budget').fill('800');
	await page.getByTestId('budget').press('Tab');
	await page.getByTestId('model-slot-0').selectOption(S);
	const slot = page.getByTestId('model-slot-1');
	await expect(slot.locator('optgroup').nth(1)).toHaveAttribute(
		'label',
		`On your server ${host}: prompts are sent there`
	);
	await slot.selectOption(remote);
	await expect(page.getByTestId('server-model-note')).toContainText(
		'no GPU memory used here; the prompt is sent to that server'
	);
	await expect(page.getByTestId('compare-servers')).toContainText(
		`This comparison sends its prompts to your server ${host}`
	);
	await expect(page.getByTestId('compare-setup')).toContainText(
		'Models on your servers answer at the same time as the in-browser models'
	);
	await page.getByTestId('blind-toggle').setChecked(true);
	await page.getByTestId('prompt').fill('Write a haiku');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('comparison')).toHaveAttribute('data-blind', 'true');

	// Both stream at once: each has its first words while neither has finished.
	const answers = page.getByTestId('pane-answer');
	await expect(answers).toHaveCount(2);
	await expect(answers.filter({ hasText: 's0 s1' })).toHaveCount(1);
	await expect(answers.filter({ hasText: 'r0 r1' })).toHaveCount(1);
	await expect(page.getByTestId('pane-stats')).toHaveCount(0);
	// Blind: no model's name anywhere in the page, in-browser or on the server.
	const html = await page.locator('body').innerHTML();
	for (const name of [S, 'Qwen3-32B']) expect(html).not.toContain(name);
	await expect(page.getByTestId('pane-name')).toHaveText(['Model A', 'Model B']);

	await expect(page.getByTestId('pane-stats')).toHaveCount(2, { timeout: 30_000 });
	await expect(page.getByTestId('run')).toBeVisible();
	// Only the in-browser model went onto the GPU; nothing had to take turns.
	expect(testEngine.events).toContainEqual({ type: 'reload', modelIds: [S] });
	expect(testEngine.events.some((e) => e.type === 'unloaded')).toBe(false);
	const asked = vllm.requests.filter((r) => r.method === 'POST').at(-1);
	expect(asked?.body).toMatchObject({ model: 'Qwen/Qwen3-32B', stream: true });

	// The vote for the server's answer reveals it, and the leaderboard counts it like any model.
	const panes = page.getByTestId('pane');
	const first = await panes.nth(0).getByTestId('pane-answer').textContent();
	const serverFirst = first?.trim().startsWith('r0') ?? false;
	await page.getByTestId(serverFirst ? 'vote-a' : 'vote-b').click();
	await expect(page.getByTestId('voted')).toBeVisible();
	await expect(panes.nth(serverFirst ? 0 : 1).getByTestId('pane-name')).toHaveText(remote);
	await page.getByTestId('tab-leaderboard').click();
	const rows = page.getByTestId('rating-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toHaveAttribute('data-model', remote);
	await expect(rows.first().getByTestId('vote-count')).toHaveText('1');
});

test('a suite runs a server model like any other, and the benchmark card records the server’s name for it', async ({
	page,
	testEngine,
	openaiServer
}) => {
	testEngine.script({ chat: { tokenMs: 5, tokens: ['Local.'] } });
	const ollama = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'llama3.1:70b' }],
		script: { tokens: ['Remote.'] }
	});
	const remote = `${new URL(ollama.url).host}/llama3.1:70b`;
	await openApp(page, '/models/');
	await addServer(page, ollama.url);
	await expect(page.getByTestId('server-added')).toBeVisible();
	await openApp(page, '/compare/');
	await page.getByTestId('model-slot-0').selectOption(S);
	await page.getByTestId('model-slot-1').selectOption(remote);
	await page.getByTestId('tab-suites').click();
	await page.getByTestId('suite-name').fill('Big and small');
	await page.getByTestId('suite-prompts').fill('First\nSecond');
	await page.getByTestId('save-suite').click();
	await page.getByTestId('run-suite').click();
	await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'done');
	expect(ollama.requests.filter((r) => r.method === 'POST')).toHaveLength(2);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('export-card').click()
	]);
	let card = '';
	for await (const chunk of await download.createReadStream()) card += chunk.toString();
	expect(card).toContain(`| ${S} | this browser (WebGPU) | 580 |`);
	expect(card).toContain(`| ${remote} | the user’s server, as “llama3.1:70b” | none here |`);
});

test('a server model slow to begin shows, in its pane, that the server is being waited for; blind, only under its letter', async ({
	page,
	testEngine,
	openaiServer
}) => {
	testEngine.script({ chat: { tokenMs: 5, tokens: ['Local', ' answer.'] } });
	const server = await openaiServer({
		flavour: 'llamacpp',
		models: [{ name: 'qwen' }],
		script: { tokens: ['Late', ' but', ' here.'], firstTokenMs: 4000, keepAliveMs: 500 }
	});
	const host = new URL(server.url).host;
	await openApp(page, '/models/');
	await addServer(page, server.url);
	await expect(page.getByTestId('server-added')).toBeVisible();
	await openApp(page, '/compare/');
	await page.getByTestId('model-slot-0').selectOption(S);
	await page.getByTestId('model-slot-1').selectOption(`${host}/qwen`);
	await page.getByTestId('blind-toggle').setChecked(false);
	await page.getByTestId('prompt').fill('Take your time');
	await page.getByTestId('run').click();

	const remotePane = page.getByTestId('pane').filter({ hasText: `${host}/qwen` });
	const localPane = page.getByTestId('pane').filter({ hasText: S });
	const waiting = remotePane.getByTestId('server-waiting');
	await expect(waiting).toBeVisible();
	await expect(waiting).toHaveText(`Waiting for ${host} to answer… (Stop ends the wait.)`);
	// The in-browser model answers meanwhile, and says nothing of a server.
	await expect(localPane.getByTestId('pane-answer')).toHaveText('Local answer.');
	await expect(localPane.getByTestId('server-waiting')).toHaveCount(0);
	await expect(remotePane.getByTestId('pane-answer')).toHaveText('Late but here.');
	await expect(waiting).toHaveCount(0);

	// Blind: the waiting line names the pane's letter, never the server.
	await page.getByTestId('new-comparison').click();
	await page.getByTestId('blind-toggle').setChecked(true);
	await page.getByTestId('prompt').fill('Take your time again');
	await page.getByTestId('run').click();
	const blindWaiting = page.getByTestId('server-waiting');
	await expect(blindWaiting).toHaveCount(1);
	await expect(blindWaiting).toHaveText(
		/^Waiting for Model [AB] to answer… \(Stop ends the wait\.\)$/
	);
	const html = await page.locator('body').innerHTML();
	expect(html).not.toContain('qwen');
	await expect(page.getByTestId('pane-stats')).toHaveCount(2, { timeout: 30_000 });
	await expect(blindWaiting).toHaveCount(0);
});
