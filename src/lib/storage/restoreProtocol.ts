// Messages between the page (restoreWorker.ts) and the restore worker (restore.worker.ts), and the
// typed errors they carry back.
import { BackupRepository, type ImportSummary } from './backup';
import type { Connection } from './db';
import { BackupError, StorageError, type BackupErrorCode, type StorageErrorCode } from './errors';

export type RestoreRequest = { kind: 'restore'; file: Blob };

export type RestoreResponse =
	| { kind: 'done'; summary: ImportSummary }
	| { kind: 'backup-error'; code: BackupErrorCode; issues: string[] }
	| { kind: 'storage-error'; code: StorageErrorCode; detail: string }
	/** Anything else: a fault of this version, reported as it was thrown. */
	| { kind: 'failed'; detail: string };

/** What the worker sends for an error thrown while restoring. */
export function restoreFailure(error: unknown): RestoreResponse {
	if (error instanceof BackupError)
		return { kind: 'backup-error', code: error.code, issues: [...error.issues] };
	if (error instanceof StorageError)
		return { kind: 'storage-error', code: error.code, detail: error.detail };
	return {
		kind: 'failed',
		detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error)
	};
}

/** The worker's work: restores `file` over `connection`, and says how it went. */
export async function restoreAnswer(file: Blob, connection: Connection): Promise<RestoreResponse> {
	try {
		// The page tells the other tabs once the worker has answered.
		const repository = new BackupRepository(connection, { notify: () => undefined });
		return { kind: 'done', summary: await repository.importBackup(await file.text()) };
	} catch (error) {
		return restoreFailure(error);
	}
}

/** The summary of a finished restore; throws the typed error the worker reported. */
export function restoreResult(response: RestoreResponse): ImportSummary {
	switch (response.kind) {
		case 'done':
			return response.summary;
		case 'backup-error':
			throw new BackupError(response.code, response.issues);
		case 'storage-error':
			throw new StorageError(response.code, response.detail);
		case 'failed':
			throw new Error(`The restore failed: ${response.detail}`);
	}
}
