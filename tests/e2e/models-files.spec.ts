// Moving models through files: importing a folder (or an exported archive) through the Models
// page, refusing broken folders with their reason and nothing stored, and exporting a model that
// another browser imports as it is. What was stored is checked with WebLLM's own cache look-up.
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	truncateSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	addCustomModel,
	customModelAddress,
	expect,
	importFolder,
	modelEntry,
	openApp,
	storedKeys,
	test,
	webllmHasModel,
	writeModelFolder,
	type Page
} from './fixtures';

let work: string;
test.beforeEach(() => {
	work = mkdtempSync(join(tmpdir(), 'lantern-files-'));
});
test.afterEach(() => rmSync(work, { recursive: true, force: true }));

/** What the app keeps in its own database about custom models. */
async function customModelIds(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('lantern');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise<string[]>((resolve, reject) => {
				const request = db.transaction('customModels').objectStore('customModels').getAllKeys();
				request.onsuccess = () => resolve(request.result.map(String));
				request.onerror = () => reject(request.error);
			});
		} finally {
			db.close();
		}
	});
}

test('an imported folder is ready offline, loads with no network, and WebLLM finds it', async ({
	page,
	context,
	testEngine
}) => {
	testEngine.script({ load: { steps: 2, stepMs: 20 } });
	const folder = writeModelFolder(work, 'Carried-q4f32_1-MLC');
	await openApp(page, '/models/');
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);
	await importFolder(page, folder.dir);
	await expect(page.getByTestId('import-done')).toContainText('Imported Carried-q4f32_1-MLC');
	const entry = modelEntry(page, folder.modelId);
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	await expect(entry).toContainText('Custom');
	const address = await customModelAddress(page, folder.modelId);
	expect(address.baseUrl).toMatch(/^https:\/\/lantern\.invalid\/imported\/[0-9a-f]{16}\/$/);
	expect(await webllmHasModel(page, address)).toBe(true);
	const stored = page.locator(`[data-testid="stored-model"][data-model-id="${folder.modelId}"]`);
	await expect(stored.getByTestId('stored-bytes')).toHaveText('3.7 MB');

	// Offline, from the chat: it loads. (Tests run without the service worker, so the chat page's
	// code is fetched online first.)
	await context.setOffline(false);
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	const select = page.getByTestId('model-select');
	await expect(select.locator(`option[value="${folder.modelId}"]`)).toContainText('Ready offline');
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);
	// Nothing may go anywhere but the app itself (the test engine talks to its own routes).
	const requests: string[] = [];
	const app = new URL(page.url()).origin;
	page.on('request', (r) => {
		if (!r.url().startsWith(app)) requests.push(r.url());
	});
	await select.selectOption(folder.modelId);
	await page.getByTestId('load-model').click();
	await expect(page.getByTestId('model-ready')).toContainText(folder.modelId);
	expect(testEngine.events).toContainEqual({ type: 'reload', modelIds: [folder.modelId] });
	expect(requests).toEqual([]);
});

test('a folder with the library picked apart, and an embedding model, keep their kind', async ({
	page
}) => {
	const folder = writeModelFolder(work, 'Embed-q0f32-MLC', { modelType: 'bert', library: false });
	const lib = join(work, 'Embed-q0f32-webgpu.wasm');
	writeFileSync(lib, readFileSync(writeModelFolder(work, 'donor').libraryPath));
	await openApp(page, '/models/');
	await importFolder(page, folder.dir);
	await expect(page.getByTestId('import-error')).toHaveAttribute('data-error-code', 'no-library');
	await expect(page.getByTestId('import-error')).toContainText(
		'The model library (.wasm) is missing'
	);
	await page.getByTestId('import-library-input').setInputFiles(lib);
	await importFolder(page, folder.dir);
	await expect(page.getByTestId('import-done')).toBeVisible();
	const entry = modelEntry(page, folder.modelId);
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	await expect(entry).toContainText('Embedding');
	// Not offered for chat: it is an embedding model.
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await expect(
		page.getByTestId('model-select').locator(`option[value="${folder.modelId}"]`)
	).toHaveCount(0);
});

