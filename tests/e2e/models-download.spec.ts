// The download manager through the Models page, against a local server of synthetic MLC models:
// what it stores must be exactly what WebLLM's own cache look-up accepts.
import {
	addCustomModel,
	expect,
	modelEntry,
	openApp,
	storedKeys,
	test,
	webllmHasModel
} from './fixtures';

test('a download shows byte progress, and then WebLLM finds the model in its cache', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Tiny-q4f32_1-MLC');
	await openApp(page, '/models/');
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '0');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await expect(entry.getByTestId('model-size')).toHaveAttribute('data-exact', 'true');
	expect(await webllmHasModel(page, model)).toBe(false);

	// Record every byte count the progress bar shows.
	await page.evaluate(() => {
		const seen = new Set<string>();
		(window as unknown as { seen: Set<string> }).seen = seen;
		new MutationObserver(() => {
			for (const el of document.querySelectorAll('[data-testid="download-progress"]')) {
				seen.add(`${el.getAttribute('data-done-bytes')}/${el.getAttribute('data-total-bytes')}`);
			}
		}).observe(document.body, { subtree: true, childList: true, attributes: true });
	});
	await entry.getByRole('button', { name: 'Download' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	const seen = await page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen]);
	const partial = seen
		.map((s) => s.split('/').map(Number))
		.filter(([done = 0, total = 0]) => total === model.totalBytes && done > 0 && done < total);
	expect(partial.length).toBeGreaterThanOrEqual(2);

	expect(await webllmHasModel(page, model)).toBe(true);
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '1');
	const stored = page.locator(`[data-testid="stored-model"][data-model-id="${model.modelId}"]`);
	await expect(stored.getByTestId('stored-bytes')).toHaveText('3.7 MB');
	for (const path of [model.paths.config, model.paths.tensorCache, ...model.paths.shards]) {
		// The size check read config and tensor cache once; the download reused them.
		expect(modelServer.count(path), path).toBeLessThanOrEqual(2);
	}
	expect(model.paths.shards.length).toBeGreaterThan(0);
	for (const path of model.paths.shards) expect(modelServer.count(path), path).toBe(1);
});

