// A full disk. Chromium's own quota override (the DevTools protocol's
// Storage.overrideQuotaForOrigin) has no effect on IndexedDB in this Chromium (checked: writes
// still succeed), so the test makes IndexedDB's write calls fail the way a full disk makes them
// fail, with a DOMException named QuotaExceededError, from the moment the disk "fills up". Only
// the browser API is replaced, in the test page; the app's code is the production build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	addCustomModel,
	ask,
	expect,
	lastAnswer,
	loadModel,
	modelEntry,
	openApp,
	storedKeys,
	test,
	webllmHasModel,
	writeModelFolder,
	type Page
} from './fixtures';

/** Makes IndexedDB's writes in this scope fail as on a full disk once `__diskFull` is set. */
function fillableDisk() {
	const state = globalThis as { __diskFull?: boolean; __putsLeft?: number };
	// Full from now on, or after `__putsLeft` more writes.
	const full = () => {
		if (typeof state.__putsLeft === 'number' && state.__putsLeft-- <= 0) state.__diskFull = true;
		return state.__diskFull === true;
	};
	for (const method of ['put', 'add'] as const) {
		const original = IDBObjectStore.prototype[method];
		IDBObjectStore.prototype[method] = function (
			this: IDBObjectStore,
			...args: [unknown, IDBValidKey?]
		) {
			if (full()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return original.apply(this, args);
		};
	}
}

/** Pages whose disk is full now (a worker that starts later fills up too). */
const full = new WeakSet<Page>();

function setFull(full: boolean) {
	(globalThis as { __diskFull?: boolean }).__diskFull = full;
}

test.beforeEach(async ({ page }) => {
	await page.addInitScript(fillableDisk);
	// Downloaded shards are written in a worker (shardStore.worker.ts): the same disk fills there.
	page.on('worker', (worker) => {
		void worker
			.evaluate(fillableDisk)
			.then(() => worker.evaluate(setFull, full.has(page)))
			.catch(() => undefined);
	});
});

/** From now on the disk is full (true) or has room again (false). */
async function diskFull(page: Page, isFull: boolean) {
	if (isFull) full.add(page);
	else full.delete(page);
	await page.evaluate(setFull, isFull);
	// A worker may end meanwhile (an idle one is ended): nothing of it is left to fill.
	for (const worker of page.workers())
		await worker.evaluate(setFull, isFull).catch(() => undefined);
}

test('the disk fills up in the middle of a download: a clear message, finished shards kept, Resume completes', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Filler-q4f32_1-MLC');
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);

	// Hold the third shard until the disk is full.
	let release: () => void = () => undefined;
	const held = new Promise<void>((resolve) => (release = resolve));
	let reached: () => void = () => undefined;
	const atThirdShard = new Promise<void>((resolve) => (reached = resolve));
	const third = `${modelServer.origin}${model.paths.shards[2]}`;
	await page.route(third, async (route) => {
		reached();
		await held;
		await route.continue();
	});
	await entry.getByRole('button', { name: 'Download' }).click();
	await atThirdShard;
	// The first two shards are written (in the shard-writing worker, which may still be at it when
	// the third is asked for): the disk fills up after them.
	const firstTwo = async () =>
		(await storedKeys(page)).filter((k) => /params_shard_[01]\.bin$/.test(k));
	await expect.poll(firstTwo).toHaveLength(2);
	await diskFull(page, true);
	release();

	const error = entry.getByTestId('download-error');
	await expect(error).toHaveAttribute('data-error-code', 'quota');
	await expect(error).toContainText('not enough storage space');
	expect(await firstTwo()).toHaveLength(2);
	expect(await webllmHasModel(page, model)).toBe(false);

	// Space is freed: Resume fetches what is missing and the model is complete.
	await page.unroute(third);
	await diskFull(page, false);
	await entry.getByRole('button', { name: /Resume|Download/ }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	expect(await webllmHasModel(page, model)).toBe(true);
	for (const path of model.paths.shards.slice(0, 2)) expect(modelServer.count(path)).toBe(1);
});

test('the disk fills up in the middle of an import: a clear message, and nothing is left stored', async ({
	page
}) => {
	const work = mkdtempSync(join(tmpdir(), 'lantern-full-'));
	try {
		const folder = writeModelFolder(work, 'Filling-q4f32_1-MLC');
		await openApp(page, '/models/');
		// Two shards fit; the third write finds the disk full.
		await page.evaluate(() => ((globalThis as { __putsLeft?: number }).__putsLeft = 2));
		await page.getByTestId('import-folder-input').setInputFiles(folder.dir);
		const error = page.getByTestId('import-error');
		await expect(error).toHaveAttribute('data-error-code', 'quota');
		await expect(error).toContainText('There is not enough storage space for this model.');
		await expect(error).toContainText('The disk filled up during the import.');
		await expect(error).toContainText('Nothing was stored.');
		expect(await storedKeys(page)).toEqual([]);
		await expect(modelEntry(page, folder.modelId)).toHaveCount(0);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
});

test('the disk is full when a question is sent: the user is told, and the question is not lost', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokens: ['Saved', '.'] } });
	await openApp(page);
	await loadModel(page);
	await ask(page, 'First question');
	await expect(await lastAnswer(page)).toContainText('Saved.');

	await diskFull(page, true);
	const question = 'A long question I typed carefully '.repeat(200);
	await ask(page, question);
	const notice = page.getByTestId('notice');
	await expect(notice).toContainText(/storage|space/i);
	// Nothing half-saved: the conversation still holds its first exchange only, and the question
	// is still in the composer to send again.
	await expect(page.getByTestId('composer')).toHaveValue(question);
	await expect(page.getByTestId('message-user')).toHaveCount(1);

	await diskFull(page, false);
	await page.getByTestId('composer').press('Enter');
	await expect(page.getByTestId('message-user')).toHaveCount(2);
	await expect(page.getByTestId('message-assistant')).toHaveCount(2);
	await page.reload();
	await expect(page.getByTestId('message-user')).toHaveCount(2);
});

test('the disk is full when a comparison is saved: the answers stay on screen and the user is told', async ({
	page,
	testEngine
}) => {
	const models = ['SmolLM2-360M-Instruct-q4f32_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'];
	testEngine.script({ chat: { tokens: ['Kept', ' on', ' screen.'] } });
	await openApp(page, '/compare/');
	await page.getByTestId('budget').fill('4000');
	await page.getByTestId('budget').press('Tab');
	for (const [i, id] of models.entries())
		await page.getByTestId(`model-slot-${i}`).selectOption(id);
	await page.getByTestId('blind-toggle').setChecked(false);
	await page.getByTestId('prompt').fill('Say something');

	await diskFull(page, true);
	await page.getByTestId('run').click();
	const error = page.getByTestId('compare-save-error');
	await expect(error).toHaveAttribute('data-error-code', 'quota-exceeded');
	await expect(error).toContainText('no room left');
	await expect(error).not.toContainText('QuotaExceededError:');
	await expect(page.getByTestId('pane-answer')).toHaveText(['Kept on screen.', 'Kept on screen.']);

	// Room again: the next round saves the whole comparison, and the notice goes.
	await diskFull(page, false);
	await page.getByTestId('prompt').fill('And again');
	await page.getByTestId('prompt').press('Enter');
	await expect(page.getByTestId('pane-stats')).toHaveCount(4);
	await expect(error).toBeHidden();
	await page.getByTestId('tab-saved').click();
	await expect(page.getByTestId('saved-comparison')).toHaveCount(1);
	await expect(page.getByTestId('saved-comparison')).toContainText('Say something');
});
