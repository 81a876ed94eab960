// Untrusted model output stays inert, reasoning is folded and never sent back, thinking can be
// switched off, and images reach a vision model downscaled.
import { unsafeInDom, xssVectors } from '../fixtures/xss-vectors';
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

/** Small tokens, so that every partial state of the HTML is rendered on the way. */
function tokens(text: string, size = 5): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out;
}

/** Watches the messages with `unsafeInDom` after every DOM change, and sets a canary. */
async function arm(page: Page) {
	await page.evaluate(`window.__unsafeInDom = ${unsafeInDom.toString()}`);
	await page.evaluate(() => {
		const w = window as unknown as {
			__canary: string;
			__found: string[];
			__unsafeInDom: (root: Element) => string[];
			alert: () => void;
		};
		w.__canary = 'intact';
		w.__found = [];
		// Anything that manages to run a script would most likely call alert or touch the canary.
		w.alert = () => (w.__canary = 'alert called');
		new MutationObserver(() => {
			const root = document.querySelector('[data-testid="messages"]');
			if (!root) return;
			for (const answer of root.querySelectorAll('[data-testid="message-assistant"]'))
				w.__found.push(...w.__unsafeInDom(answer));
		}).observe(document.body, {
			subtree: true,
			childList: true,
			attributes: true,
			characterData: true
		});
	});
}

test(`all ${xssVectors.length} XSS vectors streamed as model output stay inert`, async ({
	page,
	testEngine
}) => {
	const dialogs: string[] = [];
	const evil: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	page.on('request', (request) => {
		if (request.url().includes('evil.example')) evil.push(request.url());
	});
	await openApp(page);
	await loadModel(page);
	await arm(page);
	const all = xssVectors.map((v) => v.markdown).join('\n\n');
	testEngine.script({ chat: { tokens: tokens(all), tokenMs: 1 } });
	await ask(page, 'Show me some HTML');
	await lastAnswer(page);
	const answer = page.getByTestId('message-assistant').first();
	// The same vectors inside a reasoning block.
	testEngine.script({
		chat: { tokens: tokens(`<think>${all}</think>Done.`, 40), tokenMs: 1 }
	});
	await ask(page, 'Think about it');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	const second = await lastAnswer(page);
	await second.getByTestId('reasoning').locator('summary').click();
	// Hover and click everything the model wrote: no handler may fire.
	for (const link of await answer.locator('a').all()) await link.hover();
	await page.waitForTimeout(200);

	const state = await page.evaluate(() => {
		const w = window as unknown as { __canary: string; __found: string[] };
		const root = document.querySelector('[data-testid="messages"]');
		return {
			canary: w.__canary,
			found: [...new Set(w.__found)],
			final: root
				? (window as unknown as { __unsafeInDom: (r: Element) => string[] }).__unsafeInDom(root)
				: ['no root']
		};
	});
	expect(state.canary).toBe('intact');
	expect(state.found).toEqual([]);
	expect(state.final).toEqual([]);
	expect(dialogs).toEqual([]);
	expect(evil).toEqual([]);
	// The text is still there, shown as text.
	await expect(answer.getByTestId('message-content')).toContainText('<script>alert(1)</script>');
	// After a reload (rendered from storage, not from the stream) it is just as inert.
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	const afterReload = await page.evaluate((source) => {
		const check = new Function(`return (${source})`)() as (root: Element) => string[];
		const root = document.querySelector('[data-testid="messages"]');
		return root ? check(root) : ['no root'];
	}, unsafeInDom.toString());
	expect(afterReload).toEqual([]);
});

test('reasoning is shown folded and never sent back; the thinking switch reaches the engine', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	await loadModel(page, 'Qwen3-0.6B-q4f32_1-MLC');
	testEngine.script({
		chat: { tokens: ['<think>', 'The user', ' wants a number.', '</think>', '\n\nSeven.'] }
	});
	await ask(page, 'Pick a number');
	const answer = await lastAnswer(page);
	await expect(answer.getByTestId('message-content')).toHaveText('Seven.');
	const reasoning = answer.getByTestId('reasoning');
	await expect(reasoning).not.toHaveAttribute('open');
	await expect(reasoning.locator('summary')).toHaveText('Reasoning');
	await reasoning.locator('summary').click();
	await expect(reasoning).toContainText('The user wants a number.');
	expect(chatRequests(testEngine).at(-1)?.extra_body).toEqual({ enable_thinking: true });

	await page.getByTestId('thinking-toggle').uncheck();
	testEngine.script({ chat: { tokens: ['Eight.'] } });
	await ask(page, 'Another');
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await lastAnswer(page);
	const request = chatRequests(testEngine).at(-1);
	expect(request?.extra_body).toEqual({ enable_thinking: false });
	// History carries the answer alone.
	expect(request?.messages).toEqual([
		{ role: 'user', content: 'Pick a number' },
		{ role: 'assistant', content: 'Seven.' },
		{ role: 'user', content: 'Another' }
	]);
	// The choice is remembered with the conversation.
	await page.reload();
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await expect(page.getByTestId('thinking-toggle')).not.toBeChecked();
});

