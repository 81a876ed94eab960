// The page's side of the restore worker: one worker per restore, ended when it answers.
import type { ImportSummary } from './backup';
import { restoreResult, type RestoreRequest, type RestoreResponse } from './restoreProtocol';

/**
 * Restores a backup file in a worker of its own; throws BackupError or StorageError like
 * importBackup. A worker that cannot start (an error before any answer) hands the file to `here`,
 * which restores it on the page: slower to the eye, but the backup still comes back.
 */
export function restoreInWorker(
	file: Blob,
	here: (file: Blob) => Promise<ImportSummary>,
	create: () => Worker = () =>
		new Worker(new URL('./restore.worker.ts', import.meta.url), { type: 'module' })
): Promise<ImportSummary> {
	const worker = create();
	return new Promise<ImportSummary>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<RestoreResponse>) => {
			try {
				resolve(restoreResult(event.data));
			} catch (error) {
				reject(error);
			}
		};
		worker.onerror = () => {
			worker.terminate();
			resolve(here(file));
		};
		worker.postMessage({ kind: 'restore', file } satisfies RestoreRequest);
	}).finally(() => worker.terminate());
}