test('over a capped link, spare connections fetch the rest of a shard in parts (HTTP Range): stored whole and checked', async ({
	page,
	modelServer
}) => {
	// Two 12 MB shards at 12 MB/s per connection: a second of each, time enough to split them.
	const model = modelServer.addModel('Parts-q4f32_1-MLC', { shardSizes: [12_000_000, 12_000_000] });
	modelServer.setRate(12e6);
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 30_000 });
	// Parts were asked for, and the shards (MD5-checked as a whole) are what WebLLM reads.
	expect(modelServer.rangeRequests).toBeGreaterThan(0);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('a server that ignores Range (sends the whole file) is asked for whole files only, after once', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Whole-q4f32_1-MLC', {
		shardSizes: [12_000_000, 12_000_000, 12_000_000]
	});
	modelServer.setRate(12e6);
	modelServer.setRanges(false);
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 30_000 });
	expect(modelServer.rangeRequests).toBe(1);
	// Each shard was fetched whole once (the Range request got the whole file, and was dropped).
	const shardRequests = model.paths.shards.map((p) => modelServer.count(p));
	expect(shardRequests.reduce((a, b) => a + b)).toBe(model.paths.shards.length + 1);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('a shard cut off mid-way, then resumed, fetches only the missing shards', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Cut-q4f32_1-MLC');
	const [s0 = '', s1 = '', s2 = '', s3 = ''] = model.paths.shards;
	modelServer.hook(s2, { kind: 'cut', afterBytes: 300_000 });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();

	await expect(entry.getByTestId('download-error')).toContainText('connection dropped');
	await expect(entry).toHaveAttribute('data-state', 'partial');
	// Shard 3 may have been on its way over a second connection: then it was finished and kept.
	expect([s0, s1, s2].map((p) => modelServer.count(p))).toEqual([1, 1, 1]);
	expect(modelServer.count(s3)).toBeLessThanOrEqual(1);
	const configFetches = modelServer.count(model.paths.config);

	await entry.getByRole('button', { name: 'Resume' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	// Finished shards were not fetched again; the small files came from storage.
	expect([s0, s1, s2, s3].map((p) => modelServer.count(p))).toEqual([1, 1, 2, 1]);
	expect(modelServer.count(model.paths.config)).toBe(configFetches);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('a 200 answer with a web page for a shard is refused, and not stored', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Portal-q4f32_1-MLC');
	const shard = model.paths.shards[1] ?? '';
	modelServer.hook(shard, { kind: 'html' });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();

	const error = entry.getByTestId('download-error');
	await expect(error).toHaveAttribute('data-error-code', 'not-a-model-file');
	await expect(error).toContainText('sent a web page instead of a model file');
	await expect(error).toContainText('Nothing wrong was saved');
	const keys = await storedKeys(page);
	expect(keys.some((k) => k.endsWith(shard))).toBe(false);
	expect(keys.some((k) => k.endsWith(model.paths.shards[0] ?? ''))).toBe(true);
	expect(await webllmHasModel(page, model)).toBe(false);
});

test('a shard damaged on the way (right size, wrong MD5) is refused, named, not stored; Resume fetches it again', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Damaged-q4f32_1-MLC');
	const shard = model.paths.shards[1] ?? '';
	modelServer.hook(shard, { kind: 'corrupt' });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();

	const error = entry.getByTestId('download-error');
	await expect(error).toHaveAttribute('data-error-code', 'checksum-mismatch');
	await expect(error).toContainText('A model file arrived damaged');
	await expect(error).toContainText('Nothing damaged was saved');
	await expect(error.getByTestId('download-error-file')).toHaveText('File: params_shard_1.bin.');
	expect((await storedKeys(page)).some((k) => k.endsWith(shard))).toBe(false);
	expect(await webllmHasModel(page, model)).toBe(false);

	await entry.getByRole('button', { name: 'Resume' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	expect(modelServer.count(shard)).toBe(2);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('a shard the server does not have (404) is named, kept apart, and fetched alone once it is back', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Gone-q4f32_1-MLC');
	const [s0 = '', s1 = '', s2 = '', s3 = ''] = model.paths.shards;
	// Shard 1 is missing on the server until the test puts it back.
	const shardUrl = `${model.baseUrl}/resolve/main/params_shard_1.bin`;
	let missingAnswers = 0;
	await page.route(shardUrl, (route) => {
		missingAnswers++;
		return route.fulfill({
			status: 404,
			headers: { 'access-control-allow-origin': '*' },
			contentType: 'text/plain',
			body: 'Not found'
		});
	});
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();

	const error = entry.getByTestId('download-error');
	await expect(error).toHaveAttribute('data-error-code', 'not-found');
	await expect(error).toContainText('was not found on the server');
	await expect(error.getByTestId('download-error-file')).toHaveText(
		'File: params_shard_1.bin (HTTP 404).'
	);
	// A missing file does not come back by itself: asked once, not again and again.
	expect(missingAnswers).toBe(1);
	await expect(entry).toHaveAttribute('data-state', 'partial');
	const keys = await storedKeys(page);
	expect(keys.some((k) => k.endsWith(s0))).toBe(true);
	expect(keys.some((k) => k.endsWith(s1))).toBe(false);
	expect(await webllmHasModel(page, model)).toBe(false);

	await page.unroute(shardUrl);
	await entry.getByRole('button', { name: 'Resume' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	await expect(entry.getByTestId('download-error')).toHaveCount(0);
	// Only what was missing was fetched (shard 1 reached the server only now).
	expect([s0, s1, s2, s3].map((p) => modelServer.count(p))).toEqual([1, 1, 1, 1]);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('a server error (500) is retried a few times, then named; Resume fetches only what is missing', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Broken-q4f32_1-MLC');
	const [s0 = '', s1 = '', s2 = '', s3 = ''] = model.paths.shards;
	// The server fails on shard 2 for the first try and both automatic retries.
	modelServer.hook(s2, { kind: 'status', status: 500 }, 3);
	// The download manager waits 1 s, then 3 s, before it asks again (net/retry.ts): the page's
	// clock is moved on past those pauses rather than waited out (under load they made this test
	// one of the slowest). Time otherwise runs as usual.
	await page.clock.install();
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download' }).click();

	const error = entry.getByTestId('download-error');
	await expect
		.poll(
			async () => {
				await page.clock.fastForward(1_000);
				return modelServer.count(s2);
			},
			{ intervals: [100] }
		)
		.toBe(3);
	await expect(error).toHaveAttribute('data-error-code', 'server-error');
	await expect(error).toContainText('The model server had an error');
	await expect(error).toContainText('Try again later');
	await expect(error.getByTestId('download-error-file')).toHaveText(
		'File: params_shard_2.bin (HTTP 500).'
	);
	expect(modelServer.count(s2)).toBe(3);
	await expect(entry).toHaveAttribute('data-state', 'partial');
	const keys = await storedKeys(page);
	expect(keys.some((k) => k.endsWith(s1))).toBe(true);
	expect(keys.some((k) => k.endsWith(s2))).toBe(false);
	expect(await webllmHasModel(page, model)).toBe(false);

	// The server has recovered (its three failures are spent).
	await entry.getByRole('button', { name: 'Resume' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	expect([s0, s1, s2, s3].map((p) => modelServer.count(p))).toEqual([1, 1, 4, 1]);
	expect(await webllmHasModel(page, model)).toBe(true);
});

test('too little storage quota: a clear message, and nothing is stored', async ({
	page,
	modelServer
}) => {
	await page.addInitScript(() => {
		Object.defineProperty(StorageManager.prototype, 'estimate', {
			value: async () => ({ quota: 20_000_000, usage: 15_000_000 })
		});
	});
	const model = modelServer.addModel('Big-q4f32_1-MLC');
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	// Said before anything is fetched, from the exact size.
	await expect(entry.getByTestId('space-warning')).toContainText(
		'it needs 36 MB of free space; this site has 5.0 MB'
	);
	await entry.getByRole('button', { name: 'Download' }).click();

	const error = entry.getByTestId('download-error');
	await expect(error).toHaveAttribute('data-error-code', 'quota');
	await expect(error).toContainText('not enough storage space');
	// What the model needs (3.7 MB) plus the room Lantern keeps free, against what is left.
	await expect(error).toContainText('It needs 36 MB of free space; 5.0 MB is available.');
	await expect(entry).toHaveAttribute('data-state', 'absent');
	expect(await storedKeys(page)).toEqual([]);
	expect(model.paths.shards.length).toBeGreaterThan(0);
	for (const path of model.paths.shards) expect(modelServer.count(path)).toBe(0);
});

test('deleting a model frees its space; "delete all" asks first', async ({
	diskPage: page,
	modelServer
}) => {
	// Two downloads, a delete and a delete-all in a profile on disk: on a slow machine, with the
	// other test worker importing a 1 GB model, the page alone took 5 s to open.
	test.setTimeout(60_000);
	const a = modelServer.addModel('First-q4f32_1-MLC', { shardSizes: [6_000_000, 6_000_000] });
	const b = modelServer.addModel('Second-q4f32_1-MLC', { shardSizes: [1_000_000] });
	await openApp(page, '/models/');
	await addCustomModel(page, a);
	await addCustomModel(page, b);
	// Two downloads queue up and run one after the other.
	await modelEntry(page, a.modelId).getByRole('button', { name: 'Download' }).click();
	await modelEntry(page, b.modelId).getByRole('button', { name: 'Download' }).click();
	await expect(page.getByTestId('queue-entry')).toHaveCount(2);
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '2');
	const storedRow = (id: string) =>
		page.locator(`[data-testid="stored-model"][data-model-id="${id}"]`);
	await expect(page.getByTestId('stored-model')).toHaveCount(2);

	const usage = page.getByTestId('storage-usage');
	const usageNow = async () => Number(await usage.getAttribute('data-usage'));
	await expect.poll(usageNow).toBeGreaterThan(13_000_000);
	const before = await usageNow();
	const bBytes = (await storedRow(b.modelId).getByTestId('stored-bytes').textContent()) ?? '';
	expect(bBytes).toMatch(/MB/);

	await storedRow(a.modelId).getByRole('button', { name: 'Delete' }).click();
	// The app's own accounting: the model is gone from the list, the other one stays whole.
	await expect(modelEntry(page, a.modelId)).toHaveAttribute('data-state', 'absent');
	await expect(storedRow(a.modelId)).toHaveCount(0);
	await expect(storedRow(b.modelId).getByTestId('stored-bytes')).toHaveText(bBytes);
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '1');
	// WebLLM's cache holds none of its files, and finds it no more.
	const keys = await storedKeys(page);
	expect(keys.filter((k) => k.includes(b.modelId)).length).toBeGreaterThan(0);
	expect(keys.filter((k) => k.includes(a.modelId))).toEqual([]);
	expect(await webllmHasModel(page, a)).toBe(false);
	expect(await webllmHasModel(page, b)).toBe(true);
	// The browser's figure, which the page shows, drops by the deleted shards.
	await expect.poll(usageNow).toBeLessThan(before - 9_000_000);

	await page.getByRole('button', { name: 'Delete all models' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Delete 1 model');
	await page.getByRole('button', { name: 'Yes, delete them' }).click();
	await expect(page.getByTestId('storage-empty')).toBeVisible();
	expect(await storedKeys(page)).toEqual([]);
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '0');
});

test('offline: the indicator and badges are right, and the chat says plainly what cannot load', async ({
	page,
	context,
	modelServer
}) => {
	const model = modelServer.addModel('Travel-q4f32_1-MLC', { shardSizes: [1_000_000] });
	await openApp(page, '/models/');
	const indicator = page.getByTestId('offline-indicator');
	await expect(indicator).toHaveAttribute('data-online', 'true');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await expect(entry.getByTestId('ready-offline')).toHaveCount(0);
	await entry.getByRole('button', { name: 'Download' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '1');

	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await expect(page.getByTestId('model-select')).toBeVisible();
	await context.setOffline(true);
	await expect(indicator).toHaveAttribute('data-online', 'false');
	await expect(indicator).toContainText('Offline');
	await expect(page.getByTestId('ready-offline-count')).toHaveAttribute('data-count', '1');

	// The stored model is marked, and can be chosen.
	const select = page.getByTestId('model-select');
	await expect(select.locator(`option[value="${model.modelId}"]`)).toContainText('Ready offline');
	await select.selectOption(model.modelId);
	await expect(page.getByTestId('load-notice')).toHaveCount(0);
	await expect(page.getByTestId('load-model')).toBeEnabled();
	// One that is not stored says why instead of failing inside the engine.
	await select.selectOption('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await expect(page.getByTestId('load-notice')).toContainText(
		'You are offline, and Qwen2.5-0.5B-Instruct-q4f32_1-MLC is not downloaded'
	);
	await expect(page.getByTestId('load-model')).toBeDisabled();

	await context.setOffline(false);
	await expect(indicator).toHaveAttribute('data-online', 'true');
	await expect(page.getByTestId('load-notice')).toHaveCount(0);
});

test('a downloaded model loads from the chat and its last use is recorded', async ({
	page,
	testEngine,
	modelServer
}) => {
	testEngine.script({ load: { steps: 2, stepMs: 20 } });
	const model = modelServer.addModel('Used-q4f32_1-MLC', { shardSizes: [1_000_000] });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	await modelEntry(page, model.modelId).getByRole('button', { name: 'Download' }).click();
	const stored = page.locator(`[data-testid="stored-model"][data-model-id="${model.modelId}"]`);
	await expect(stored.getByTestId('last-used')).toHaveText('never');

	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await page.getByTestId('model-select').selectOption(model.modelId);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toContainText(model.modelId);
	// The custom model's own record reached the engine, as a catalog one would.
	expect(testEngine.events).toContainEqual({ type: 'reload', modelIds: [model.modelId] });

	await page.getByRole('link', { name: 'Models' }).click();
	await expect(stored.getByTestId('last-used')).not.toHaveText('never');
});

test('a download cut short by closing the tab finishes later without fetching stored shards again', async ({
	context,
	modelServer
}) => {
	const model = modelServer.addModel('Tab-q4f32_1-MLC');
	const [s0 = '', s1 = '', s2 = '', s3 = ''] = model.paths.shards;
	let page = await context.newPage();
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	// Shard 2 hangs; the tab closes once it is asked for and shard 0 is stored (written in the
	// shard-writing worker, which may still be at it when shard 2 is asked for; shard 1 may be on
	// its way in).
	modelServer.hook(s2, { kind: 'stall' });
	await modelEntry(page, model.modelId).getByRole('button', { name: 'Download' }).click();
	await expect.poll(() => modelServer.count(s2), { intervals: [50] }).toBe(1);
	await expect
		.poll(async () => (await storedKeys(page)).some((k) => k.endsWith('params_shard_0.bin')))
		.toBe(true);
	await page.close();

	page = await context.newPage();
	await openApp(page, '/models/');
	const entry = modelEntry(page, model.modelId);
	await expect(entry).toHaveAttribute('data-state', 'partial');
	await entry.getByRole('button', { name: 'Resume' }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	expect(modelServer.count(s0)).toBe(1);
	// Shards on their way over other connections when the tab closed were lost with it.
	expect(modelServer.count(s1)).toBeLessThanOrEqual(2);
	expect(modelServer.count(s2)).toBe(2);
	expect(modelServer.count(s3)).toBeLessThanOrEqual(2);
	expect(await webllmHasModel(page, model)).toBe(true);
});
