import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BackupRepository, type ImportSummary } from '$lib/storage/backup';
import type { ChangeKind } from '$lib/storage/broadcast';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect } from '$lib/storage/db';
import { BackupError, StorageError } from '$lib/storage/errors';
import {
	restoreAnswer,
	restoreFailure,
	type RestoreRequest,
	type RestoreResponse
} from '$lib/storage/restoreProtocol';
import { restoreInWorker } from '$lib/storage/restoreWorker';

let dbCount = 0;

/** The page's own restore, which a worker that started must never fall back to. */
const notHere = (): Promise<ImportSummary> => Promise.reject(new Error('restored on the page'));

/**
 * A worker that does what restore.worker.ts does (`restoreAnswer`), in this process, over fake-indexeddb: its answer
 * goes through structuredClone, as a message does, so what arrives is only what crosses.
 */
class InProcessWorker {
	onmessage: ((event: MessageEvent<RestoreResponse>) => void) | null = null;
	onerror: ((event: ErrorEvent) => void) | null = null;
	terminated = false;
	constructor(
		readonly db: ReturnType<typeof connect>,
		readonly answer?: (request: RestoreRequest) => Promise<RestoreResponse>
	) {}
	postMessage(request: RestoreRequest) {
		const run = this.answer ?? (({ file }: RestoreRequest) => restoreAnswer(file, this.db));
		void run(request).then((response) =>
			this.onmessage?.({ data: structuredClone(response) } as MessageEvent<RestoreResponse>)
		);
	}
	terminate() {
		this.terminated = true;
	}
}

async function backupText(): Promise<string> {
	const db = connect(`lantern-restore-${++dbCount}`);
	const conversations = new ConversationRepository(db, { notify: () => undefined });
	const c = await conversations.create({ title: 'Carried over' });
	await conversations.appendMessage(c.id, { role: 'user', content: 'hello' });
	const backup = await new BackupRepository(db, { notify: () => undefined }).exportAll();
	return JSON.stringify(backup);
}

describe('restoring in a worker', () => {
	it('writes the backup through the worker and ends it', async () => {
		const db = connect(`lantern-restore-${++dbCount}`);
		const worker = new InProcessWorker(db);
		const summary = await restoreInWorker(
			new Blob([await backupText()]),
			notHere,
			() => worker as unknown as Worker
		);
		expect(summary).toMatchObject({ conversations: 1, messages: 1 });
		const restored = await new ConversationRepository(db, { notify: () => undefined }).list();
		expect(restored.map((c) => c.title)).toEqual(['Carried over']);
		expect(worker.terminated).toBe(true);
	});

	it('brings back a refusal as the same BackupError, with its issues, and ends the worker', async () => {
		const db = connect(`lantern-restore-${++dbCount}`);
		const worker = new InProcessWorker(db);
		const damaged = JSON.parse(await backupText());
		damaged.messages[0].role = 'wizard';
		const error = await restoreInWorker(
			new Blob([JSON.stringify(damaged)]),
			notHere,
			() => worker as unknown as Worker
		).catch((e) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect((error as BackupError).code).toBe('malformed');
		expect((error as BackupError).issues).toEqual(['messages[0].role: invalid']);
		expect(worker.terminated).toBe(true);
		expect(await new ConversationRepository(db, { notify: () => undefined }).list()).toEqual([]);
	});

	it('brings back a storage failure as the same StorageError (a full disk stays "quota-exceeded")', async () => {
		const full = Object.assign(new Error('the disk is full'), { name: 'QuotaExceededError' });
		const worker = new InProcessWorker(connect('unused'), async () =>
			restoreFailure(StorageError.from(full))
		);
		const error = await restoreInWorker(
			new Blob(['{}']),
			notHere,
			() => worker as unknown as Worker
		).catch((e) => e);
		expect(error).toBeInstanceOf(StorageError);
		expect((error as StorageError).code).toBe('quota-exceeded');
		expect((error as StorageError).message).toBe('quota-exceeded: the disk is full');
	});

	it('restores on the page when the worker cannot start', async () => {
		const worker = new InProcessWorker(connect('unused'), () => new Promise(() => undefined));
		const here: Blob[] = [];
		const file = new Blob(['{}']);
		const summary = await restoreInWorker(
			file,
			async (f) => {
				here.push(f);
				return { conversations: 1, messages: 0, presets: 0, settings: 0, documents: 0 };
			},
			() => {
				queueMicrotask(() => worker.onerror?.({ message: 'blocked by CSP' } as ErrorEvent));
				return worker as unknown as Worker;
			}
		);
		expect(here).toEqual([file]);
		expect(summary.conversations).toBe(1);
		expect(worker.terminated).toBe(true);
	});
});

describe('BackupRepository.importFile', () => {
	it('tells the other tabs once the file is restored, and not when it is refused', async () => {
		const changes: ChangeKind[] = [];
		let answer: Promise<ImportSummary> = Promise.resolve({
			conversations: 2,
			messages: 3,
			presets: 0,
			settings: 0,
			documents: 0
		});
		const repository = new BackupRepository(connect(`lantern-restore-${++dbCount}`), {
			notify: (kind) => changes.push(kind),
			restoreFile: () => answer
		});
		expect(await repository.importFile(new Blob(['{}']))).toMatchObject({ conversations: 2 });
		expect(changes).toEqual(['all']);
		answer = Promise.reject(new BackupError('not-json'));
		await expect(repository.importFile(new Blob(['{}']))).rejects.toBeInstanceOf(BackupError);
		expect(changes).toEqual(['all']);
	});

	it('reads and restores the file itself when no worker is given', async () => {
		const db = connect(`lantern-restore-${++dbCount}`);
		const repository = new BackupRepository(db, { notify: () => undefined });
		expect(await repository.importFile(new Blob([await backupText()]))).toMatchObject({
			conversations: 1,
			messages: 1
		});
	});
});
