// Upgrades in the real browser: a database left by the first version of Lantern opens in today's
// app with everything in place, and an upgrade that another tab holds up (or that another tab
// makes under this one) is explained to the user instead of hanging or failing silently.
import { DB_NAME, DB_VERSION } from '../../src/lib/storage/db';
import { FIXTURES, releaseDatabase, seedDatabase, v1 } from '../fixtures/migrations';
import { ask, expect, loadModel, openApp, test, type Page } from './fixtures';

/** A page on the app's origin that does not run the app (so it does not open the database). */
const BLANK = '/__blank-for-seeding';

async function openBlank(page: Page) {
	await page.route(`**${BLANK}`, (route) =>
		route.fulfill({ body: '<!doctype html><title>blank</title>', contentType: 'text/html' })
	);
	await page.goto(BLANK);
}

test('conversations saved by the first version of Lantern open in this one, with every message', async ({
	page
}) => {
	await openBlank(page);
	await page.evaluate(seedDatabase, { name: DB_NAME, fixture: v1 });

	await openApp(page);
	await expect(page.getByTestId('conversation-link')).toHaveText([
		/New conversation/,
		/Haiku about rain/,
		/Hiking the Alps in October/
	]);
	// The theme chosen back then still applies.
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

	await page.getByTestId('conversation-link').filter({ hasText: 'Hiking the Alps' }).click();
	await expect(page.getByTestId('message-user')).toHaveText([
		/Which pass should I cross/,
		/What does this sign say\?/,
		/And the way back\?/
	]);
	const answers = page.getByTestId('message-assistant');
	await expect(answers).toHaveCount(3);
	// A finished answer: Markdown, its reasoning folded away, its stats.
	await expect(answers.nth(0).locator('strong')).toHaveText('Grosse Scheidegg');
	await expect(answers.nth(0).getByTestId('reasoning')).toBeAttached();
	await expect(answers.nth(0).getByTestId('stats')).toBeVisible();
	// A failed one keeps its reason; one left half-written by a closed tab shows as interrupted.
	await expect(answers.nth(1).getByTestId('answer-failed')).toHaveAttribute(
		'data-error-code',
		'device-lost'
	);
	await expect(answers.nth(2)).toHaveAttribute('data-status', 'interrupted');
	await expect(answers.nth(2).getByTestId('message-content')).toHaveText(
		'Back over the Kleine Scheidegg, by'
	);
	await page.getByTestId('settings-toggle').click();
	await expect(page.getByTestId('system-prompt')).toHaveValue('You are a concise travel guide.');
	await expect(page.getByTestId('setting-temperature')).toHaveValue('0.6');
	await expect(page.getByTestId('preset-select').locator('option')).toHaveText([
		'Choose a preset…',
		'Code reviewer',
		'Translator'
	]);
});

test('an upgrade held up by an older tab says to close it, then carries on by itself once it is closed', async ({
	page,
	context
}) => {
	const previous = FIXTURES.find((f) => f.version === DB_VERSION - 1);
	if (!previous) throw new Error('no fixture for the previous schema version');
	// A tab of the previous version that keeps the database open and ignores requests to close it.
	const older = await context.newPage();
	await openBlank(older);
	await older.evaluate(seedDatabase, { name: DB_NAME, fixture: previous, hold: true });

	await openApp(page);
	const notice = page.getByTestId('database-notice');
	await expect(notice).toHaveAttribute('data-error-code', 'blocked');
	await expect(notice).toContainText('Close the other Lantern tabs to finish the update');
	await expect(page.getByTestId('conversation')).toHaveCount(0);

	await older.evaluate(releaseDatabase);
	await expect(notice).toBeHidden();
	await expect(page.getByTestId('conversation')).toHaveCount(
		previous.records.conversations?.length ?? -1
	);
	await older.close();
});

test('a newer Lantern upgrading the database in another tab: this tab asks for a reload and keeps what was typed', async ({
	page,
	context,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Hello', '!'] } });
	await openApp(page);
	await loadModel(page);
	await ask(page, 'Saved before the upgrade');
	await expect(page.getByTestId('message-assistant').getByTestId('stats')).toBeVisible();

	const newer = await context.newPage();
	await openBlank(newer);
	await newer.evaluate(
		({ name, version }) =>
			new Promise<void>((resolve, reject) => {
				const request = indexedDB.open(name, version);
				request.onsuccess = () => resolve();
				request.onerror = () => reject(request.error);
			}),
		{ name: DB_NAME, version: DB_VERSION + 1 }
	);

	const notice = page.getByTestId('database-notice');
	await expect(notice).toHaveAttribute('data-error-code', 'outdated');
	await expect(notice).toContainText('Lantern was updated in another tab');
	// Sending is held: the text stays in the box instead of vanishing into a failed write.
	await ask(page, 'Typed after the upgrade');
	await expect(page.getByTestId('composer')).toHaveValue('Typed after the upgrade');
	await expect(page.getByText(/Reload the page to send/)).toBeVisible();
	await expect(page.getByTestId('message-user')).toHaveCount(1);
	// What was saved before is still on screen.
	await expect(page.getByTestId('message-user').getByTestId('message-content')).toHaveText(
		'Saved before the upgrade'
	);
	await newer.close();
});
