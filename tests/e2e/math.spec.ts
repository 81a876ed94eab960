// Math in answers: typeset as MathML by KaTeX while the answer streams, within the
// Content-Security-Policy, in Chat and in Compare's panes; malformed or unfinished math shows as
// its source; and a page whose answers hold no math never loads KaTeX.
import { ask, expect, lastAnswer, loadModel, openApp, test, watchCsp, type Page } from './fixtures';

/** Text in pieces of `size` characters, as a model streams it. */
function tokens(text: string, size = 6): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

/** A string only KaTeX's code holds (its parse error's prefix). */
const KATEX_MARKER = 'KaTeX parse error';

/** The scripts the page loads from now on that are KaTeX (read by their content, not their name). */
function katexScripts(page: Page): string[] {
	const found: string[] = [];
	page.on('response', async (response) => {
		if (!response.url().endsWith('.js')) return;
		const body = await response.text().catch(() => '');
		if (body.includes(KATEX_MARKER)) found.push(response.url());
	});
	return found;
}

const ANSWER = [
	'Pythagoras: $a^2 + b^2 = c^2$, and in brackets \\(x_1 * y_1\\).',
	'',
	'$$',
	'\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
	'$$',
	'',
	'\\[',
	'\\int_0^1 x\\,dx',
	'\\]',
	'',
	'It costs $5 and $10. Broken: $\\frac{1$ stays text.'
].join('\n');

test('math in an answer is typeset as MathML while it streams, without any CSP violation', async ({
	page,
	testEngine
}) => {
	const violations = await watchCsp(page);
	const katex = katexScripts(page);
	await openApp(page);
	await loadModel(page);
	// ~30 tokens at 100 ms (3 s): still being written when KaTeX has loaded, on a slow machine too.
	testEngine.script({ chat: { tokens: tokens(ANSWER), tokenMs: 100 } });
	await ask(page, 'Some math, please');
	const answer = page.getByTestId('message-assistant').last();
	const content = answer.getByTestId('message-content');
	// Typeset while the answer is still being written.
	await expect
		.poll(
			async () =>
				(await content.locator('math').count()) > 0 && (await page.getByTestId('stop').isVisible()),
			{ intervals: [50] }
		)
		.toBe(true);

	await lastAnswer(page);
	await expect(content.locator('math')).toHaveCount(4);
	await expect(content.locator('math[display="block"]')).toHaveCount(2);
	await expect(content.locator('.math-display math')).toHaveCount(2);
	// MathML that the browser lays out: fractions and sums as MathML elements, not TeX text.
	await expect(content.locator('mfrac')).toHaveCount(1);
	await expect(content.locator('munderover, msubsup')).toHaveCount(2);
	// Markdown did not touch the math: the star is an operator, not emphasis.
	await expect(content.locator('em')).toHaveCount(0);
	await expect(content.locator('math mo', { hasText: '∗' })).toHaveCount(1);
	await expect(content.locator('msub')).toHaveCount(2);
	// Prices stay text, malformed math shows its source.
	const shown = await content.innerText();
	expect(shown).toContain('It costs $5 and $10.');
	expect(shown).toContain('Broken: $\\frac{1$ stays text.');
	expect(shown).not.toContain('\\sum');
	expect(katex.length).toBeGreaterThan(0);
	expect(await violations()).toEqual([]);
});

test('unfinished math shows as text, and math is kept after a reload', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page);
	testEngine.script({ chat: { tokens: tokens('Start: $$\n\\int_0^1 x^2 dx') } });
	await ask(page, 'Stop halfway');
	await expect((await lastAnswer(page)).getByTestId('message-content')).toHaveText(
		'Start: $$ \\int_0^1 x^2 dx'
	);
	await expect(page.getByTestId('message-assistant').locator('math')).toHaveCount(0);

	testEngine.script({ chat: { tokens: tokens('Done: $$\\int_0^1 x\\,dx = \\tfrac12$$') } });
	await ask(page, 'Finish it');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await expect((await lastAnswer(page)).locator('math')).toHaveCount(1);
	await page.reload();
	await expect(page.getByTestId('message-assistant').last().locator('math')).toHaveCount(1);
});

test('a page whose answers hold no math never loads KaTeX', async ({ page, testEngine }) => {
	const katex = katexScripts(page);
	await openApp(page);
	await loadModel(page);
	testEngine.script({
		chat: {
			tokens: tokens('Costs $5 and $10; `echo $HOME` and\n\n```sh\necho $$ $PATH\n```\n\nDone.')
		}
	});
	await ask(page, 'Prices and shell');
	const answer = await lastAnswer(page);
	await expect(answer.getByTestId('message-content')).toContainText('Costs $5 and $10;');
	await expect(answer.locator('code').first()).toHaveText('echo $HOME');
	// Let any lazy chunk the answer asked for arrive before counting.
	await page.waitForLoadState('networkidle');
	expect(katex).toEqual([]);
});

test('Compare’s panes typeset math too', async ({ page, testEngine }) => {
	const violations = await watchCsp(page);
	testEngine.script({ chat: { tokens: tokens('Euler: $e^{i\\pi} + 1 = 0$ and \\[x^2\\]') } });
	await openApp(page, '/compare/');
	await page.getByTestId('model-slot-0').selectOption('SmolLM2-360M-Instruct-q4f32_1-MLC');
	await page.getByTestId('model-slot-1').selectOption('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await page.getByTestId('prompt').fill('A famous identity?');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('pane-stats')).toHaveCount(2);
	for (const pane of await page.getByTestId('pane-answer').all())
		await expect(pane.locator('math')).toHaveCount(2);
	expect(await violations()).toEqual([]);
});

test.describe('offline', () => {
	// The app's own service worker answers here (no engine is needed: the answer comes from a backup).
	test.use({ serviceWorkers: 'allow' });

	test('after one visit, math is typeset with the network off: KaTeX is precached', async ({
		page,
		context
	}) => {
		await openApp(page);
		await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
		await context.setOffline(true);
		await page.reload();
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		const at = 1_700_000_000_000;
		const backup = {
			format: 'lantern-backup',
			version: 1,
			exportedAt: new Date(at).toISOString(),
			conversations: [
				{
					id: 'm',
					title: 'Euler',
					createdAt: at,
					updatedAt: at,
					modelId: null,
					systemPrompt: '',
					settings: {}
				}
			],
			messages: [
				['q', 'user', 'Euler?'],
				['a', 'assistant', 'Yes: $e^{i\\pi} + 1 = 0$.']
			].map(([id, role, content], i) => ({
				id,
				conversationId: 'm',
				role,
				content,
				createdAt: at + i,
				status: 'complete'
			})),
			presets: [],
			settings: []
		};
		await page.getByTestId('restore').setInputFiles({
			name: 'backup.json',
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify(backup))
		});
		await page.getByTestId('conversation').first().click();
		const answer = page.getByTestId('message-assistant');
		await expect(answer.locator('math')).toHaveCount(1);
		await expect(answer.locator('msup')).toHaveCount(1);
	});
});
