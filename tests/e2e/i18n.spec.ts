// Languages: the page follows the browser's language, falls back to English for one Lantern does
// not speak, and the picker switches language (and direction) for good, across a reload.
import { expect, openApp, test, type Page } from './fixtures';

const html = (page: Page) => page.locator('html');
const chatLink = (page: Page) => page.getByRole('navigation').getByRole('link').first();

test.describe('a browser set to an unsupported language', () => {
	test.use({ locale: 'sw-KE' });

	test('gets English, left to right', async ({ page }) => {
		await openApp(page);
		await expect(html(page)).toHaveAttribute('lang', 'en');
		await expect(html(page)).toHaveAttribute('dir', 'ltr');
		await expect(chatLink(page)).toHaveText('Chat');
		await expect(page.getByTestId('send')).toHaveText('Send');
	});
});

test.describe('a browser set to Traditional Chinese (Taiwan)', () => {
	test.use({ locale: 'zh-TW' });

	test('gets zh-Hant', async ({ page }) => {
		await openApp(page);
		await expect(html(page)).toHaveAttribute('lang', 'zh-Hant');
	});
});

test('the language picker switches to German and to Arabic, mirrored, and it survives a reload', async ({
	page
}) => {
	await openApp(page);
	await expect(html(page)).toHaveAttribute('lang', 'en');
	const picker = page.getByTestId('language');

	await picker.selectOption('de');
	await expect(html(page)).toHaveAttribute('lang', 'de');
	await expect(html(page)).toHaveAttribute('dir', 'ltr');
	await expect(page.getByTestId('send')).toHaveText('Senden');
	await expect(page.getByTestId('composer')).toHaveAttribute('placeholder', /Eingabe/);
	await expect(page.getByTestId('composer')).not.toHaveAttribute('placeholder', /Ask anything/);

	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(html(page)).toHaveAttribute('lang', 'de');
	await expect(page.getByTestId('send')).toHaveText('Senden');

	await page.getByTestId('language').selectOption('ar');
	await expect(html(page)).toHaveAttribute('lang', 'ar');
	await expect(html(page)).toHaveAttribute('dir', 'rtl');
	await expect(page.getByTestId('send')).not.toHaveText('Send');
	await expect(page.getByTestId('send')).not.toHaveText('Senden');
	// Mirrored: the sidebar, first in the page's order, now stands at the right of the messages.
	const sidebar = await page.getByTestId('language').boundingBox();
	const composer = await page.getByTestId('composer').boundingBox();
	expect(sidebar && composer && sidebar.x > composer.x).toBe(true);

	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(html(page)).toHaveAttribute('dir', 'rtl');

	// Back to the browser's language.
	await page.getByTestId('language').selectOption('browser');
	await expect(html(page)).toHaveAttribute('lang', 'en');
	await expect(html(page)).toHaveAttribute('dir', 'ltr');
	await expect(page.getByTestId('send')).toHaveText('Send');
});

test.describe('a phone set to Arabic', () => {
	test.use({ locale: 'ar', viewport: { width: 390, height: 844 } });

	test('every page fits the screen, nothing runs past its edge, and a new conversation is titled in Arabic', async ({
		page
	}) => {
		await openApp(page);
		await expect(html(page)).toHaveAttribute('dir', 'rtl');
		await expect(page.getByTestId('conversation-title')).not.toHaveText('New conversation');
		await expect(page.getByTestId('conversation-title')).not.toBeEmpty();
		for (const path of ['', 'models/', 'documents/', 'compare/', 'device/']) {
			await openApp(page, path);
			// Wider than the screen, a right-to-left page opens scrolled to its right edge with the
			// start of every line cut off (the header's status did that before).
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `/${path} is wider than the screen`).toBeLessThanOrEqual(0);
		}
	});
});

test('the sidebar’s own controls (backup, theme, language) stay inside it, in English and in German', async ({
	page
}) => {
	for (const language of ['en', 'de']) {
		await openApp(page);
		if (language !== 'en') await page.getByTestId('language').selectOption(language);
		await expect(html(page)).toHaveAttribute('lang', language);
		const right = async (id: string) => {
			const box = await page.getByTestId(id).boundingBox();
			if (!box) throw new Error(`${id} is not shown`);
			return box.x + box.width;
		};
		const edge = await right('sidebar');
		for (const id of ['backup', 'theme', 'language']) {
			// A select as wide as its longest option ran under the conversation beside it.
			expect(await right(id), `${id} (${language})`).toBeLessThanOrEqual(edge + 1);
		}
	}
});
