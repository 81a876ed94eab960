// Untrusted text everywhere it can enter besides a streamed answer (chat-safety.spec.ts covers
// that): conversation titles and messages from a restored backup, an auto title from a prompt,
// leaderboard model names and prompts from an imported votes file, and custom model names typed
// into the Models page. Every XSS vector of the corpus goes through each; a global canary must
// stay intact, no dialog may open, nothing may reach evil.example, the live page must hold nothing
// a vector could have planted (`unsafeInPage`), and the Content-Security-Policy must never have had
// to block an inline script or handler (that would mean one reached the DOM).
import { xssVectors } from '../fixtures/xss-vectors';
import {
	addCustomModel,
	ask,
	expect,
	lastAnswer,
	loadModel,
	openApp,
	test,
	type Page
} from './fixtures';

/**
 * What a vector could have planted anywhere in the app's page (the app itself uses none of these:
 * Svelte attaches handlers with addEventListener, and the app's only inline script is SvelteKit's
 * bootstrap). Self-contained, for `page.evaluate`.
 */
function unsafeInPage(): string[] {
	const found: string[] = [];
	const dangerousUrl = /^\s*(javascript|vbscript|data:text\/html)/i;
	for (const el of document.querySelectorAll('*')) {
		const tag = el.tagName.toLowerCase();
		if (
			['iframe', 'frame', 'object', 'embed', 'base', 'link', 'meta'].includes(tag) &&
			el.closest('body')
		)
			found.push(`<${tag}> in the page`);
		if (tag === 'script' && !(el.textContent ?? '').includes('__sveltekit') && !el.closest('head'))
			found.push('<script> in the page');
		for (const attr of el.attributes) {
			const name = attr.name.toLowerCase();
			if (name.startsWith('on')) found.push(`${name} on <${tag}>`);
			if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(name)) {
				if (dangerousUrl.test(attr.value) || name === 'srcdoc')
					found.push(`${name}="${attr.value}"`);
				if (
					name === 'src' &&
					/^https?:/i.test(attr.value) &&
					new URL(attr.value).origin !== location.origin
				)
					found.push(`${tag} loads ${attr.value}`);
			}
		}
	}
	return found;
}

interface Watch {
	/** Everything a vector might have done, checked over the whole page. */
	verdict(): Promise<{ canary: string; unsafe: string[]; blocked: string[] }>;
	dialogs: string[];
	evil: string[];
}

/** Arms the canary before any page script runs, on every page the test opens. */
async function watch(page: Page): Promise<Watch> {
	const dialogs: string[] = [];
	const evil: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	page.context().on('request', (request) => {
		if (request.url().includes('evil.example')) evil.push(request.url());
	});
	await page.addInitScript(() => {
		const w = window as unknown as { __canary: string; __blocked: string[] };
		w.__canary = 'intact';
		w.__blocked = [];
		window.alert = () => void (w.__canary = 'alert');
		window.confirm = () => ((w.__canary = 'confirm'), false);
		window.prompt = () => ((w.__canary = 'prompt'), null);
		document.addEventListener('securitypolicyviolation', (e) => {
			if (e.effectiveDirective.startsWith('script-src')) w.__blocked.push(e.effectiveDirective);
		});
	});
	return {
		dialogs,
		evil,
		verdict: () =>
			page.evaluate((source) => {
				const check = new Function(`return (${source})`)() as () => string[];
				const w = window as unknown as { __canary: string; __blocked: string[] };
				return { canary: w.__canary, unsafe: check(), blocked: w.__blocked };
			}, unsafeInPage.toString())
	};
}

async function expectInert(page: Page, w: Watch) {
	expect(await w.verdict()).toEqual({ canary: 'intact', unsafe: [], blocked: [] });
	expect(w.dialogs).toEqual([]);
	expect(w.evil).toEqual([]);
}

/**
 * The sidebar lists conversations 60 at a time, and shows more when its end scrolls into view
 * (which may happen by itself): shows them all.
 */
async function listAll(page: Page) {
	await expect(async () => {
		const more = page.getByRole('button', { name: /^Show more/ });
		if (await more.count()) await more.click({ timeout: 1000 });
		await expect(page.getByTestId('conversation')).toHaveCount(xssVectors.length, {
			timeout: 1000
		});
	}).toPass();
}

