import { describe, expect, it } from 'vitest';
import { RemoteError, type RemoteErrorCode } from '$lib/servers/errors';
import { remoteErrorText } from '$lib/servers/strings';

const PAGE = 'https://lantern.example.org';
const words = (code: RemoteErrorCode, server = 'http://127.0.0.1:11434/v1', facts = {}) => {
	const { title, action } = remoteErrorText(new RemoteError(code, server, facts), PAGE);
	return `${title} ${action}`;
};

const CODES: RemoteErrorCode[] = [
	'bad-url',
	'mixed-content',
	'host-not-allowed',
	'unreachable',
	'cors',
	'timeout',
	'unauthorized',
	'forbidden',
	'not-found',
	'rate-limited',
	'server-error',
	'http-status',
	'not-openai',
	'model-gone',
	'server-removed',
	'context-too-long',
	'rejected',
	'stream-error',
	'lost',
	'aborted'
];

describe('remoteErrorText', () => {
	it('words every failure as a sentence with a next step', () => {
		for (const code of CODES) {
			const { title, action } = remoteErrorText(new RemoteError(code, 'http://h:1/v1'), PAGE);
			expect(title, code).toMatch(/\.$/);
			if (code !== 'aborted') expect(action.length, code).toBeGreaterThan(20);
		}
	});

	it('gives the exact CORS setting of each server, the likely one (by its port) first', () => {
		const ollama = words('cors', 'http://192.168.1.5:11434/v1');
		expect(ollama).toContain(`OLLAMA_ORIGINS=${PAGE}`);
		expect(ollama).toContain(`--allowed-origins '["${PAGE}"]'`);
		expect(ollama).toContain('start it without --api-key');
		expect(ollama).toContain('Enable CORS');
		expect(ollama.indexOf('OLLAMA_ORIGINS')).toBeLessThan(ollama.indexOf('--allowed-origins'));
		const vllm = words('cors', 'http://gpu.lan:8000/v1');
		expect(vllm.indexOf('--allowed-origins')).toBeLessThan(vllm.indexOf('OLLAMA_ORIGINS'));
	});

	it('names both causes when vLLM may have refused a key without CORS headers', () => {
		expect(words('cors', 'http://gpu.lan:8000/v1', { withKey: true })).toContain(
			'A wrong API key can look the same'
		);
		expect(words('cors', 'http://gpu.lan:8000/v1', { withKey: false })).toContain(
			'If the server needs an API key'
		);
	});

	it('tells a missing key from a refused one', () => {
		expect(words('unauthorized', undefined, { withKey: false })).toContain('needs an API key');
		expect(words('unauthorized', undefined, { withKey: true })).toContain('refused the API key');
	});

	it('says how a build allows a host, and names a model that is gone', () => {
		const blocked = words('host-not-allowed', 'https://llm.example.net/v1');
		expect(blocked).toContain('https://llm.example.net is blocked');
		expect(blocked).toContain('LANTERN_MODEL_HOSTS');
		expect(words('model-gone', undefined, { model: 'llama3.1:70b' })).toContain('“llama3.1:70b”');
		expect(words('mixed-content', 'http://192.168.1.5:8000/v1')).toContain('mixed content');
		expect(words('not-found')).toContain('/v1');
	});
});
