// A 1 GB model through files: imported from a folder, then exported to a folder, with the page's
// memory measured all along (V8's heap plus ArrayBuffer backing stores, through the DevTools
// protocol). Shards must stream from disk to storage and back, a few at a time, never the whole
// model in memory. A real browser profile on disk, so IndexedDB and the exported folder are on
// disk as for a user (a test context keeps them in memory). The files are written to a temp
// directory and removed afterwards.
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customModelAddress, expect, test, webllmHasModel, writeModelFolder } from './fixtures';

const MIB = 1024 * 1024;
const SHARDS = 32;
const SHARD_BYTES = 32 * MIB;
/** "Far below the model's size": a few shards' worth. */
const HEAP_LIMIT = 320 * MIB;

test('a 1 GB model is imported and exported with the page’s memory far below its size', async ({
	launchOptions,
	baseURL
}) => {
	test.setTimeout(10 * 60_000);
	const work = mkdtempSync(join(tmpdir(), 'lantern-large-'));
	const context = await chromium.launchPersistentContext(join(work, 'profile'), {
		executablePath: launchOptions.executablePath,
		args: launchOptions.args,
		serviceWorkers: 'block',
		baseURL
	});
	try {
		const folder = writeModelFolder(work, 'Large-q4f32_1-MLC', {
			shardSizes: Array.from({ length: SHARDS }, () => SHARD_BYTES)
		});
		const page = context.pages()[0] ?? (await context.newPage());
		// The folder picker answers with the origin-private file system (a real folder handle).
		await page.addInitScript(() => {
			Object.assign(window, { showDirectoryPicker: () => navigator.storage.getDirectory() });
		});
		await page.goto('/models/');
		await expect(page.locator('html[data-hydrated]')).toBeAttached();
		await page.waitForLoadState('networkidle');

		const cdp = await context.newCDPSession(page);
		const heap = async () => {
			const usage = (await cdp.send('Runtime.getHeapUsage')) as {
				usedSize: number;
				backingStorageSize?: number;
			};
			return usage.usedSize + (usage.backingStorageSize ?? 0);
		};
		await cdp.send('HeapProfiler.collectGarbage');
		const before = await heap();
		let peak = before;
		let sampling = true;
		const sampler = (async () => {
			while (sampling) {
				peak = Math.max(peak, await heap().catch(() => 0));
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		})();

		const started = Date.now();
		await page.getByTestId('import-folder-input').setInputFiles(folder.dir);
		await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 5 * 60_000 });
		const importSeconds = (Date.now() - started) / 1000;
		const importPeak = peak;

		// Each phase is measured from a collected heap (what the last one left is not its cost).
		await cdp.send('HeapProfiler.collectGarbage');
		peak = await heap();
		const exportStart = Date.now();
		await page.getByTestId('export-select').selectOption(folder.modelId);
		await page.getByTestId('export-folder').click();
		await expect(page.getByTestId('export-done')).toBeVisible({ timeout: 5 * 60_000 });
		const exportSeconds = (Date.now() - exportStart) / 1000;
		sampling = false;
		await sampler;
		const exportPeak = peak;

		const written = await page.evaluate(async (name) => {
			const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name);
			let bytes = 0;
			for await (const handle of dir.values()) {
				bytes += (await (handle as FileSystemFileHandle).getFile()).size;
			}
			return bytes;
		}, folder.modelId);
		// WebLLM's own look-up reads every shard: last, outside the measurements.
		expect(await webllmHasModel(page, await customModelAddress(page, folder.modelId))).toBe(true);
		const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
		console.log(
			`1 GB model (${mb(folder.totalBytes)}): import ${importSeconds.toFixed(1)} s (${mb(folder.totalBytes / importSeconds)}/s), peak heap ${mb(importPeak)}; export ${exportSeconds.toFixed(1)} s, peak heap ${mb(exportPeak)}; heap before ${mb(before)}`
		);
		expect(written).toBeGreaterThan(folder.totalBytes);
		expect(importPeak).toBeLessThan(HEAP_LIMIT);
		expect(exportPeak).toBeLessThan(HEAP_LIMIT);
	} finally {
		await context.close();
		rmSync(work, { recursive: true, force: true });
	}
});