for (const broken of [
	{
		name: 'a shard of the wrong size',
		code: 'size-mismatch',
		text: 'params_shard_1.bin has the wrong size: 999,999 bytes instead of 1,000,000.',
		spoil: (dir: string) => truncateSync(join(dir, 'params_shard_1.bin'), 999_999)
	},
	{
		name: 'a shard with the wrong MD5',
		code: 'checksum-mismatch',
		text: 'params_shard_2.bin is damaged: its contents do not match the checksum',
		spoil: (dir: string) => {
			const path = join(dir, 'params_shard_2.bin');
			const bytes = readFileSync(path);
			bytes[777] = (bytes[777] ?? 0) ^ 0xff;
			writeFileSync(path, bytes);
		}
	},
	{
		name: 'a missing file',
		code: 'missing-file',
		text: 'The folder lacks params_shard_3.bin, which the model needs.',
		spoil: (dir: string) => unlinkSync(join(dir, 'params_shard_3.bin'))
	},
	{
		name: 'a library that is not WebAssembly',
		code: 'not-wasm',
		text: 'is not a WebAssembly model library',
		spoil: (dir: string) => writeFileSync(join(dir, 'Broken-q4f32_1-MLC.wasm'), '<html>')
	}
]) {
	test(`a folder with ${broken.name} is refused with its reason, and nothing is stored`, async ({
		page
	}) => {
		const folder = writeModelFolder(work, 'Broken-q4f32_1-MLC');
		broken.spoil(folder.dir);
		await openApp(page, '/models/');
		await importFolder(page, folder.dir);
		const error = page.getByTestId('import-error');
		await expect(error).toHaveAttribute('data-error-code', broken.code);
		await expect(error).toContainText(broken.text);
		await expect(error).toContainText('Nothing was stored.');
		expect(await storedKeys(page)).toEqual([]);
		expect(await customModelIds(page)).toEqual([]);
		await expect(modelEntry(page, folder.modelId)).toHaveCount(0);
	});
}

test('a folder that holds no model is refused, and nothing is stored', async ({ page }) => {
	const dir = join(work, 'Holiday photos');
	mkdirSync(dir);
	writeFileSync(join(dir, 'beach.jpg'), 'not a model');
	writeFileSync(join(dir, 'notes.txt'), 'hello');
	await openApp(page, '/models/');
	await importFolder(page, dir);
	const error = page.getByTestId('import-error');
	await expect(error).toHaveAttribute('data-error-code', 'not-a-model-folder');
	await expect(error).toContainText('This is not a model folder.');
	expect(await storedKeys(page)).toEqual([]);
	expect(await customModelIds(page)).toEqual([]);
});

test('a downloaded model exported as one file is imported as it is in a fresh browser', async ({
	page,
	browser,
	modelServer
}) => {
	// Two browser profiles and a model moved between them: under a loaded CI machine this outlasts
	// the default 30 s, so it gets the slow budget rather than a flaky failure.
	test.slow();
	// A browser that cannot write files or folders (Firefox, Safari): the export is a download.
	await page.addInitScript(() => {
		delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
		delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
	});
	const model = modelServer.addModel('Export-q4f32_1-MLC');
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	await modelEntry(page, model.modelId).getByRole('button', { name: 'Download' }).click();
	await expect(modelEntry(page, model.modelId).getByTestId('ready-offline')).toBeVisible();
	await expect(page.getByTestId('export-folder')).toHaveCount(0);
	await page.getByTestId('export-select').selectOption(model.modelId);
	const downloading = page.waitForEvent('download');
	await page.getByTestId('export-file').click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe(`${model.modelId}.tar`);
	const archive = join(work, download.suggestedFilename());
	await download.saveAs(archive);
	await expect(page.getByTestId('export-done')).toContainText(`Exported ${model.modelId}`);

	const fresh = await browser.newContext();
	try {
		const other = await fresh.newPage();
		await openApp(other, '/models/');
		await other.waitForLoadState('networkidle');
		await fresh.setOffline(true);
		await other.getByTestId('import-archive-input').setInputFiles(archive);
		await expect(other.getByTestId('import-done')).toContainText(`Imported ${model.modelId}`);
		await expect(modelEntry(other, model.modelId).getByTestId('ready-offline')).toBeVisible();
		// The same model: its own name and addresses, found by WebLLM.
		expect(await customModelAddress(other, model.modelId)).toEqual({
			baseUrl: model.baseUrl,
			libraryUrl: model.libraryUrl,
			modelId: model.modelId
		});
		expect(await webllmHasModel(other, model)).toBe(true);
	} finally {
		await fresh.close();
	}
});