async function setFile(page: Page, testid: string, name: string, json: unknown) {
	await page.getByTestId(testid).setInputFiles({
		name,
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(json))
	});
}

test(`all ${xssVectors.length} XSS vectors as titles and messages of a restored backup stay inert`, async ({
	page
}) => {
	const w = await watch(page);
	const conversations = xssVectors.map((v, i) => ({
		id: `c${i}`,
		title: v.markdown,
		createdAt: 1_700_000_000_000 + i,
		updatedAt: 1_700_000_000_000 + i,
		modelId: null,
		systemPrompt: v.markdown,
		settings: {}
	}));
	const messages = xssVectors.flatMap((v, i) => [
		{
			id: `u${i}`,
			conversationId: `c${i}`,
			role: 'user',
			content: v.markdown,
			createdAt: 1,
			status: 'complete'
		},
		{
			id: `a${i}`,
			conversationId: `c${i}`,
			role: 'assistant',
			content: v.markdown,
			createdAt: 2,
			status: 'complete'
		}
	]);
	const presets = xssVectors.map((v, i) => ({
		id: `p${i}`,
		name: v.markdown,
		prompt: v.markdown,
		createdAt: 1,
		updatedAt: 1
	}));
	await openApp(page);
	await setFile(page, 'restore', 'backup.json', {
		format: 'lantern-backup',
		version: 1,
		exportedAt: new Date().toISOString(),
		conversations,
		messages,
		presets,
		settings: []
	});
	await expect(page.getByTestId('notice')).toContainText(
		`Restored ${xssVectors.length} conversations`
	);
	await listAll(page);
	// Titles are shown as typed, as text.
	await expect(
		page.getByTestId('conversation').filter({ hasText: '<script>alert(1)</script>' })
	).not.toHaveCount(0);
	// Open a few conversations (each renders its messages from storage).
	for (const i of [0, 2, 6, 20, xssVectors.length - 1]) {
		await page.getByTestId('conversation').nth(i).click();
		await expect(page.getByTestId('message-assistant')).toHaveCount(1);
	}
	// Searching renders highlighted snippets of titles and messages.
	await page.getByRole('searchbox').fill('alert');
	await expect(page.getByTestId('conversation').first()).toBeVisible();
	await expectInert(page, w);
	await page.reload();
	await listAll(page);
	await expectInert(page, w);
});

test('an XSS vector as the first prompt becomes a title that stays inert', async ({
	page,
	testEngine
}) => {
	const w = await watch(page);
	testEngine.script({ chat: { tokens: ['ok'] } });
	await openApp(page);
	await loadModel(page);
	for (const vector of xssVectors.slice(0, 12)) {
		await page.getByRole('button', { name: 'New chat' }).click();
		await ask(page, vector.markdown);
		await lastAnswer(page);
	}
	await expect(page.getByTestId('conversation')).toHaveCount(12);
	await expectInert(page, w);
});

test(`all ${xssVectors.length} XSS vectors as model names and prompts of imported votes stay inert`, async ({
	page
}) => {
	const w = await watch(page);
	const votes = xssVectors.map((v, i) => ({
		id: `v${i}`,
		createdAt: 1_700_000_000_000 + i,
		models: [v.markdown, `other-${i}`],
		outcome: { kind: 'winner', modelId: v.markdown },
		blind: false,
		prompt: v.markdown,
		tags: [`t${i}`]
	}));
	await openApp(page, '/compare/');
	await page.getByTestId('tab-leaderboard').click();
	await setFile(page, 'import-votes', 'votes.json', {
		format: 'lantern-votes',
		version: 1,
		exportedAt: new Date().toISOString(),
		votes
	});
	await expect(page.getByTestId('rating-row')).toHaveCount(xssVectors.length * 2);
	await expectInert(page, w);
});

