// Conversations that last: streaming Markdown, the actions on messages, persistence across reloads
// (including an answer cut off by the reload), search, settings that reach the engine, and the
// context window's drop-oldest strategy.
import { readFile } from 'node:fs/promises';
import {
	ask,
	chatRequests,
	expect,
	lastAnswer,
	loadModel,
	openApp,
	test,
	type Page
} from './fixtures';

const MARKDOWN = [
	'## Plan\n\n',
	'Some **bold** text and a [link](https://example.com).\n\n',
	'- first item\n',
	'- second item\n\n',
	'```ts\n',
	'const answer: number = 42;\n',
	'```\n\n',
	'| name | value |\n',
	'| --- | --- |\n',
	'| alpha | 1 |\n',
	'| beta | 2 |\n'
];

/** Splits text into small tokens, as a model streams it. */
function tokens(text: string, size = 4): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

async function answerText(page: Page) {
	return (await lastAnswer(page)).getByTestId('message-content');
}

test('an answer streams in as Markdown: headings, lists, highlighted code with a copy button, tables', async ({
	page,
	context,
	testEngine
}) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	testEngine.script({ chat: { tokens: tokens(MARKDOWN.join('')), tokenMs: 15 } });
	await openApp(page);
	await loadModel(page);
	await ask(page, 'Make a plan');
	const content = page.getByTestId('message-assistant').last().getByTestId('message-content');
	// Mid-stream, the finished blocks are already rendered.
	await expect(content.locator('h2')).toHaveText('Plan');
	await expect(content.locator('li')).toHaveText(['first item', 'second item']);
	const done = await answerText(page);
	await expect(done.locator('strong')).toHaveText('bold');
	await expect(done.locator('a')).toHaveAttribute('href', 'https://example.com/');
	await expect(done.locator('table td')).toHaveText(['alpha', '1', 'beta', '2']);
	await expect(done.locator('.code-block code')).toHaveText('const answer: number = 42;');
	// The TypeScript highlighter is loaded on demand, then the block is coloured.
	await expect(done.locator('.code-block .hljs-keyword').first()).toHaveText('const');
	await done.locator('button.copy-code').click();
	await expect(done.locator('button.copy-code')).toHaveText('Copied');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
		'const answer: number = 42;'
	);
});

test('Esc stops an answer; regenerate replaces it; the stopped text was kept until then', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		chat: { tokens: Array.from({ length: 300 }, (_, i) => `w${i} `), tokenMs: 20 }
	});
	await openApp(page);
	await loadModel(page);
	await ask(page, 'Count');
	const answer = page.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('message-content')).toContainText('w3');
	await page.keyboard.press('Escape');
	await expect(answer.getByTestId('stats')).toHaveAttribute('data-finish-reason', 'aborted');
	await expect(answer.getByTestId('interrupted')).toBeVisible();
	await expect(answer).toHaveAttribute('data-status', 'interrupted');

	testEngine.script({ chat: { tokens: ['A', ' fresh', ' answer.'] } });
	await answer.getByTestId('regenerate').click();
	await expect(page.getByTestId('message-assistant')).toHaveCount(1);
	await expect(await answerText(page)).toHaveText('A fresh answer.');
	// The regenerated request does not contain the answer it replaces.
	const last = chatRequests(testEngine).at(-1);
	expect(last?.messages.map((m) => m.role)).toEqual(['user']);
});