test('a model exported to a folder (File System Access) is imported as it is in a fresh browser', async ({
	page,
	browser,
	modelServer
}) => {
	// Two browser profiles, a download, an export and an import, a second or so each with nothing
	// waited on in vain: on a loaded machine that outlasts the default 30 s (as the one-file export
	// above does), so it gets the slow budget rather than a flaky failure.
	test.slow();
	// The folder picker is a browser dialog: the test answers it with a real folder handle (the
	// origin-private file system), and reads the written files back from there.
	await page.addInitScript(() => {
		Object.assign(window, { showDirectoryPicker: () => navigator.storage.getDirectory() });
	});
	const model = modelServer.addModel('Folder-q4f32_1-MLC');
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	await modelEntry(page, model.modelId).getByRole('button', { name: 'Download' }).click();
	await expect(modelEntry(page, model.modelId).getByTestId('ready-offline')).toBeVisible();
	await page.getByTestId('export-folder').click();
	await expect(page.getByTestId('export-done')).toContainText(`into the folder “${model.modelId}”`);
	const files = await page.evaluate(async (name) => {
		const root = await navigator.storage.getDirectory();
		const dir = await root.getDirectoryHandle(name);
		const out: Array<[string, string]> = [];
		for await (const [file, handle] of dir.entries()) {
			const bytes = new Uint8Array(
				await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()
			);
			let binary = '';
			for (let i = 0; i < bytes.length; i += 0x8000) {
				binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
			}
			out.push([file, btoa(binary)]);
		}
		return out;
	}, model.modelId);
	expect(files.map(([f]) => f).sort()).toEqual(
		[
			'lantern-model.json',
			'mlc-chat-config.json',
			'tensor-cache.json',
			'tokenizer.json',
			'Folder-q4f32_1-MLC.wasm',
			'params_shard_0.bin',
			'params_shard_1.bin',
			'params_shard_2.bin',
			'params_shard_3.bin'
		].sort()
	);
	const dir = join(work, model.modelId);
	mkdirSync(dir);
	for (const [file, base64] of files) writeFileSync(join(dir, file), Buffer.from(base64, 'base64'));

	const fresh = await browser.newContext();
	try {
		const other = await fresh.newPage();
		await openApp(other, '/models/');
		await other.waitForLoadState('networkidle');
		await fresh.setOffline(true);
		await importFolder(other, dir);
		await expect(other.getByTestId('import-done')).toContainText(`Imported ${model.modelId}`);
		expect(await webllmHasModel(other, model)).toBe(true);
	} finally {
		await fresh.close();
	}
});

test('an export cancelled half-way removes what it wrote and says so', async ({
	page,
	modelServer
}) => {
	// The folder picker answers with the origin-private file system, slowed down per file so that
	// there is time to press Cancel.
	await page.addInitScript(() => {
		const slow = <T extends object>(target: T, method: string): T =>
			new Proxy(target, {
				get(t, key) {
					const value = Reflect.get(t, key) as unknown;
					if (typeof value !== 'function') return value;
					if (key !== method) return value.bind(t);
					return async (...args: unknown[]) => {
						await new Promise((resolve) => setTimeout(resolve, 400));
						return (value as (...a: unknown[]) => unknown).apply(t, args);
					};
				}
			});
		Object.assign(window, {
			showDirectoryPicker: async () => {
				const root = await navigator.storage.getDirectory();
				return new Proxy(root, {
					get(t, key) {
						if (key === 'getDirectoryHandle') {
							return async (name: string, options: FileSystemGetDirectoryOptions) =>
								slow(await t.getDirectoryHandle(name, options), 'getFileHandle');
						}
						const value = Reflect.get(t, key) as unknown;
						return typeof value === 'function' ? value.bind(t) : value;
					}
				});
			}
		});
	});
	const model = modelServer.addModel('Cancel-q4f32_1-MLC');
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	await modelEntry(page, model.modelId).getByRole('button', { name: 'Download' }).click();
	await expect(modelEntry(page, model.modelId).getByTestId('ready-offline')).toBeVisible();
	await page.getByTestId('export-folder').click();
	await expect(page.getByTestId('export-progress')).toBeVisible();
	await page.getByTestId('export-cancel').click();
	const error = page.getByTestId('export-error');
	await expect(error).toHaveAttribute('data-error-code', 'aborted');
	await expect(error).toContainText('Export cancelled.');
	await expect(error).toContainText('What was written was removed.');
	const left = await page.evaluate(async () => {
		const names: string[] = [];
		for await (const name of (await navigator.storage.getDirectory()).keys()) names.push(name);
		return names;
	});
	expect(left).toEqual([]);
	// The model itself is untouched.
	await expect(modelEntry(page, model.modelId).getByTestId('ready-offline')).toBeVisible();
});

