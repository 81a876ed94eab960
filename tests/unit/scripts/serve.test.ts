// `npm start`'s server (scripts/serve.js), started for real on 127.0.0.1 and sent raw requests:
// addresses a browser would never send must neither end the process nor leave the build folder.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SHARE_PARAM, SHARE_LOST, SHARE_PATH } from '$lib/documents/share/receive';
import { SHARE_ACTION, SHARE_LOST_QUERY, serveBuild } from '../../../scripts/serve.js';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends `path` exactly as written (no normalising, no re-encoding), as Node's client does. */
function send(url: string, path: string, method = 'GET', body?: Buffer): Promise<Answer> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve, reject) => {
		const headers = body
			? { 'content-type': 'multipart/form-data; boundary=x', 'content-length': body.length }
			: {};
		const req = request({ hostname, port, path, method, headers, agent: false }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

const SECRET = 'secret: outside the build folder';
let dir = '';
let root = '';
const servers: Array<{ close: () => Promise<void> }> = [];

async function put(path: string, content: string) {
	await mkdir(dirname(join(dir, path)), { recursive: true });
	await writeFile(join(dir, path), content);
}

async function start(options: { base?: string } = {}) {
	const server = await serveBuild({ root, port: 0, ...options });
	servers.push(server);
	return server.url;
}

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'lantern-serve-'));
	root = join(dir, 'build');
	await put('build/index.html', '<p>home</p>');
	await put('build/404.html', '<p>fallback</p>');
	await put('build/models/index.html', '<p>models</p>');
	await put('build/_app/immutable/app.js', 'export {};');
	await put('build/_headers', '/*\n  X-Test: applied\n/_app/*\n  X-App: yes\n');
	// A sibling whose name starts with the build folder's, and a file beside both.
	await put('build-x/file', SECRET);
	await put('secret.txt', SECRET);
});

afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('serveBuild', () => {
	it('serves pages, folders and assets with the _headers rules and the right caching', async () => {
		const url = await start();
		const home = await send(url, '/');
		expect(home).toMatchObject({ status: 200, body: '<p>home</p>' });
		expect(home.headers['x-test']).toBe('applied');
		expect(home.headers['content-type']).toMatch(/^text\/html/);
		expect(home.headers['cache-control']).toBe('no-cache');
		expect(await send(url, '/models')).toMatchObject({ status: 200, body: '<p>models</p>' });
		expect(await send(url, '/models/')).toMatchObject({ status: 200, body: '<p>models</p>' });
		const asset = await send(url, '/_app/immutable/app.js');
		expect(asset).toMatchObject({ status: 200, body: 'export {};' });
		expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(asset.headers['x-app']).toBe('yes');
		expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
	});

	it('answers HEAD without a body', async () => {
		const url = await start();
		expect(await send(url, '/', 'HEAD')).toMatchObject({ status: 200, body: '' });
	});

	it('answers unknown paths with the SPA fallback and a 404 status, headers applied', async () => {
		const url = await start();
		const missing = await send(url, '/no/such/page');
		expect(missing).toMatchObject({ status: 404, body: '<p>fallback</p>' });
		expect(missing.headers['x-test']).toBe('applied');
		expect(missing.headers['cache-control']).toBe('no-cache');
	});

	it('never serves the _headers file itself, however the path spells it', async () => {
		const url = await start();
		for (const path of ['/_headers', '/_headers/', '//_headers', '/%5Fheaders', '/./_headers']) {
			const answer = await send(url, path);
			expect(answer.status, path).toBe(404);
			expect(answer.body, path).not.toContain('X-Test');
		}
	});

	it('answers a malformed address with 400, and serves the next request normally', async () => {
		const url = await start();
		for (const path of ['/%', '/%E0%A4%A', '/models/%zz', '/%C0']) {
			expect((await send(url, path)).status, path).toBe(400);
			expect(await send(url, '/'), `after ${path}`).toMatchObject({
				status: 200,
				body: '<p>home</p>'
			});
		}
	});

	it('never serves a file outside the build folder', async () => {
		const url = await start();
		const escapes = [
			'/..%2Fbuild-x%2Ffile',
			'/..%2fbuild-x%2ffile',
			'/%2E%2E%2Fbuild-x%2Ffile',
			'/../build-x/file',
			'/%2e%2e/build-x/file',
			'/models/../../build-x/file',
			'/..%2F..%2Fsecret.txt',
			'/..%5Cbuild-x%5Cfile',
			'/..\\build-x\\file',
			'//..%2Fbuild-x%2Ffile',
			'/_app/..%2F..%2Fsecret.txt'
		];
		for (const path of escapes) {
			const answer = await send(url, path);
			expect([400, 403, 404], path).toContain(answer.status);
			expect(answer.body, path).not.toContain(SECRET);
		}
		expect((await send(url, '/')).status).toBe(200);
	});

	describe('under a sub-path', () => {
		it('redirects the bare sub-path, serves below it, and answers 404 outside it', async () => {
			const url = await start({ base: '/lantern' });
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lantern\/$/);
			const bare = await send(url, '/lantern');
			expect(bare.status).toBe(301);
			expect(bare.headers.location).toBe('/lantern/');
			expect(await send(url, '/lantern/')).toMatchObject({ status: 200, body: '<p>home</p>' });
			expect(await send(url, '/lantern/models/')).toMatchObject({ status: 200 });
			expect(await send(url, '/lantern/nope')).toMatchObject({
				status: 404,
				body: '<p>fallback</p>'
			});
			const outside = await send(url, '/');
			expect(outside.status).toBe(404);
			expect(outside.body).not.toContain('home');
		});

		it('refuses malformed and escaping paths below the sub-path too', async () => {
			const url = await start({ base: '/lantern' });
			expect((await send(url, '/lantern/%')).status).toBe(400);
			for (const path of [
				'/lantern/..%2F..%2Fbuild-x%2Ffile',
				'/lantern/../build-x/file',
				'/lantern%2F..%2Fbuild-x%2Ffile'
			]) {
				const answer = await send(url, path);
				expect([400, 403, 404], path).toContain(answer.status);
				expect(answer.body, path).not.toContain(SECRET);
			}
			expect((await send(url, '/lantern/')).status).toBe(200);
		});
	});

	it('answers a share that no service worker took (site data cleared) with a 303 to the app, marked lost', async () => {
		// The address and marker the app expects (the manifest's action, the page's parameter).
		expect(SHARE_ACTION).toBe(`/${SHARE_PATH}`);
		expect(SHARE_LOST_QUERY).toBe(`?${SHARE_PARAM}=${SHARE_LOST}`);
		// A form with a file of 4 MB: read to its end before the answer.
		const form = Buffer.concat([
			Buffer.from('--x\r\ncontent-disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n'),
			Buffer.alloc(4_000_000, 1),
			Buffer.from('\r\n--x--\r\n')
		]);
		for (const base of ['', '/lantern']) {
			const url = await start({ base });
			const answer = await send(url, `${base}/share/`, 'POST', form);
			expect(answer.status, base).toBe(303);
			expect(answer.headers.location, base).toBe(`${base}/?share=lost`);
			// Only the share address, and only a POST: a GET of it is an unknown page as before.
			expect((await send(url, `${base}/share/`)).status, base).toBe(404);
			expect((await send(url, `${base}/other/`, 'POST', form)).status, base).not.toBe(303);
		}
	});

	it('serves what is in the folder now, not what was there at start', async () => {
		const url = await start();
		expect((await send(url, '/later.txt')).status).toBe(404);
		await put('build/later.txt', 'deployed');
		expect(await send(url, '/later.txt')).toMatchObject({ status: 200, body: 'deployed' });
	});
});

describe('npm start (node scripts/serve.js)', () => {
	it('prints its URL, and a malformed request does not end the process', async () => {
		const script = fileURLToPath(new URL('../../../scripts/serve.js', import.meta.url));
		const child = spawn(process.execPath, [script], {
			env: { ...process.env, BUILD_DIR: root, PORT: '0', HOST: '127.0.0.1', BASE_PATH: '' },
			stdio: ['ignore', 'pipe', 'inherit']
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.setEncoding('utf8');
				child.stdout.on('data', (chunk: string) => {
					out += chunk;
					const found = /Lantern is running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
					if (found?.[1]) resolve(found[1]);
				});
				child.on('exit', (code) => reject(new Error(`exited with ${String(code)}: ${out}`)));
			});
			expect((await send(url, '/%')).status).toBe(400);
			expect(await send(url, '/')).toMatchObject({ status: 200, body: '<p>home</p>' });
			expect(child.exitCode).toBeNull();
		} finally {
			child.kill();
		}
	});
});
