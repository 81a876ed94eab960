import { describe, expect, it } from 'vitest';
import type { ArtifactRecord } from '$lib/models/artifacts';
import type { DownloadOptions, DownloadResult } from '$lib/models/downloader';
import { DownloadError } from '$lib/models/errors';
import { DownloadQueue, type DownloaderLike, type QueueEntry } from '$lib/models/queue';

const rec = (id: string): ArtifactRecord => ({
	model: `https://huggingface.co/test/${id}`,
	model_id: id,
	model_lib: `https://libs.test/${id}.wasm`
});

/** A downloader whose downloads finish only when the test says so. */
class ScriptedDownloader implements DownloaderLike {
	started: string[] = [];
	#pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();

	download(record: ArtifactRecord, options: DownloadOptions = {}): Promise<DownloadResult> {
		this.started.push(record.model_id);
		options.onProgress?.({
			modelId: record.model_id,
			phase: 'downloading',
			doneBytes: 1,
			totalBytes: 2,
			bytesPerSecond: null,
			etaSeconds: null,
			filesDone: 0,
			filesTotal: 1,
			currentUrl: null
		});
		return new Promise((resolve, reject) => {
			const done = { modelId: record.model_id, fetchedFiles: 1, fetchedBytes: 2, totalBytes: 2 };
			this.#pending.set(record.model_id, { resolve: () => resolve(done), reject });
			options.signal?.addEventListener('abort', () =>
				reject(new DownloadError('aborted', 'cancelled'))
			);
		});
	}

	finish(id: string) {
		this.#pending.get(id)?.resolve();
	}

	fail(id: string, error: unknown) {
		this.#pending.get(id)?.reject(error);
	}
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const states = (q: DownloadQueue) => q.entries.map((e) => `${e.record.model_id}:${e.state}`);

describe('DownloadQueue', () => {
	it('downloads one model at a time, in order', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		q.enqueue(rec('a'));
		q.enqueue(rec('b'));
		await tick();
		expect(d.started).toEqual(['a']);
		expect(states(q)).toEqual(['a:downloading', 'b:queued']);
		expect(q.entries[0]?.progress?.doneBytes).toBe(1);
		d.finish('a');
		await tick();
		expect(d.started).toEqual(['a', 'b']);
		d.finish('b');
		await q.idle();
		expect(states(q)).toEqual(['a:done', 'b:done']);
	});

	it('ignores a model that is already queued or downloading', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		q.enqueue(rec('a'));
		q.enqueue(rec('a'));
		await tick();
		q.enqueue(rec('a'));
		expect(q.entries).toHaveLength(1);
		d.finish('a');
		await q.idle();
		expect(d.started).toEqual(['a']);
	});

	it('cancels the running download and unqueues a waiting one', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		q.enqueue(rec('a'));
		q.enqueue(rec('b'));
		q.enqueue(rec('c'));
		await tick();
		q.cancel('b');
		q.cancel('a');
		await tick();
		expect(d.started).toEqual(['a', 'c']);
		d.finish('c');
		await q.idle();
		expect(states(q)).toEqual(['a:cancelled', 'b:cancelled', 'c:done']);
	});

	it('keeps a failure with its typed error, and can be retried', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		q.enqueue(rec('a'));
		await tick();
		d.fail('a', new DownloadError('size-mismatch', 'short', 'https://x/0.bin'));
		await q.idle();
		expect(q.entries[0]?.state).toBe('failed');
		expect(q.entries[0]?.error?.code).toBe('size-mismatch');
		q.enqueue(rec('a'));
		await tick();
		expect(states(q)).toEqual(['a:downloading']);
		d.finish('a');
		await q.idle();
		expect(q.entries[0]?.error).toBeNull();
	});

	it('turns an unexpected error into a typed one', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		q.enqueue(rec('a'));
		await tick();
		d.fail('a', new TypeError('boom'));
		await q.idle();
		expect(q.entries[0]?.error).toBeInstanceOf(DownloadError);
	});

	it('tells subscribers about every change, and stops when unsubscribed', async () => {
		const d = new ScriptedDownloader();
		const q = new DownloadQueue(d);
		const seen: Array<readonly QueueEntry[]> = [];
		const unsubscribe = q.subscribe((e) => seen.push(e));
		expect(seen).toEqual([[]]);
		q.enqueue(rec('a'));
		await tick();
		d.finish('a');
		await q.idle();
		expect(seen.at(-1)?.[0]?.state).toBe('done');
		const count = seen.length;
		unsubscribe();
		q.clearFinished();
		expect(seen).toHaveLength(count);
		expect(q.entries).toEqual([]);
	});
});