test('a custom embedding model added by URL is recorded as one, from its config', async ({
	page,
	modelServer
}) => {
	const model = modelServer.addModel('Arctic-embed-q0f32-MLC', { modelType: 'bert' });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await expect(entry).toContainText('Embedding');
	const listed = page.locator(`[data-testid="custom-model"][data-model-id="${model.modelId}"]`);
	await expect(listed.getByTestId('custom-kind-of')).toContainText('Embedding');
	// Remembered: after a reload too, and never offered for chat.
	await page.reload();
	await expect(modelEntry(page, model.modelId)).toContainText('Embedding');
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await expect(page.getByTestId('model-select')).toBeVisible();
	await expect(
		page.getByTestId('model-select').locator(`option[value="${model.modelId}"]`)
	).toHaveCount(0);
});

test('the files of a catalog model are stored as that catalog model, which is then simply downloaded', async ({
	page,
	context
}) => {
	const webllm = await import('@mlc-ai/web-llm');
	const record = webllm.prebuiltAppConfig.model_list.find(
		(r) => r.model_id === 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'
	);
	if (!record) throw new Error('the pinned catalog has no Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
	// A folder as cloned from its Hugging Face repository, with its library under its own name.
	const repository = record.model.split('/').filter(Boolean).at(-1) ?? '';
	const folder = writeModelFolder(work, repository);
	const libraryName = record.model_lib.split('/').at(-1) ?? '';
	writeFileSync(join(folder.dir, libraryName), readFileSync(folder.libraryPath));
	unlinkSync(folder.libraryPath);

	await openApp(page, '/models/');
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);
	await importFolder(page, folder.dir);
	await expect(page.getByTestId('import-done')).toContainText(
		`Imported ${record.model_id} (3.7 MB): the catalog model is now downloaded and ready offline.`
	);
	const entry = modelEntry(page, record.model_id);
	await expect(entry.getByTestId('ready-offline')).toBeVisible();
	await expect(entry).not.toContainText('Custom');
	expect(await customModelIds(page)).toEqual([]);
	expect(
		await webllmHasModel(page, {
			baseUrl: record.model,
			libraryUrl: record.model_lib,
			modelId: record.model_id
		})
	).toBe(true);
	// Stored under the catalog's own addresses, the library included.
	const keys = await storedKeys(page);
	expect(keys).toContain(`webllm/wasm ${record.model_lib}`);
	expect(keys).toContain(`webllm/config ${record.model}/resolve/main/mlc-chat-config.json`);
});

test('an exported archive dropped on the import box is imported', async ({ page }) => {
	const folder = writeModelFolder(work, 'Dropped-q4f32_1-MLC');
	const { tarEnd, tarHeader, tarPadding } = await import('../../src/lib/models/tar');
	const parts: Uint8Array[] = [];
	for (const name of readdirSync(folder.dir)) {
		const data = readFileSync(join(folder.dir, name));
		parts.push(
			tarHeader(`${folder.modelId}/${name}`, data.byteLength),
			data,
			tarPadding(data.byteLength)
		);
	}
	parts.push(tarEnd());
	const archive = Buffer.concat(parts).toString('base64');
	await openApp(page, '/models/');
	const dataTransfer = await page.evaluateHandle((base64) => {
		const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
		const transfer = new DataTransfer();
		transfer.items.add(new File([bytes], 'Dropped.tar', { type: 'application/x-tar' }));
		return transfer;
	}, archive);
	await page.getByTestId('import-model').dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('import-done')).toContainText('Imported Dropped-q4f32_1-MLC');
	await expect(modelEntry(page, folder.modelId).getByTestId('ready-offline')).toBeVisible();
});
