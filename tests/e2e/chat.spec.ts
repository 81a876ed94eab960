import { expect, openApp, test } from './fixtures';

test('a model loads with progress, an answer streams in, and stop ends it', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		load: { steps: 5, stepMs: 60 },
		chat: { tokens: Array.from({ length: 200 }, (_, i) => `w${i} `), tokenMs: 25 }
	});
	await openApp(page);
	// Record every phase the progress bar shows (each lasts a fraction of a second).
	await page.evaluate(() => {
		const seen = new Set<string>();
		(window as unknown as { phases: Set<string> }).phases = seen;
		new MutationObserver(() => {
			const el = document.querySelector('[data-testid="load-progress"]');
			if (el)
				seen.add(`${el.getAttribute('data-phase')}: ${el.querySelector('.label')?.textContent}`);
		}).observe(document.body, {
			subtree: true,
			childList: true,
			attributes: true,
			characterData: true
		});
	});
	await page.getByTestId('model-select').selectOption('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('load-progress')).toBeVisible();
	await expect(page.getByTestId('model-ready')).toContainText('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	const phases = await page.evaluate(() => [
		...(window as unknown as { phases: Set<string> }).phases
	]);
	expect(phases).toContain('download: Step 1 of 3: downloading the model (100%)');
	expect(phases).toContain('gpu-upload: Step 2 of 3: loading it onto the GPU (40%)');
	expect(phases).toContain('compile: Step 3 of 3: preparing GPU shaders (100%)');
	// The worker was told to cache in IndexedDB, with the chosen model's record.
	expect(testEngine.events).toContainEqual({ type: 'setAppConfig', cacheBackend: 'indexeddb' });
	expect(testEngine.events).toContainEqual({
		type: 'reload',
		modelIds: ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC']
	});

	await page.getByTestId('composer').fill('Say hello');
	await page.getByTestId('composer').press('Enter');
	const answer = page.getByTestId('message-assistant').last().getByTestId('message-content');
	await expect(answer).toContainText('w0 w1 w2');
	await expect(answer).not.toContainText('w199');
	await page.getByTestId('stop').click();
	const stats = page.getByTestId('message-assistant').last().getByTestId('stats');
	await expect(stats).toHaveAttribute('data-finish-reason', 'aborted');
	const partial = await answer.textContent();
	expect(partial?.length).toBeGreaterThan(0);
	expect(partial).not.toContain('w199');
	expect(testEngine.events.some((e) => e.type === 'interrupt')).toBe(true);

	// The model is free again: a second question gets a full answer with its stats.
	testEngine.script({ chat: { tokens: ['All', ' done', '.'], decodeTokensPerSec: 42.5 } });
	await page.getByTestId('composer').fill('Again');
	await page.getByTestId('send').click();
	await expect(
		page.getByTestId('message-assistant').last().getByTestId('message-content')
	).toHaveText('All done.');
	await expect(page.getByTestId('message-assistant').last().getByTestId('stats')).toContainText(
		'decode 42.5 tok/s'
	);
	const chat = testEngine.events.filter((e) => e.type === 'chat').at(-1) as unknown as {
		request: { messages: Array<{ role: string; content: string }>; stream: boolean };
	};
	expect(chat.request.stream).toBe(true);
	expect(chat.request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
});

test('a load that fails shows its typed error in plain words', async ({ page, testEngine }) => {
	testEngine.script({
		load: {
			error: {
				name: 'DeviceLostError',
				message: 'The WebGPU device was lost while loading the model.'
			}
		}
	});
	await openApp(page);
	await page.getByTestId('load-model').click();
	const alert = page.getByRole('alert');
	await expect(alert).toHaveAttribute('data-error-code', 'device-lost');
	await expect(alert).toContainText('ran out of memory');
	await expect(alert).toContainText('Load a smaller model');
	await expect(page.getByTestId('load-model')).toBeEnabled();
});

test('a network failure while downloading says so, and what to do', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		load: {
			error: {
				name: 'Error',
				message:
					'Failed to store https://huggingface.co/x/resolve/main/params_shard_0.bin with error: TypeError: Failed to fetch'
			}
		}
	});
	await openApp(page);
	await page.getByTestId('load-model').click();
	const alert = page.getByRole('alert');
	await expect(alert).toHaveAttribute('data-error-code', 'network');
	await expect(alert).toContainText('Check your connection');
});

test('cancelling a load leaves no model loaded and the app usable', async ({
	page,
	testEngine
}) => {
	testEngine.script({ load: { steps: 50, stepMs: 100 } });
	await openApp(page);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('load-progress')).toBeVisible();
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('load-model')).toBeEnabled();
	await expect(page.getByTestId('model-ready')).toHaveCount(0);
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expect.poll(() => testEngine.events.some((e) => e.type === 'unload')).toBe(true);
});
