import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from './fixtures';

// `npm run smoke:real` drives the production build with real WebLLM in its real worker. These
// machines have no internet, so it must stop at the download with the app's own network error.
test('smoke:real stops at the download with the app’s network error when offline', async () => {
	test.setTimeout(120_000);
	const result = await promisify(execFile)('node', ['scripts/smoke-real.js'], {
		env: { ...process.env, SMOKE_LOAD_TIMEOUT_MS: '90000' }
	}).then(
		(ok) => ({ code: 0, out: ok.stdout }),
		(error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout })
	);
	expect(result.out).toContain('Load failed [network]');
	expect(result.out).toContain('The download failed because the network dropped');
	expect(result.code).toBe(1);
});