test('editing a question drops what followed and asks again', async ({ page, testEngine }) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['First', ' answer.'] } });
	await ask(page, 'What is one plus one?');
	await expect(await answerText(page)).toHaveText('First answer.');
	testEngine.script({ chat: { tokens: ['Second', ' answer.'] } });
	await ask(page, 'And two plus two?');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await expect(await answerText(page)).toHaveText('Second answer.');

	testEngine.script({ chat: { tokens: ['Edited', ' answer.'] } });
	const firstQuestion = page.getByTestId('message-user').first();
	await firstQuestion.getByTestId('edit').click();
	await page.getByTestId('edit-box').fill('What is three plus three?');
	await page.getByTestId('edit-send').click();
	await expect(page.getByTestId('message-user')).toHaveCount(1);
	await expect(page.getByTestId('message-user').getByTestId('message-content')).toHaveText(
		'What is three plus three?'
	);
	await expect(page.getByTestId('message-assistant')).toHaveCount(1);
	await expect(await answerText(page)).toHaveText('Edited answer.');
	expect(chatRequests(testEngine).at(-1)?.messages).toEqual([
		{ role: 'user', content: 'What is three plus three?' }
	]);

	// Deleting a message removes it for good.
	await page.getByTestId('message-assistant').getByTestId('delete-message').click();
	await expect(page.getByTestId('message-assistant')).toHaveCount(0);
	await page.reload();
	await expect(page.getByTestId('message-user')).toHaveCount(1);
	await expect(page.getByTestId('message-assistant')).toHaveCount(0);
});

test('a conversation survives a reload with its title, answers, stats and model', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Paris', ' is', ' the', ' capital.'] } });
	await openApp(page);
	await loadModel(page);
	await ask(page, 'What is the capital of France?\nAnswer briefly.');
	await expect(await answerText(page)).toHaveText('Paris is the capital.');
	// Screen readers hear the answer from a polite live region (not from the message list).
	await expect(page.getByTestId('announcer')).toHaveText('Paris is the capital.');
	await expect(page.getByTestId('announcer')).toHaveAttribute('aria-live', 'polite');
	await expect(page.getByTestId('messages')).not.toHaveAttribute('aria-live');
	await expect(page).toHaveURL(/\?c=/);
	await expect(page.getByTestId('conversation-title')).toHaveText('What is the capital of France?');

	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('conversation-title')).toHaveText('What is the capital of France?');
	const answer = page.getByTestId('message-assistant');
	await expect(answer.getByTestId('message-content')).toHaveText('Paris is the capital.');
	await expect(answer.getByTestId('stats')).toContainText('stop');
	await expect(answer.getByTestId('stats')).toContainText('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('conversation-link')).toHaveAttribute('aria-current', 'page');
});

test('reloading in the middle of an answer keeps what was written, marked interrupted', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		chat: { tokens: Array.from({ length: 400 }, (_, i) => `t${i} `), tokenMs: 15 }
	});
	await openApp(page);
	await loadModel(page);
	await ask(page, 'Write a lot');
	const content = page.getByTestId('message-assistant').getByTestId('message-content');
	await expect(content).toContainText('t40 ');
	// Saved every few hundred milliseconds while streaming: wait until a save holds t40.
	const saved = () =>
		page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open('lantern');
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			const messages = await new Promise<Array<{ role: string; content: string }>>(
				(resolve, reject) => {
					const request = db.transaction('messages').objectStore('messages').getAll();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				}
			);
			db.close();
			return messages.find((m) => m.role === 'assistant')?.content ?? '';
		});
	await expect.poll(saved).toContain('t40 ');
	const before = (await content.textContent()) ?? '';
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	const answer = page.getByTestId('message-assistant');
	await expect(answer).toHaveAttribute('data-status', 'interrupted');
	await expect(answer.getByTestId('interrupted')).toBeVisible();
	const kept = (await answer.getByTestId('message-content').textContent()) ?? '';
	expect(kept).toContain('t0 t1 t2');
	expect(kept).not.toContain('t399');
	// At most one save interval was lost.
	expect(kept.trim().split(/\s+/).length).toBeGreaterThan(before.trim().split(/\s+/).length - 40);
});

