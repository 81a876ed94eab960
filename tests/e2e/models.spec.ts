// The Models page without downloads: the catalog with fit verdicts, custom-model checks, storage.
import {
	addCustomModel,
	expect,
	modelEntry,
	openApp,
	prebuiltModelIds,
	test,
	type Route
} from './fixtures';

test('the catalog lists every prebuilt model with a verdict for this GPU', async ({ page }) => {
	const ids = await prebuiltModelIds();
	await openApp(page, '/models/');
	const entries = page.getByTestId('model-entry');
	await expect(entries).toHaveCount(ids.length);
	await expect(page.locator('[data-testid="model-entry"] [data-testid="fit"]')).toHaveCount(
		ids.length
	);
	const shown = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')));
	expect(shown.sort()).toEqual([...ids].sort());

	// SwiftShader has no shader-f16: q4f16 models cannot run here and point to their q4f32 sibling.
	const f16 = modelEntry(page, 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
	await expect(f16.getByTestId('fit')).toHaveAttribute('data-verdict', 'unsupported');
	await expect(f16.getByTestId('fit')).toContainText('Not supported here');
	await expect(f16.getByTestId('fit')).toContainText('16-bit float shaders');
	await expect(f16.getByTestId('fit-alternative')).toContainText(
		'Use Llama-3.2-1B-Instruct-q4f32_1-MLC instead'
	);
	const f32 = modelEntry(page, 'Llama-3.2-1B-Instruct-q4f32_1-MLC');
	await expect(f32.getByTestId('fit')).toHaveAttribute('data-verdict', 'runs');
	await expect(f32).toContainText('Llama 3.2 Community License');
	await expect(f32).toContainText('Meta');
	await expect(f32.getByRole('link', { name: 'Model card' })).toHaveAttribute(
		'href',
		'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC'
	);
	await expect(f32.getByTestId('model-size')).toContainText('(estimate)');
	await expect(modelEntry(page, 'snowflake-arctic-embed-s-q0f32-MLC-b4')).toContainText(
		'Embedding'
	);
	await expect(
		page.locator('[data-family="phi"] [data-testid="model-entry"]').last()
	).toContainText('Vision');

	// Search and filters narrow the list.
	await page.getByTestId('catalog-search').fill('smollm2 360m');
	await expect(page.getByTestId('catalog-count')).not.toHaveAttribute(
		'data-shown',
		String(ids.length)
	);
	for (const id of await entries.evaluateAll((els) =>
		els.map((e) => e.getAttribute('data-model-id') ?? '')
	))
		expect(id).toMatch(/SmolLM2-360M/);
	await page.getByTestId('filter-fits').check();
	await expect(page.locator('[data-testid="fit"][data-verdict="unsupported"]')).toHaveCount(0);
	await expect(entries.first()).toBeVisible();
});

test('custom-model problems are shown in words: 404, bad JSON, wrong layout', async ({
	page,
	modelServer
}) => {
	const badJson = modelServer.addModel('BadJson-q4f32_1-MLC');
	modelServer.setFile(badJson.paths.tensorCache, '{"records": [{"dataPath": ');
	const wrongLayout = modelServer.addModel('Layout-q4f32_1-MLC');
	modelServer.setFile(wrongLayout.paths.tensorCache, '{"shards": ["params_shard_0.bin"]}');
	await openApp(page, '/models/');
	const error = page.getByTestId('custom-error');
	const add = async (baseUrl: string, libraryUrl: string) => {
		await page.getByTestId('custom-base-url').fill(baseUrl);
		await page.getByTestId('custom-library-url').fill(libraryUrl);
		await page.getByTestId('custom-add').click();
	};

	await add(`${modelServer.origin}/Missing-MLC`, badJson.libraryUrl);
	await expect(error).toContainText('was not found (HTTP 404)');
	await expect(error).toContainText('/Missing-MLC/resolve/main/mlc-chat-config.json');

	await add(badJson.baseUrl, badJson.libraryUrl);
	await expect(error).toContainText('tensor-cache.json is not valid JSON');

	await add(wrongLayout.baseUrl, wrongLayout.libraryUrl);
	await expect(error).toContainText('not an MLC tensor cache');

	await add(wrongLayout.baseUrl.replace('http://', 'ftp://'), wrongLayout.libraryUrl);
	await expect(error).toContainText('is not a web address');
	await expect(page.getByTestId('custom-model')).toHaveCount(0);
});

test('a custom model shows its exact size and fit, is kept, and can be removed', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Mine-q4f32_1-MLC', { shardSizes: [2_000_000, 1_000_000] });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	await expect(page.getByTestId('custom-added')).toContainText('(3.2 MB). Runs.');
	const entry = modelEntry(page, model.modelId);
	await expect(entry).toContainText('Custom');
	await expect(entry.getByTestId('model-size')).toHaveText('3.2 MB');
	await expect(entry.getByTestId('fit')).toHaveAttribute('data-verdict', 'runs');

	// Kept in IndexedDB: still there after a reload.
	await openApp(page, '/models/');
	await expect(page.getByTestId('custom-model')).toHaveCount(1);
	await expect(modelEntry(page, model.modelId).getByTestId('model-size')).toHaveText('3.2 MB');

	await page.getByRole('button', { name: 'Remove' }).click();
	await expect(page.getByTestId('custom-model')).toHaveCount(0);
	await expect(modelEntry(page, model.modelId)).toHaveCount(0);
});

