import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from './fixtures';

// `npm run smoke:remote` drives the production build against the server at LANTERN_REMOTE_URL.
// These machines run none: with nothing listening it must stop at the check with the app's own
// message; against the local fixture server (answering like Ollama) it must print its numbers.
async function smoke(env: Record<string, string>) {
	return promisify(execFile)('node', ['scripts/smoke-remote.js'], {
		env: { ...process.env, ...env }
	}).then(
		(ok) => ({ code: 0, out: ok.stdout }),
		(error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout })
	);
}

test('smoke:remote stops with the app’s message when nothing listens', async ({ openaiServer }) => {
	test.setTimeout(120_000);
	const gone = await openaiServer({ flavour: 'ollama' });
	await gone.close();
	const result = await smoke({ LANTERN_REMOTE_URL: gone.url });
	expect(result.out).toContain('Server check failed [unreachable]');
	expect(result.out).toContain(`Nothing answered at ${gone.url}.`);
	expect(result.code).toBe(1);
});

test('smoke:remote asks a server’s model one question in the chat and prints TTFT and tokens a second', async ({
	openaiServer
}) => {
	test.setTimeout(120_000);
	const ollama = await openaiServer({
		flavour: 'ollama',
		models: [{ name: 'llama3.2:3b' }],
		script: { tokens: ['Paris', ' is', ' the', ' capital', '.'], tokenMs: 10 }
	});
	const result = await smoke({ LANTERN_REMOTE_URL: ollama.url });
	expect(result.out).toContain('Models: llama3.2:3b');
	expect(result.out).toContain('Asking llama3.2:3b in the chat');
	expect(result.out).toContain('Answer: Paris is the capital.');
	// The chat's own stats line, and the chat's request (the conversation, with the question).
	expect(result.out).toMatch(/Stats: TTFT \d+ ms · .* · 17 in, 5 out/);
	const asked = ollama.requests.filter((r) => r.method === 'POST').at(-1);
	expect(JSON.stringify(asked?.body?.messages)).toContain('capital of France');
	expect(result.out).toMatch(/ttft_ms=\d+/);
	expect(result.out).toMatch(/decode_tokens_per_s=\d/);
	expect(result.code).toBe(0);
});