test('search finds a conversation by a word in an answer, and renaming and deleting work', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['Bananas', ' are', ' rich', ' in', ' potassium.'] } });
	await ask(page, 'Tell me about fruit');
	await lastAnswer(page);
	await page.getByTestId('new-chat').click();
	testEngine.script({ chat: { tokens: ['Granite', ' is', ' an', ' igneous', ' rock.'] } });
	await ask(page, 'Tell me about stones');
	await lastAnswer(page);
	await expect(page.getByTestId('conversation')).toHaveCount(2);
	// Newest first.
	await expect(page.getByTestId('conversation').first()).toContainText('Tell me about stones');

	await page.getByTestId('search').fill('POTASSIUM');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('conversation')).toContainText('Tell me about fruit');
	await expect(page.getByTestId('snippet').locator('mark')).toHaveText('potassium');
	await page.getByTestId('conversation-link').click();
	await expect(page.getByTestId('message-assistant')).toContainText('Bananas');

	await page.getByTestId('search').fill('nothing like this');
	await expect(page.getByTestId('no-conversations')).toBeVisible();
	await page.getByTestId('search').fill('');
	await expect(page.getByTestId('conversation')).toHaveCount(2);

	const fruit = page.locator('[data-testid="conversation"]', { hasText: 'fruit' });
	await fruit.getByTestId('rename').click();
	await page.getByTestId('rename-input').fill('Potassium facts');
	await page.getByTestId('rename-input').press('Enter');
	await expect(page.getByTestId('conversation-title')).toHaveText('Potassium facts');
	page.once('dialog', (dialog) => void dialog.accept());
	await page
		.locator('[data-testid="conversation"]', { hasText: 'Potassium facts' })
		.getByTestId('delete')
		.click();
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await page.reload();
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('conversation')).toContainText('stones');
});

test('the system prompt, sampling settings and presets reach the engine', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	await page.getByTestId('settings-toggle').click();
	await page.getByTestId('system-prompt').fill('You are a pirate.');
	await page.getByTestId('system-prompt').blur();
	await page.getByTestId('setting-temperature').fill('0.3');
	await page.getByTestId('setting-temperature').blur();
	await page.getByTestId('setting-seed').fill('42');
	await page.getByTestId('setting-seed').blur();
	await page.getByTestId('preset-name').fill('Pirate');
	await page.getByTestId('preset-save').click();
	await expect(page.getByTestId('preset-select').locator('option')).toHaveText([
		'Choose a preset…',
		'Pirate'
	]);
	await ask(page, 'Hello');
	await lastAnswer(page);
	const request = chatRequests(testEngine).at(-1);
	expect(request?.messages[0]).toEqual({ role: 'system', content: 'You are a pirate.' });
	expect(request?.temperature).toBe(0.3);
	expect(request?.seed).toBe(42);
	// Defaults for the fields left empty.
	expect(request?.top_p).toBe(0.95);
	expect(request?.max_tokens).toBe(1024);

	// A new conversation starts blank; picking the preset fills its system prompt.
	await page.getByTestId('new-chat').click();
	await expect(page.getByTestId('system-prompt')).toHaveValue('');
	await page.getByTestId('preset-select').selectOption({ label: 'Pirate' });
	await expect(page.getByTestId('system-prompt')).toHaveValue('You are a pirate.');
	await ask(page, 'Ahoy');
	await lastAnswer(page);
	expect(chatRequests(testEngine).at(-1)?.messages[0]).toEqual({
		role: 'system',
		content: 'You are a pirate.'
	});
});

test('when the conversation outgrows the context window the oldest turns are dropped, and the page says so', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['x'.repeat(200)] } });
	await openApp(page);
	await loadModel(page);
	// Keep 3,900 of the 4,096 tokens for the answer: about 780 characters of history fit.
	await page.getByTestId('settings-toggle').click();
	await page.getByTestId('setting-max_tokens').fill('3900');
	await page.getByTestId('setting-max_tokens').blur();
	await ask(page, `first ${'a'.repeat(300)}`);
	await lastAnswer(page);
	await expect(page.getByTestId('dropped')).toHaveCount(0);
	await ask(page, `second ${'b'.repeat(300)}`);
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await lastAnswer(page);
	await expect(page.getByTestId('dropped')).toContainText('2 older messages were left out');
	const sent = chatRequests(testEngine).at(-1)?.messages ?? [];
	expect(sent).toHaveLength(1);
	expect(String(sent[0]?.content)).toMatch(/^second/);
	await expect(page.getByTestId('context-meter')).toContainText('of 4,096 tokens');
});