/** A PNG of `width` × `height` drawn in the page, as bytes. */
async function png(page: Page, width: number, height: number): Promise<Buffer> {
	const base64 = await page.evaluate(
		async ({ w, h }) => {
			const canvas = new OffscreenCanvas(w, h);
			const g = canvas.getContext('2d');
			if (!g) throw new Error('no 2d context');
			g.fillStyle = '#3366cc';
			g.fillRect(0, 0, w, h);
			const blob = await canvas.convertToBlob({ type: 'image/png' });
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let binary = '';
			for (const b of bytes) binary += String.fromCharCode(b);
			return btoa(binary);
		},
		{ w: width, h: height }
	);
	return Buffer.from(base64, 'base64');
}

test('images attached to a vision model by picker, paste and drop reach it downscaled', async ({
	page,
	testEngine
}) => {
	await openApp(page);
	// A text model takes no images: there is no attach button.
	await loadModel(page);
	await expect(page.getByTestId('attach')).toHaveCount(0);
	await loadModel(page, 'Phi-3.5-vision-instruct-q4f32_1-MLC');
	// Each image counts about 1,024 tokens: leave room for three next to the answer.
	await page.getByTestId('settings-toggle').click();
	await page.getByTestId('setting-max_tokens').fill('512');
	await page.getByTestId('setting-max_tokens').blur();
	await page.getByTestId('image-input').setInputFiles({
		name: 'wide.png',
		mimeType: 'image/png',
		buffer: await png(page, 3000, 2000)
	});
	await expect(page.getByTestId('attachments').locator('img')).toHaveCount(1);
	// Paste a tall one.
	await page.evaluate(async () => {
		const canvas = new OffscreenCanvas(500, 2400);
		const g = canvas.getContext('2d');
		if (g) g.fillRect(0, 0, 500, 2400);
		const blob = await canvas.convertToBlob({ type: 'image/png' });
		const data = new DataTransfer();
		data.items.add(new File([blob], 'tall.png', { type: 'image/png' }));
		const box = document.querySelector('[data-testid="composer"]');
		box?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
	});
	await expect(page.getByTestId('attachments').locator('img')).toHaveCount(2);
	// Drop a small one: it is re-encoded but never enlarged.
	await page.evaluate(async () => {
		const canvas = new OffscreenCanvas(800, 600);
		canvas.getContext('2d')?.fillRect(0, 0, 800, 600);
		const blob = await canvas.convertToBlob({ type: 'image/png' });
		const data = new DataTransfer();
		data.items.add(new File([blob], 'small.png', { type: 'image/png' }));
		const box = document.querySelector('[data-testid="composer"]');
		box?.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true }));
		box?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
	});
	await expect(page.getByTestId('attachments').locator('img')).toHaveCount(3);
	testEngine.script({ chat: { tokens: ['A', ' blue', ' picture.'] } });
	await ask(page, 'What is in these pictures?');
	await lastAnswer(page);

	const content = chatRequests(testEngine).at(-1)?.messages[0]?.content;
	expect(Array.isArray(content)).toBe(true);
	const parts = Array.isArray(content) ? content : [];
	expect(parts.map((p) => p.type)).toEqual(['image_url', 'image_url', 'image_url', 'text']);
	const urls = parts.flatMap((p) => (p.image_url ? [p.image_url.url] : []));
	expect(urls).toHaveLength(3);
	for (const url of urls) expect(url).toMatch(/^data:image\/jpeg;base64,/);
	const sizes = await page.evaluate(async (list) => {
		const out: Array<[number, number]> = [];
		// Decoded as an image: the Content-Security-Policy allows data: images, not data: fetches.
		for (const url of list) {
			const image = new Image();
			image.src = url;
			await image.decode();
			out.push([image.naturalWidth, image.naturalHeight]);
		}
		return out;
	}, urls);
	expect(sizes).toEqual([
		[1024, 683],
		[213, 1024],
		[800, 600]
	]);
	// The user's message shows the images it carried, also after a reload.
	await page.reload();
	await expect(page.getByTestId('message-user').locator('img')).toHaveCount(3);
});
