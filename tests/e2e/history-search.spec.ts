// History search through the index kept in IndexedDB: a history restored from a backup is
// searchable the moment the page opens after a reload; answers that are regenerated or deleted
// leave the results at once. Search by meaning, switched on, indexes the history with the test
// engine's embeddings (hashed words) and finds a conversation by words it holds in another order,
// and says plainly when no embedding model is stored.
import { ask, expect, lastAnswer, loadModel, openApp, test, type Page } from './fixtures';

const EMBEDDER = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
const T = Date.UTC(2026, 0, 1);

/** A backup of `n` ordinary conversations, one of which mentions a quokka in an answer. */
function backup(n: number): string {
	const conversations = [];
	const messages = [];
	for (let c = 0; c < n; c++) {
		const id = `c-${c}`;
		conversations.push({
			id,
			title: `Trip ${c}`,
			createdAt: T + c * 10_000,
			updatedAt: T + c * 10_000 + 2_000,
			modelId: null,
			systemPrompt: '',
			settings: {}
		});
		messages.push(
			{
				id: `m-${c}-0`,
				conversationId: id,
				role: 'user',
				content: `Where should we stay on day ${c}?`,
				createdAt: T + c * 10_000 + 1_000,
				status: 'complete'
			},
			{
				id: `m-${c}-1`,
				conversationId: id,
				role: 'assistant',
				content:
					c === 7
						? 'On Rottnest Island you may meet a quokka near the lighthouse cafe.'
						: 'A small guesthouse near the station is convenient.',
				createdAt: T + c * 10_000 + 2_000,
				status: 'complete'
			}
		);
	}
	return JSON.stringify({
		format: 'lantern-backup',
		version: 1,
		exportedAt: new Date(T).toISOString(),
		conversations,
		messages,
		presets: [],
		settings: []
	});
}

async function restore(page: Page, n: number) {
	await page.getByTestId('restore').setInputFiles({
		name: 'backup.json',
		mimeType: 'application/json',
		buffer: Buffer.from(backup(n))
	});
	await expect(page.getByTestId('notice')).toContainText(`Restored ${n} conversations`);
}

test('a search typed the moment the page opens after a reload finds a message of a restored history', async ({
	page
}) => {
	await openApp(page);
	await restore(page, 40);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await page.getByTestId('search').fill('QUOKKA');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('conversation')).toContainText('Trip 7');
	await expect(page.getByTestId('snippet').locator('mark')).toHaveText('quokka');
	// The start of a word finds it as it is typed; the middle of a word does not.
	await page.getByTestId('search').fill('lightho');
	await expect(page.getByTestId('snippet').locator('mark')).toHaveText('lightho');
	await page.getByTestId('search').fill('okka');
	await expect(page.getByTestId('no-conversations')).toBeVisible();
	await page.getByTestId('search').fill('');
	await expect(page.getByTestId('conversation')).not.toHaveCount(0);
});

test('an answer regenerated or deleted leaves the search results at once, in this tab and after a reload', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: ['Wombats', ' dig', ' burrows.'] } });
	await ask(page, 'Tell me about marsupials');
	await lastAnswer(page);

	await page.getByTestId('search').fill('wombats');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('snippet').locator('mark')).toHaveText('Wombats');

	// Regenerated: the old answer's words no longer find it, the new answer's do.
	testEngine.script({ chat: { tokens: ['Koalas', ' sleep', ' a', ' lot.'] } });
	await page.getByTestId('message-assistant').getByTestId('regenerate').click();
	await expect(page.getByTestId('message-assistant')).toContainText('Koalas sleep a lot.');
	await expect(page.getByTestId('no-conversations')).toBeVisible();
	await page.getByTestId('search').fill('koalas');
	await expect(page.getByTestId('conversation')).toHaveCount(1);

	// Deleted: gone from the results, and still gone after a reload.
	await page.getByTestId('message-assistant').getByTestId('delete-message').click();
	await expect(page.getByTestId('message-assistant')).toHaveCount(0);
	await expect(page.getByTestId('no-conversations')).toBeVisible();
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await page.getByTestId('search').fill('koalas');
	await expect(page.getByTestId('no-conversations')).toBeVisible();
	await page.getByTestId('search').fill('marsupials');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
});

test('search by meaning: off by default, says when no embedding model is stored, then indexes the history and finds a conversation by meaning', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await restore(page, 12);
	const option = page.getByTestId('search-by-meaning');
	await expect(option).not.toBeChecked();
	// A phrase no message holds: words find nothing.
	await page.getByTestId('search').fill('lighthouse quokka');
	await expect(page.getByTestId('no-conversations')).toBeVisible();

	await option.check();
	await expect(page.getByTestId('meaning-status')).toContainText(
		'No embedding model is stored on this device'
	);

	await openApp(page, '/documents/');
	await page.getByTestId('embedding-model-select').selectOption(EMBEDDER);
	await expect(page.getByTestId('embedding-model-select')).toHaveValue(EMBEDDER);
	await openApp(page);
	await expect(page.getByTestId('search-by-meaning')).toBeChecked();
	await expect(page.getByTestId('meaning-status')).toContainText(
		'Search by meaning covers all 24 messages.'
	);
	expect(testEngine.events.filter((e) => e.type === 'embed').length).toBeGreaterThan(0);

	await page.getByTestId('search').fill('lighthouse quokka');
	await expect(page.getByTestId('conversation')).toHaveCount(1);
	await expect(page.getByTestId('conversation')).toContainText('Trip 7');
	await expect(page.getByTestId('meaning-snippet')).toContainText('Similar in meaning');
	await expect(page.getByTestId('meaning-snippet')).toContainText('Rottnest Island');

	// Word matches still come first; switched off, only they remain.
	await page.getByTestId('search').fill('guesthouse');
	await expect(page.getByTestId('snippet').first().locator('mark')).toHaveText('guesthouse');
	await page.getByTestId('search-by-meaning').uncheck();
	await page.getByTestId('search').fill('lighthouse quokka');
	await expect(page.getByTestId('no-conversations')).toBeVisible();
});