test('the model can change in the middle of a conversation; each answer names its model', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['From', ' Qwen.'] } });
	await ask(page, 'Who are you?');
	await lastAnswer(page);
	await loadModel(page, 'SmolLM2-360M-Instruct-q4f32_1-MLC');
	testEngine.script({ chat: { tokens: ['From', ' SmolLM.'] } });
	await ask(page, 'And now?');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await lastAnswer(page);
	const stats = page.getByTestId('message-assistant').getByTestId('stats');
	await expect(stats.nth(0)).toContainText('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await expect(stats.nth(1)).toContainText('SmolLM2-360M-Instruct-q4f32_1-MLC');
	const last = chatRequests(testEngine).at(-1);
	expect(last?.model).toBe('SmolLM2-360M-Instruct-q4f32_1-MLC');
	// The whole history goes to the new model.
	expect(last?.messages.map((m) => m.content)).toEqual(['Who are you?', 'From Qwen.', 'And now?']);
	// The conversation continues with the model it last used.
	await page.reload();
	await expect(page.getByTestId('model-select')).toHaveValue('SmolLM2-360M-Instruct-q4f32_1-MLC');
	await expect(page.getByTestId('composer')).toBeVisible();
	await expect(page.getByTestId('send')).toBeDisabled();
});

test('presets are shared as a file; a file that is not one is refused', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	await page.getByTestId('settings-toggle').click();
	const presets = (items: unknown[]) => ({
		name: 'presets.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify({ format: 'lantern-presets', version: 1, presets: items }))
	});
	await page
		.getByTestId('preset-import')
		.setInputFiles(presets([{ name: 'Terse', prompt: 'Answer in one sentence.' }]));
	await expect(page.getByTestId('notice')).toContainText('Imported 1 preset');
	await page.getByTestId('preset-import').setInputFiles(presets([{ name: '', prompt: 'x' }]));
	await expect(page.getByTestId('notice')).toHaveAttribute('data-code', 'malformed');
	await expect(page.getByTestId('preset-select').locator('option')).toHaveText([
		'Choose a preset…',
		'Terse'
	]);
	await page.getByTestId('preset-select').selectOption({ label: 'Terse' });
	testEngine.script({ chat: { tokens: ['Yes.'] } });
	await ask(page, 'Is the sky blue?');
	await lastAnswer(page);
	expect(chatRequests(testEngine).at(-1)?.messages[0]).toEqual({
		role: 'system',
		content: 'Answer in one sentence.'
	});
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Share presets' }).click()
	]);
	const shared = JSON.parse(await readFile(await file.path(), 'utf8'));
	expect(shared).toEqual({
		format: 'lantern-presets',
		version: 1,
		presets: [{ name: 'Terse', prompt: 'Answer in one sentence.' }]
	});
});

test('the address follows the open conversation, and the theme choice is kept', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Noted.'] } });
	await openApp(page);
	await loadModel(page);
	await ask(page, 'Remember me');
	await lastAnswer(page);
	await expect(page).toHaveURL(/\?c=/);
	const url = page.url();
	// Another page and back through the Chat link: the same conversation, with the model loaded.
	await page.getByRole('link', { name: 'Device' }).click();
	await expect(page).toHaveURL(/\/device\/$/);
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await expect(page.getByTestId('message-user')).toHaveText(/Remember me/);
	await expect(page).toHaveURL(url);
	await expect(page.getByTestId('model-ready')).toBeVisible();
	// New chat: an empty conversation, and an address without an id (a reload keeps it empty).
	await page.getByTestId('new-chat').click();
	await expect(page.getByTestId('composer')).toBeFocused();
	await expect(page).not.toHaveURL(/\?c=/);
	await expect(page.getByTestId('message-user')).toHaveCount(0);

	await page.getByTestId('theme').selectOption('dark');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	expect(await background()).toBe('rgb(15, 17, 21)');
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.getByTestId('theme').selectOption('light');
	expect(await background()).toBe('rgb(247, 247, 248)');
});
