import { describe, expect, it } from 'vitest';
import { RemoteError } from '$lib/servers/errors';
import { remoteModelId, remoteRecord, isRemoteRecord, serverHandle } from '$lib/servers/types';
import { checkAddress, isLoopbackHost, isMixedContent, parseBaseUrl } from '$lib/servers/url';

const code = (run: () => unknown) => {
	try {
		run();
		return null;
	} catch (error) {
		return error instanceof RemoteError ? error.remoteCode : 'other';
	}
};

describe('parseBaseUrl', () => {
	it('keeps the API’s base URL without a trailing slash, query or fragment', () => {
		expect(parseBaseUrl(' http://127.0.0.1:11434/v1/ ')).toBe('http://127.0.0.1:11434/v1');
		expect(parseBaseUrl('https://gw.example.org/ollama/v1?x=1#y')).toBe(
			'https://gw.example.org/ollama/v1'
		);
	});

	it('adds /v1 to a bare host, where every one of these servers serves the API', () => {
		expect(parseBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1');
		expect(parseBaseUrl('http://localhost:1234/')).toBe('http://localhost:1234/v1');
	});

	it('refuses what is not an http(s) URL', () => {
		for (const input of ['', 'ollama', '127.0.0.1:11434', 'ftp://host/v1', 'javascript:alert(1)'])
			expect(
				code(() => parseBaseUrl(input)),
				input
			).toBe('bad-url');
	});
});

describe('the checks before any request', () => {
	const hosts = [
		'https://huggingface.co',
		'http://127.0.0.1:*',
		'http://localhost:*',
		'https://gpu.example.org'
	];

	it('knows this computer', () => {
		for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
			expect(isLoopbackHost(host), host).toBe(true);
		for (const host of ['192.168.1.5', 'gpu.example.org', '127.0.0.1.example.org'])
			expect(isLoopbackHost(host), host).toBe(false);
	});

	it('finds mixed content: an https page calling http on another machine (loopback is allowed)', () => {
		expect(isMixedContent('https:', 'http://192.168.1.5:11434/v1')).toBe(true);
		expect(isMixedContent('https:', 'http://127.0.0.1:11434/v1')).toBe(false);
		expect(isMixedContent('https:', 'http://localhost:11434/v1')).toBe(false);
		expect(isMixedContent('https:', 'https://gpu.example.org/v1')).toBe(false);
		expect(isMixedContent('http:', 'http://192.168.1.5:11434/v1')).toBe(false);
	});

	it('says mixed content before the policy, and the policy for hosts it does not list', () => {
		const https = { protocol: 'https:' };
		const http = { protocol: 'http:' };
		expect(code(() => checkAddress('http://gpu.lan:8000/v1', https, hosts))).toBe('mixed-content');
		expect(code(() => checkAddress('http://gpu.lan:8000/v1', http, hosts))).toBe(
			'host-not-allowed'
		);
		expect(code(() => checkAddress('https://other.example.org/v1', https, hosts))).toBe(
			'host-not-allowed'
		);
		expect(code(() => checkAddress('https://gpu.example.org/v1', https, hosts))).toBeNull();
		expect(code(() => checkAddress('http://127.0.0.1:11434/v1', https, hosts))).toBeNull();
	});
});

describe('server model ids and records', () => {
	const server = { id: 's1', baseUrl: 'http://127.0.0.1:11434/v1' };

	it('name the server, then the model, so they never collide with a catalog id (which has no "/")', () => {
		expect(serverHandle('http://127.0.0.1:11434/v1')).toBe('127.0.0.1:11434');
		expect(serverHandle('https://gw.example.org/ollama/v1')).toBe('gw.example.org/ollama');
		expect(remoteModelId(server, 'llama3.1:70b')).toBe('127.0.0.1:11434/llama3.1:70b');
		expect(remoteModelId(server, 'meta-llama/Llama-3.1-70B')).toBe(
			'127.0.0.1:11434/meta-llama/Llama-3.1-70B'
		);
	});

	it('carry the server’s id and the model’s own name, and nothing to download', () => {
		const record = remoteRecord(server, { name: 'qwen3:32b', contextWindow: 32768 });
		expect(record).toEqual({
			model: 'http://127.0.0.1:11434/v1',
			model_id: '127.0.0.1:11434/qwen3:32b',
			model_lib: '',
			overrides: { context_window_size: 32768 },
			remote: { serverId: 's1', name: 'qwen3:32b' }
		});
		expect(isRemoteRecord(record)).toBe(true);
		expect(isRemoteRecord({ model: 'x', model_id: 'Qwen-MLC', model_lib: 'y' })).toBe(false);
	});
});
