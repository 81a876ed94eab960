// The first page: the prerendered HTML is the app's shell, painted before any script runs, and a
// message typed into it before the app's code arrives is kept and can be sent.
import { expect, loadModel, test } from './fixtures';

test('the prerendered page carries the header, the page frame and the message box', async ({
	browser,
	request
}) => {
	const html = await (await request.get('/')).text();
	expect(html).toContain('<header');
	expect(html).toContain('data-testid="shell"');
	expect(html).toMatch(/<textarea[^>]*data-testid="shell-composer"/);

	// With scripts off, the browser still shows the header's links and a message box to type in.
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/');
	await expect(page.getByRole('navigation').getByRole('link')).toHaveCount(5);
	const box = page.getByTestId('shell-composer');
	await expect(box).toBeVisible();
	await box.fill('typed with no script');
	await expect(box).toHaveValue('typed with no script');
	await context.close();
});

test('a message typed before the scripts ran is kept in the message box and can be sent', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Got', ' it', '.'] } });
	// Hold every script of the app until the user has typed.
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await held;
		await route.fallback();
	});
	await page.goto('/', { waitUntil: 'commit' });
	const shellBox = page.getByTestId('shell-composer');
	await shellBox.click();
	await page.keyboard.type('Typed early');
	await expect(page.locator('html[data-shell]')).not.toBeAttached();
	await expect(shellBox).toHaveValue('Typed early');
	release();

	// Not openApp: that would load the page again.
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	const composer = page.getByTestId('composer');
	await expect(composer).toHaveValue('Typed early');
	// The cursor stayed in the box: typing goes on where it was.
	await expect(composer).toBeFocused();
	await page.keyboard.type('!');
	await expect(composer).toHaveValue('Typed early!');

	await loadModel(page);
	await composer.press('Enter');
	await expect(page.getByTestId('message-user').last()).toContainText('Typed early!');
	await expect(page.getByTestId('message-assistant').last()).toContainText('Got it.');
	await expect(composer).toHaveValue('');
});
