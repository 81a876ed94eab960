// Keyboard shortcuts: each does what its line in the help sheet says, and the help sheet is an
// accessible dialog (focus moves into it and back). These runs are on Linux: Alt + key.
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

/** The id of the conversation the address names ('' for a new chat). */
const openId = (page: Page) => new URL(page.url()).searchParams.get('c') ?? '';

/** The help sheet's line for a shortcut: its keys and what it does. */
async function helpLine(page: Page, id: string) {
	const row = page.getByTestId('shortcut-help').locator(`tr[data-shortcut="${id}"]`);
	const cells = row.locator('td');
	return {
		keys: (await cells.nth(0).locator('kbd').allInnerTexts()).join('+'),
		action: await cells.nth(1).innerText()
	};
}

test('every shortcut does what its help line says', async ({ page, context, testEngine }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await openApp(page);
	await loadModel(page);
	const composer = page.getByTestId('composer');
	const status = page.getByTestId('shortcut-status');

	// The help sheet, read first: the rest of the test presses exactly the keys it names.
	await page.getByTestId('shortcut-help-open').focus();
	await page.keyboard.press('?');
	await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
	const lines: Record<string, { keys: string; action: string }> = {};
	for (const id of [
		'help',
		'openCompare',
		'newChat',
		'focusSearch',
		'nextConversation',
		'previousConversation',
		'focusMessage',
		'copyLastAnswer',
		'regenerate',
		'stop'
	])
		lines[id] = await helpLine(page, id);
	expect(lines).toEqual({
		help: { keys: '?', action: 'Show this list of shortcuts (outside a text field)' },
		openCompare: { keys: 'Alt+O', action: 'Open Compare' },
		newChat: { keys: 'Alt+N', action: 'Start a new chat' },
		focusSearch: { keys: 'Alt+K', action: 'Search conversations' },
		nextConversation: { keys: 'Alt+↓', action: 'Open the next conversation in the list' },
		previousConversation: { keys: 'Alt+↑', action: 'Open the previous conversation in the list' },
		focusMessage: { keys: 'Alt+M', action: 'Put the cursor in the message box' },
		copyLastAnswer: { keys: 'Alt+C', action: 'Copy the last answer' },
		regenerate: { keys: 'Alt+R', action: 'Write the last answer again' },
		stop: { keys: 'Esc', action: 'Stop the answer being written' }
	});
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('shortcut-help')).toBeHidden();

	// Two conversations, "Second" newest, so the list reads Second, First.
	testEngine.script({ chat: { tokens: ['First answer.'] } });
	await ask(page, 'First');
	await lastAnswer(page);
	const first = openId(page);
	await page.keyboard.press('Alt+N');
	await expect.poll(() => openId(page)).toBe('');
	await expect(page.getByTestId('message-assistant')).toHaveCount(0);
	await expect(composer).toBeFocused();
	testEngine.script({ chat: { tokens: ['Second answer.'] } });
	await ask(page, 'Second');
	await lastAnswer(page);
	const second = openId(page);
	expect(second).not.toBe(first);

	// Alt+↓ goes down the list (to older), Alt+↑ back up; a new chat starts from the top.
	await page.keyboard.press('Alt+ArrowDown');
	await expect.poll(() => openId(page)).toBe(first);
	await expect(page.getByTestId('message-assistant')).toContainText('First answer.');
	await expect(status).toHaveText('Opened “\u2068First\u2069”.');
	await page.keyboard.press('Alt+ArrowUp');
	await expect.poll(() => openId(page)).toBe(second);
	await page.keyboard.press('Alt+N');
	await expect.poll(() => openId(page)).toBe('');
	await page.keyboard.press('Alt+ArrowDown');
	await expect.poll(() => openId(page)).toBe(second);

	// Alt+K: the search box, from the message box; Alt+M: back to the message box.
	await composer.focus();
	await page.keyboard.press('Alt+K');
	await expect(page.getByTestId('search')).toBeFocused();
	await page.keyboard.press('Alt+M');
	await expect(composer).toBeFocused();

	// Alt+C: the last answer on the clipboard, and said so.
	await page.keyboard.press('Alt+C');
	await expect
		.poll(() => page.evaluate(() => navigator.clipboard.readText()))
		.toBe('Second answer.');
	await expect(status).toHaveText('The last answer was copied to the clipboard.');

	// Alt+R: the last answer is written again.
	const asked = chatRequests(testEngine).length;
	testEngine.script({ chat: { tokens: ['Second', ' answer,', ' again.'] } });
	await page.keyboard.press('Alt+R');
	await expect.poll(() => chatRequests(testEngine).length).toBe(asked + 1);
	await expect(page.getByTestId('message-assistant')).toHaveCount(1);
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Second answer, again.'
	);

	// Esc: the answer being written stops, even from the search box.
	testEngine.script({
		chat: { tokens: Array.from({ length: 200 }, (_, i) => `w${i} `), tokenMs: 50 }
	});
	await ask(page, 'A long one');
	await expect(page.getByTestId('stop')).toBeVisible();
	await page.getByTestId('search').focus();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('message-assistant').last().getByTestId('stats')).toHaveAttribute(
		'data-finish-reason',
		'aborted'
	);

	// Alt+O: Compare, from the message box.
	await composer.focus();
	await page.keyboard.press('Alt+O');
	await expect(page).toHaveURL(/\/compare\/$/);
	await expect(page.getByTestId('compare-setup')).toBeVisible();
});

test('the help sheet is a dialog that takes the focus and gives it back', async ({ page }) => {
	await openApp(page);
	// From the header's button.
	const button = page.getByTestId('shortcut-help-open');
	await button.click();
	const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await expect(dialog).toBeVisible();
	await expect(page.getByTestId('shortcut-help-close')).toBeFocused();
	// Modal: the page behind it is inert until it closes.
	expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
	await page.getByTestId('shortcut-help-close').click();
	await expect(dialog).toBeHidden();
	await expect(button).toBeFocused();

	// From the keyboard, with the focus on the New chat button; Esc closes it.
	const newChat = page.getByTestId('new-chat');
	await newChat.focus();
	await page.keyboard.press('?');
	await expect(dialog).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(newChat).toBeFocused();

	// In a text field, ? is just a question mark.
	await page.getByTestId('composer').fill('Why');
	await page.getByTestId('composer').press('?');
	await expect(page.getByTestId('composer')).toHaveValue('Why?');
	await expect(dialog).toBeHidden();
});
