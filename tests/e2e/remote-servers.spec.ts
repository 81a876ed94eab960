// "Your servers" on the Models page, against local servers that answer like Ollama, llama.cpp's
// server, vLLM or a key-checking gateway (tests/fixtures/openai-server.ts), in the real browser:
// its CORS rules, mixed-content blocking and the build's Content-Security-Policy are the real ones.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { addServer, expect, openApp, test, type Page } from './fixtures';

const failure = (page: Page) => page.getByTestId('server-error');

/** Every request the page makes from now on. */
function recordRequests(page: Page): string[] {
	const urls: string[] = [];
	page.context().on('request', (request) => urls.push(request.url()));
	return urls;
}
const origins = (urls: string[]) => [...new Set(urls.map((u) => new URL(u).origin))].sort();

test('a server is added by its address, lists its models, and a model answers when tried', async ({
	page,
	openaiServer
}) => {
	const ollama = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'llama3.1:70b' }, { name: 'qwen3:32b' }],
		script: { reasoning: ['Thinking.'], tokens: ['Hello', ' there', '!'], tokenMs: 20 }
	});
	await openApp(page, '/models/');
	const panel = page.getByTestId('servers-panel');
	await expect(panel.getByTestId('servers-privacy')).toContainText(
		'Conversations with a server model go to that server and nowhere else.'
	);
	await expect(panel).toContainText('stored in this browser only');
	await addServer(page, ollama.url);
	await expect(page.getByTestId('server-added')).toContainText('2 models');
	const server = page.getByTestId('server');
	await expect(server).toHaveAttribute('data-base-url', ollama.url);
	const host = new URL(ollama.url).host;
	await expect(server.getByTestId('server-model')).toHaveCount(2);
	await expect(server.getByTestId('server-model').first()).toHaveAttribute(
		'data-model-id',
		`${host}/llama3.1:70b`
	);

	const model = server.getByTestId('server-model').first();
	await model.getByTestId('server-try').click();
	await expect(model.getByTestId('trial-answer')).toHaveText('Hello there!');
	await expect(model.getByTestId('trial-stats')).toContainText('First token after');
	await expect(model.getByTestId('trial-stats')).toContainText('4 tokens');
	const asked = ollama.requests.find(
		(r) => r.method === 'POST' && r.path === '/v1/chat/completions'
	);
	expect(asked?.body).toMatchObject({ model: 'llama3.1:70b', stream: true });

	// It is remembered (with its models) across a reload, without asking the server again.
	const before = ollama.requests.length;
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await expect(page.getByTestId('server-model')).toHaveCount(2);
	expect(ollama.requests.length).toBe(before);

	ollama.set({ models: [{ name: 'llama3.1:70b' }] });
	await page.getByTestId('server-check').click();
	await expect(page.getByTestId('server-model')).toHaveCount(1);
	await page.getByTestId('server-remove').click();
	await expect(page.getByTestId('server')).toHaveCount(0);
});

test('nothing listening: the message says nothing answered and what to check', async ({
	page,
	openaiServer
}) => {
	const gone = await openaiServer({ flavour: 'ollama' });
	await gone.close();
	await openApp(page, '/models/');
	await addServer(page, gone.url);
	await expect(failure(page)).toHaveAttribute('data-error-code', 'unreachable');
	await expect(failure(page)).toContainText(`Nothing answered at ${gone.url}.`);
	await expect(failure(page)).toContainText('OLLAMA_HOST=0.0.0.0');
	await expect(page.getByTestId('server')).toHaveCount(0);
});

test('an Ollama that refuses this page’s origin (an empty 403 without CORS headers): the message gives OLLAMA_ORIGINS', async ({
	page,
	openaiServer
}) => {
	// Stands in for Lantern served from a host Ollama does not allow by default.
	const ollama = await openaiServer({
		flavour: 'ollama',
		origins: ['https://lantern.example.org']
	});
	await openApp(page, '/models/');
	const origin = new URL(page.url()).origin;
	await addServer(page, ollama.url);
	await expect(failure(page)).toHaveAttribute('data-error-code', 'cors');
	await expect(failure(page)).toContainText('CORS');
	await expect(failure(page)).toContainText(`OLLAMA_ORIGINS=${origin}`);
});

test('vLLM refusing a missing or wrong key without CORS headers: the message names both causes', async ({
	page,
	openaiServer
}) => {
	const vllm = await openaiServer({ flavour: 'vllm', apiKey: 'secret', models: [{ name: 'big' }] });
	await openApp(page, '/models/');
	await addServer(page, vllm.url);
	await expect(failure(page)).toHaveAttribute('data-error-code', 'cors');
	await expect(failure(page)).toContainText('If the server needs an API key');
	await addServer(page, vllm.url, 'wrong');
	await expect(failure(page)).toHaveAttribute('data-error-code', 'cors');
	await expect(failure(page)).toContainText('A wrong API key can look the same');
	await addServer(page, vllm.url, 'secret');
	await expect(page.getByTestId('server-added')).toContainText('one model');
	expect(vllm.requests.filter((r) => r.path === '/v1/models').at(-1)?.headers.authorization).toBe(
		'Bearer secret'
	);
});

