// Server models in the chat, against a local server that answers like Ollama or vLLM
// (tests/fixtures/openai-server.ts): picked from the same list as the in-browser models, grouped by
// server and marked; stop, regenerate; and its faults (the server vanishing mid-answer, a slow first
// token, a 429, a model removed there), each said in words.
import { addServer, ask, expect, openApp, test, type OpenAiServer, type Page } from './fixtures';

/** Adds `server` on the Models page, then opens the chat and loads its model `name`. */
async function chatWith(page: Page, server: OpenAiServer, name: string) {
	await openApp(page, '/models/');
	await addServer(page, server.url);
	await expect(page.getByTestId('server-added')).toBeVisible();
	await openApp(page);
	const id = `${new URL(server.url).host}/${name}`;
	await page.getByTestId('model-select').selectOption(id);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toHaveAttribute('data-model-id', id);
	return id;
}

const answer = (page: Page) => page.getByTestId('message-assistant').last();
const posts = (server: OpenAiServer) =>
	server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

test('a server model is picked beside the in-browser ones, marked, and chats: stop and regenerate', async ({
	page,
	openaiServer
}) => {
	const ollama = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'llama3.1:70b' }],
		script: { tokens: Array.from({ length: 200 }, (_, i) => `w${i} `), tokenMs: 30 }
	});
	await openApp(page, '/models/');
	await addServer(page, ollama.url);
	await openApp(page);
	const host = new URL(ollama.url).host;
	// The picker groups the models by where they run, and says what leaves the device.
	const groups = page.getByTestId('model-select').locator('optgroup');
	await expect(groups.first()).toHaveAttribute(
		'label',
		'In this browser: nothing leaves this device'
	);
	await expect(groups.nth(1)).toHaveAttribute(
		'label',
		`On your server ${host}: conversations are sent there`
	);
	await expect(groups.nth(1).locator('option')).toHaveText(['llama3.1:70b']);

	await page.getByTestId('model-select').selectOption(`${host}/llama3.1:70b`);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toContainText(
		`llama3.1:70b on your server ${host} is ready`
	);
	await ask(page, 'Say hello');
	await expect(page.getByTestId('conversation-server')).toContainText(
		`This conversation goes to your server ${host} (${ollama.url}) and nowhere else.`
	);
	await expect(answer(page).getByTestId('answer-server')).toContainText(`on your server ${host}`);
	const content = answer(page).getByTestId('message-content');
	await expect(content).toContainText('w0 w1 w2');
	await page.getByTestId('stop').click();
	await expect(answer(page).getByTestId('stats')).toHaveAttribute('data-finish-reason', 'aborted');
	expect(await content.textContent()).not.toContain('w199');
	// The server saw the request go away.
	await expect.poll(() => posts(ollama).at(-1)?.abandoned).toBe(true);
	expect(posts(ollama).at(-1)?.body).toMatchObject({ model: 'llama3.1:70b', stream: true });

	ollama.script({ tokens: ['Hello', ' again', '.'], tokenMs: 10 });
	await answer(page).getByTestId('regenerate').click();
	await expect(answer(page).getByTestId('message-content')).toHaveText('Hello again.');
	await expect(answer(page).getByTestId('stats')).toBeVisible();
	await expect(page.getByTestId('message-assistant')).toHaveCount(1);
	expect(posts(ollama)).toHaveLength(2);
	const messages = posts(ollama).at(-1)?.body?.messages as Array<{ role: string }>;
	expect(messages.map((m) => m.role)).toEqual(['user']);

	// After a reload, the conversation still says where it goes.
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('conversation-server')).toContainText(`your server ${host}`);
});

test('a server that vanishes mid-answer: the partial answer is kept, marked cut off, and said in words', async ({
	page,
	openaiServer
}) => {
	const server = await openaiServer({
		flavour: 'vllm',
		models: [{ name: 'big' }],
		script: { tokens: ['One', ' two', ' three', ' four', ' five'], tokenMs: 30, cutAfter: 3 }
	});
	await chatWith(page, server, 'big');
	await ask(page, 'Count');
	await expect(answer(page)).toHaveAttribute('data-status', 'error');
	// The words that arrived are kept. (A reset connection may lose the last chunk in flight: on a
	// busy machine the third token can be among them.)
	const content = answer(page).getByTestId('message-content');
	await expect(content).toHaveText(/^\s*One two( three)?\s*$/);
	const kept = (await content.textContent())?.trim() ?? '';
	await expect(answer(page).getByTestId('answer-failed')).toContainText(
		'This answer was cut off here.'
	);
	await expect(page.getByTestId('server-answer-error')).toHaveAttribute('data-error-code', 'lost');
	// Kept across a reload, as cut off.
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(answer(page).getByTestId('message-content')).toHaveText(kept);
	await expect(answer(page).getByTestId('answer-failed')).toContainText(
		'This answer was cut off here.'
	);
});

test('a slow first token shows that the server is being waited for, then the answer', async ({
	page,
	openaiServer
}) => {
	const server = await openaiServer({
		flavour: 'llamacpp',
		models: [{ name: 'qwen' }],
		script: { tokens: ['Late', ' but', ' here.'], firstTokenMs: 4000, keepAliveMs: 500 }
	});
	const host = new URL(server.url).host;
	await chatWith(page, server, 'qwen');
	await ask(page, 'Take your time');
	const waiting = answer(page).getByTestId('server-waiting');
	await expect(waiting).toBeVisible();
	await expect(waiting).toHaveText(`Waiting for ${host} to answer… (Stop ends the wait.)`);
	await expect(answer(page).getByTestId('message-content')).toHaveText('Late but here.');
	await expect(waiting).toHaveCount(0);
});

test('a busy (429) then failing (503) server is asked again after the download manager’s delays, and each wait is shown', async ({
	page,
	openaiServer
}) => {
	const server = await openaiServer({
		flavour: 'openai',
		models: [{ name: 'gpt-local' }],
		script: { tokens: ['Now', ' free.'] }
	});
	const host = new URL(server.url).host;
	await chatWith(page, server, 'gpt-local');
	// (Its Retry-After would not reach the page: no server exposes it to CORS.)
	server.fail(429, { times: 1, path: '/chat/completions' });
	server.fail(503, { times: 1, path: '/chat/completions' });
	await ask(page, 'Are you busy?');
	const waiting = answer(page).getByTestId('server-waiting');
	await expect(waiting).toHaveAttribute('data-retrying', '429');
	await expect(waiting).toContainText(`${host} is busy (HTTP 429): Lantern asks again in 1 s`);
	await expect(waiting).toHaveAttribute('data-retrying', '503');
	await expect(waiting).toContainText(`${host} had an error (HTTP 503): Lantern asks again in 3 s`);
	await expect(answer(page).getByTestId('message-content')).toHaveText('Now free.');
	expect(posts(server)).toHaveLength(3);
});

test('a model removed from the server is named in the error', async ({ page, openaiServer }) => {
	const server = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'mistral:7b' }],
		script: { tokens: ['Hi.'] }
	});
	await chatWith(page, server, 'mistral:7b');
	server.set({ models: [{ name: 'llama3.2:3b' }] });
	await ask(page, 'Still there?');
	const error = page.getByTestId('server-answer-error');
	await expect(error).toHaveAttribute('data-error-code', 'model-gone');
	await expect(error).toContainText('The server no longer has the model “mistral:7b”.');
	await expect(answer(page)).toHaveAttribute('data-status', 'error');
});
