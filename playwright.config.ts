import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags that give headless Chromium a real WebGPU adapter (SwiftShader, on the CPU) and keep it
// off the network (see ../shared/TESTING.md).
const quiet = [
	'--no-sandbox',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
const webgpu = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

// E2E_PORT lets two runs share a machine: the root build is served there, the sub-path build on the next port.
const port = Number(process.env.E2E_PORT ?? 4173);
export const ROOT_URL = `http://127.0.0.1:${port}/`;
export const SUBPATH_URL = `http://127.0.0.1:${port + 1}/lantern/`;

export default defineConfig({
	testDir: 'tests/e2e',
	// Its own folder: Playwright empties it at the start, and test-results/unit.json must survive.
	outputDir: 'test-results/playwright',
	timeout: 30_000,
	expect: { timeout: 10_000 },
	fullyParallel: true,
	workers: 2,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	globalSetup: './tests/e2e/global-setup.ts',
	use: {
		baseURL: ROOT_URL,
		// Tests that swap the engine worker must not be answered by the app's service worker;
		// the PWA specs turn it back on.
		serviceWorkers: 'block',
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'webgpu',
			testIgnore: /\.nowebgpu\.spec\.ts$/,
			use: { launchOptions: { executablePath: chromium, args: [...quiet, ...webgpu] } }
		},
		{
			// Without --enable-unsafe-webgpu, navigator.gpu exists but gives no adapter.
			name: 'no-webgpu',
			testMatch: /\.nowebgpu\.spec\.ts$/,
			use: { launchOptions: { executablePath: chromium, args: quiet } }
		}
	],
	webServer: [
		{
			command: 'node scripts/serve.js',
			url: ROOT_URL,
			env: { PORT: String(port), BUILD_DIR: 'build' },
			reuseExistingServer: !process.env.CI
		},
		{
			command: 'node scripts/serve.js',
			url: SUBPATH_URL,
			env: { PORT: String(port + 1), BUILD_DIR: 'build-subpath', BASE_PATH: '/lantern' },
			reuseExistingServer: !process.env.CI
		}
	]
});