test('a gateway answering 401: the message asks for a key, then says when the key is refused', async ({
	page,
	openaiServer
}) => {
	const gateway = await openaiServer({ flavour: 'openai', apiKey: 'sk-right' });
	await openApp(page, '/models/');
	await addServer(page, gateway.url);
	await expect(failure(page)).toHaveAttribute('data-error-code', 'unauthorized');
	await expect(failure(page)).toContainText('The server needs an API key (HTTP 401).');
	await addServer(page, gateway.url, 'sk-right');
	await expect(page.getByTestId('server-added')).toBeVisible();
	await expect(page.getByTestId('server')).toContainText('API key stored in this browser');

	await page.getByTestId('server-change-key').click();
	await page.getByTestId('server-key-input').fill('sk-wrong');
	await page.getByTestId('server-key-save').click();
	const shown = page.getByTestId('server-failure');
	await expect(shown).toHaveAttribute('data-error-code', 'unauthorized');
	await expect(shown).toContainText('The server refused the API key (HTTP 401).');
});

test('llama.cpp lists its models without a key but answers only with it: the 401 is said in words', async ({
	page,
	openaiServer
}) => {
	const llama = await openaiServer({
		flavour: 'llamacpp',
		apiKey: 'k',
		models: [{ name: 'qwen' }]
	});
	await openApp(page, '/models/');
	// Its /models is public, so the server is added without the key...
	await addServer(page, llama.url);
	await expect(page.getByTestId('server-added')).toBeVisible();
	// ...but an answer needs it (its 401 carries CORS headers, so the browser shows the status).
	await page.getByTestId('server-try').click();
	const error = page.getByTestId('trial-error');
	await expect(error).toHaveAttribute('data-error-code', 'unauthorized');
	await expect(error).toContainText('The server needs an API key (HTTP 401).');
	await page.getByTestId('server-change-key').click();
	await page.getByTestId('server-key-input').fill('k');
	await page.getByTestId('server-key-save').click();
	await page.getByTestId('server-try').click();
	// Chromium accepts llama.cpp's `Access-Control-Allow-Headers: *` for the key (see strings.ts).
	await expect(page.getByTestId('trial-stats')).toContainText('5 tokens');
	const answered = llama.requests.filter((r) => r.method === 'POST').at(-1);
	expect(answered?.headers.authorization).toBe('Bearer k');
});

test('a host this build’s Content-Security-Policy does not allow is refused before any request', async ({
	page
}) => {
	const requests = recordRequests(page);
	await openApp(page, '/models/');
	await addServer(page, 'https://llm.example.net/v1');
	await expect(failure(page)).toHaveAttribute('data-error-code', 'host-not-allowed');
	await expect(failure(page)).toContainText('https://llm.example.net is blocked');
	await expect(failure(page)).toContainText('LANTERN_MODEL_HOSTS');
	expect(requests.filter((u) => u.includes('example.net'))).toEqual([]);
});

test('an address that is not a URL, or not an OpenAI API, is said in words', async ({ page }) => {
	await openApp(page, '/models/');
	await addServer(page, 'ollama on my desk');
	await expect(failure(page)).toHaveAttribute('data-error-code', 'bad-url');
	await expect(failure(page)).toContainText('is not a server address');
	// Lantern's own origin has no /v1/models: its static host answers 404 with a web page.
	await addServer(page, `${new URL(page.url()).origin}/v1`);
	await expect(failure(page)).toHaveAttribute('data-error-code', 'not-found');
	await expect(failure(page)).toContainText('usually ends in /v1');
});

const TYPES: Record<string, string> = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.wasm': 'application/wasm'
};

test('mixed content: on an https page, an http server elsewhere is refused before any request', async ({
	page,
	context
}) => {
	// The production build, served to the browser as https://lantern.test (a secure page).
	await context.route('https://lantern.test/**', async (route) => {
		const path = new URL(route.request().url()).pathname;
		const file = join('build', path.endsWith('/') ? `${path}index.html` : path);
		try {
			const body = await readFile(file);
			await route.fulfill({
				body,
				contentType: TYPES[extname(file)] ?? 'application/octet-stream'
			});
		} catch {
			await route.fulfill({ status: 404, body: 'not found' });
		}
	});
	const requests = recordRequests(page);
	await page.goto('https://lantern.test/models/');
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	expect(await page.evaluate(() => window.isSecureContext && location.protocol)).toBe('https:');
	await addServer(page, 'http://192.168.1.20:11434/v1');
	await expect(failure(page)).toHaveAttribute('data-error-code', 'mixed-content');
	await expect(failure(page)).toContainText('mixed content');
	expect(requests.filter((u) => u.includes('192.168.1.20'))).toEqual([]);
});

test('adding, checking and trying a server sends requests only to that server', async ({
	page,
	openaiServer
}) => {
	const server = await openaiServer({ flavour: 'vllm', models: [{ name: 'big' }] });
	await openApp(page, '/models/');
	const requests = recordRequests(page);
	await addServer(page, server.url);
	await page.getByTestId('server-check').click();
	await expect(page.getByTestId('server-check')).toHaveText('Check');
	await page.getByTestId('server-try').click();
	await expect(page.getByTestId('trial-stats')).toBeVisible();
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();

	const app = new URL(page.url()).origin;
	expect(origins(requests)).toEqual([app, server.origin].sort());
	const toServer = requests.filter((u) => u.startsWith(server.origin));
	expect(toServer.every((u) => u.startsWith(`${server.url}/`))).toBe(true);
	// No cookie and no Referer reach it.
	for (const r of server.requests) {
		expect(r.headers.cookie).toBeUndefined();
		expect(r.headers.referer).toBeUndefined();
	}
});
