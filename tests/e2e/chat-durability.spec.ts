// Backups and exports, a refused import, and two tabs on the same conversations.
import { readFile } from 'node:fs/promises';
import { ask, expect, lastAnswer, loadModel, openApp, test, type Page } from './fixtures';

interface BackupFile {
	format: string;
	conversations: Array<{ id: string; title: string }>;
	messages: Array<{ id: string; content: string }>;
	presets: unknown[];
	settings: unknown[];
}

async function download(page: Page, testid: string): Promise<{ name: string; text: string }> {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId(testid).click()
	]);
	const path = await file.path();
	return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Everything but the export time. */
async function backup(page: Page): Promise<Omit<BackupFile, 'exportedAt'>> {
	const { text } = await download(page, 'backup');
	const { exportedAt: _exportedAt, ...rest } = JSON.parse(text) as BackupFile & {
		exportedAt: string;
	};
	return rest;
}

async function restore(page: Page, name: string, text: string) {
	await page.getByTestId('restore').setInputFiles({
		name,
		mimeType: 'application/json',
		buffer: Buffer.from(text)
	});
}

test('exporting a conversation and backing up everything, then restoring, gives the same data', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['Use', ' **git', ' bisect**.'] } });
	await ask(page, 'How do I find a bad commit?');
	await lastAnswer(page);
	await page.getByTestId('new-chat').click();
	testEngine.script({ chat: { tokens: ['Forty', '-two.'] } });
	await ask(page, 'The answer to everything?');
	await lastAnswer(page);

	const markdown = await download(page, 'export-md');
	expect(markdown.name).toBe('The answer to everything.md');
	expect(markdown.text).toContain('# The answer to everything?');
	expect(markdown.text).toContain('Forty-two.');
	const json = await download(page, 'export-json');
	expect(JSON.parse(json.text)).toMatchObject({
		format: 'lantern-conversation',
		conversation: { title: 'The answer to everything?' }
	});

	const before = await backup(page);
	expect(before.conversations).toHaveLength(2);
	expect(before.messages).toHaveLength(4);

	// Delete one conversation, rename the other; restoring brings back exactly the backup.
	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByTestId('conversation').first().getByTestId('delete').click();
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	const file = JSON.stringify({ ...before, exportedAt: new Date().toISOString() });
	await restore(page, 'backup.json', file);
	await expect(page.getByTestId('notice')).toContainText('Restored 2 conversations and 4 messages');
	await expect(page.getByTestId('conversation')).toHaveCount(2);
	expect(await backup(page)).toEqual(before);
});

test('a malformed or foreign backup is refused with a message, and nothing changes', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['Kept', '.'] } });
	await ask(page, 'Keep this');
	await lastAnswer(page);
	const before = await backup(page);

	// A valid conversation next to a message with an invalid role: all or nothing.
	const damaged = {
		format: 'lantern-backup',
		version: 1,
		exportedAt: new Date().toISOString(),
		conversations: [
			{
				id: 'new-one',
				title: 'Imported',
				createdAt: 1,
				updatedAt: 1,
				modelId: null,
				systemPrompt: '',
				settings: {}
			}
		],
		messages: [
			{
				id: 'm1',
				conversationId: 'new-one',
				role: 'hacker',
				content: 'x',
				createdAt: 1,
				status: 'complete'
			}
		],
		presets: [],
		settings: []
	};
	await restore(page, 'damaged.json', JSON.stringify(damaged));
	const alert = page.getByTestId('notice');
	await expect(alert).toHaveAttribute('data-code', 'malformed');
	await expect(alert).toContainText('nothing was changed');
	await alert.getByRole('button').click();

	await restore(page, 'notes.json', '{"hello": "world"}');
	await expect(page.getByTestId('notice')).toHaveAttribute('data-code', 'foreign');
	await page.getByTestId('notice').getByRole('button').click();
	await restore(page, 'broken.json', '{"format": "lantern-backup", ');
	await expect(page.getByTestId('notice')).toHaveAttribute('data-code', 'not-json');

	await expect(page.getByTestId('conversation')).toHaveCount(1);
	expect(await backup(page)).toEqual(before);
});

test('two tabs stay consistent: a new conversation, its answer, a rename and a delete', async ({
	context,
	testEngine
}) => {
	const a = await context.newPage();
	const b = await context.newPage();
	await openApp(a);
	await openApp(b);
	await loadModel(a);
	testEngine.script({
		chat: { tokens: Array.from({ length: 40 }, (_, i) => `s${i} `), tokenMs: 40 }
	});
	await ask(a, 'Shared question');
	// Tab B lists it while A is still writing, and shows the answer as A writes it.
	await expect(b.getByTestId('conversation')).toHaveCount(1);
	await b.getByTestId('conversation-link').click();
	await expect(b.getByTestId('message-user')).toContainText('Shared question');
	await expect(b.getByTestId('message-assistant').getByTestId('message-content')).toContainText(
		's5'
	);
	await lastAnswer(a);
	await expect(b.getByTestId('message-assistant').getByTestId('stats')).toBeVisible();
	await expect(b.getByTestId('message-assistant').getByTestId('message-content')).toContainText(
		's39'
	);
	await expect(b.getByTestId('message-assistant')).toHaveAttribute('data-status', 'complete');

	await a.getByTestId('rename').click();
	await a.getByTestId('rename-input').fill('Renamed in A');
	await a.getByTestId('rename-input').press('Enter');
	await expect(b.getByTestId('conversation-title')).toHaveText('Renamed in A');
	await expect(b.getByTestId('conversation')).toContainText('Renamed in A');

	b.once('dialog', (dialog) => void dialog.accept());
	await b.getByTestId('delete').click();
	await expect(a.getByTestId('conversation')).toHaveCount(0);
	await expect(a.getByTestId('message-user')).toHaveCount(0);
});

test('what is typed but not sent comes back after a reload, even in the middle of an answer', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	// Held after 3 words (never released): the reload surely comes in the middle of the answer.
	testEngine.script({
		chat: {
			tokens: Array.from({ length: 60 }, (_, i) => ` w${i}`),
			tokenMs: 20,
			holdAfterTokens: 3
		}
	});
	await ask(page, 'Tell me a story');
	await expect(page.getByTestId('message-assistant').getByTestId('message-content')).toContainText(
		'w1'
	);
	const draft = 'A follow-up I was still writing,\nover two lines 👩🏽‍⚕️';
	await page.getByTestId('composer').fill(draft);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('composer')).toHaveValue(draft);
	// Once sent, it is gone from the box for good: a reload brings nothing back.
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['Noted', '.'] } });
	await page.getByTestId('composer').press('Enter');
	await lastAnswer(page);
	await expect(page.getByTestId('composer')).toHaveValue('');
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('composer')).toHaveValue('');
});