test('"Keep my models" shows what the browser answered', async ({ page }) => {
	await openApp(page, '/models/');
	const persist = page.getByTestId('persist');
	await expect(persist).toHaveAttribute('data-state', 'unknown');
	await persist.getByRole('button', { name: 'Keep my models' }).click();
	// Headless Chromium declines unless the permission is granted.
	await expect(persist).toHaveAttribute('data-state', 'not-persisted');
	await expect(persist).toContainText('The browser did not agree');
});

test('"Get exact size" reads a catalog model’s file list and remembers the size', async ({
	page,
	modelServer
}) => {
	// Hugging Face and the library host, answered by the fixture server (no internet here).
	const mirror = modelServer.addModel('SmolLM2-360M-Instruct-q4f32_1-MLC', {
		shardSizes: [5_000_000, 2_500_000]
	});
	let remote = 0;
	const answerFrom = (url: string) => async (route: Route) => {
		remote++;
		await route.fulfill({ response: await route.fetch({ url }) });
	};
	await page.route(
		'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC/**',
		(route) => {
			const path = new URL(route.request().url()).pathname.replace('/mlc-ai', '');
			return answerFrom(`${modelServer.origin}${path}`)(route);
		}
	);
	await page.route('https://raw.githubusercontent.com/**', answerFrom(mirror.libraryUrl));
	await openApp(page, '/models/');
	const entry = modelEntry(page, 'SmolLM2-360M-Instruct-q4f32_1-MLC');
	await expect(entry.getByTestId('model-size')).toContainText('(estimate)');
	await entry.getByRole('button', { name: 'Get exact size' }).click();
	await expect(entry.getByTestId('model-size')).toHaveAttribute('data-exact', 'true');
	await expect(entry.getByTestId('model-size')).toHaveText('7.7 MB');
	// Only the small files were read: no shard.
	expect(mirror.paths.shards.length).toBeGreaterThan(0);
	for (const shard of mirror.paths.shards) expect(modelServer.count(shard)).toBe(0);
	expect(remote).toBeGreaterThan(0);

	// Remembered: shown after a reload with both hosts unreachable.
	await page.unrouteAll();
	await page.route(/huggingface\.co|githubusercontent\.com/, (route) => route.abort());
	await openApp(page, '/models/');
	await expect(entry.getByTestId('model-size')).toHaveText('7.7 MB');
});