test('XSS vectors as custom model names stay inert on every page that lists models', async ({
	page,
	modelServer
}) => {
	test.setTimeout(120_000);
	const w = await watch(page);
	const served = modelServer.addModel('Plain-q4f32_1-MLC');
	await openApp(page, '/models/');
	const names = xssVectors.slice(0, 20).map((v) => v.markdown.trim().slice(0, 120));
	for (const name of names) {
		await page.getByTestId('custom-model-id').fill(name);
		await addCustomModel(page, { ...served, modelId: name });
	}
	await expect(page.getByTestId('model-entry')).not.toHaveCount(0);
	await expectInert(page, w);
	for (const [link, ready] of [
		['Chat', 'model-select'],
		['Compare', 'compare-setup'],
		['Models', 'model-entry']
	] as const) {
		await page.getByRole('link', { name: link, exact: true }).click();
		await expect(page.getByTestId(ready).first()).toBeVisible();
		await expectInert(page, w);
	}
});

test(`all ${xssVectors.length} XSS vectors inside documents (Markdown, HTML, text) and as their names stay inert in the list, search hits and passages`, async ({
	page,
	testEngine
}) => {
	test.setTimeout(120_000);
	testEngine.script({});
	const w = await watch(page);
	await openApp(page, '/documents/');
	await page
		.getByTestId('embedding-model-select')
		.selectOption('snowflake-arctic-embed-s-q0f32-MLC-b4');
	const body = xssVectors.map((v, i) => `Vector ${i} hostile\n\n${v.markdown}`).join('\n\n');
	await page.getByTestId('document-files').setInputFiles([
		{ name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(body) },
		{ name: 'hostile.html', mimeType: 'text/html', buffer: Buffer.from(`<h1>hostile</h1>${body}`) },
		{ name: 'hostile.txt', mimeType: 'text/plain', buffer: Buffer.from(body) },
		// A file named after a vector: the name is shown as text too.
		{ name: '<img src=x onerror=alert(1)>.txt', mimeType: 'text/plain', buffer: Buffer.from(body) }
	]);
	await expect(page.locator('[data-testid="document"][data-status="ready"]')).toHaveCount(4, {
		timeout: 60_000
	});
	await expect(page.getByText('<img src=x onerror=alert(1)>.txt', { exact: true })).toBeVisible();
	await page.getByTestId('document-query').fill('hostile alert script onerror javascript');
	await page.getByTestId('document-search-submit').click();
	const hits = page.getByTestId('search-hit');
	await expect(hits).toHaveCount(10);
	for (let i = 0; i < 10; i++) await hits.nth(i).getByTestId('hit-toggle').click();
	await expect(page.getByTestId('hit-passage')).toHaveCount(10);
	// The passages show the vectors' own characters, not what they would render to.
	await expect(
		page.getByTestId('hit-passage').filter({ hasText: '<script>' }).first()
	).toBeVisible();
	await expectInert(page, w);
});

test(`all ${xssVectors.length} XSS vectors inside documents attached in the chat stay inert in the sources, their passages and what was sent`, async ({
	page,
	testEngine
}) => {
	test.setTimeout(120_000);
	testEngine.script({ chat: { tokens: ['See', ' [1].'] } });
	const w = await watch(page);
	await openApp(page);
	await loadModel(page);
	const body = xssVectors.map((v, i) => `Vector ${i} hostile\n\n${v.markdown}`).join('\n\n');
	await page.getByTestId('attach-files').setInputFiles([
		{ name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(body) },
		{ name: '<img src=x onerror=alert(1)>.txt', mimeType: 'text/plain', buffer: Buffer.from(body) }
	]);
	await expect(
		page.locator('[data-testid="attached-document"][data-status="embedding"]')
	).toHaveCount(2, { timeout: 60_000 });
	await ask(page, 'hostile alert script onerror javascript');
	const answer = await lastAnswer(page);
	const sources = answer.getByTestId('source');
	const count = await sources.count();
	expect(count).toBeGreaterThan(1);
	for (let i = 0; i < count; i++) {
		await sources.nth(i).click();
		await expect(page.getByTestId('passage-dialog')).toBeVisible();
		await page.getByTestId('passage-close').click();
	}
	await answer.getByTestId('sent-request').locator('summary').click();
	await expect(answer.getByTestId('sent-message').last()).toContainText('<script>');
	await expect(
		sources.filter({ hasText: '<img src=x onerror=alert(1)>.txt' }).first()
	).toBeVisible();
	await expectInert(page, w);
});
