// The page's side of the restore worker: one worker per restore, ended when it answers.
import type { ImportSummary } from './backup';
import { restoreResult, type RestoreRequest, type RestoreResponse } from './restoreProtocol';

/** Restores a backup file in a worker of its own; throws BackupError or StorageError like importBackup. */
export function restoreInWorker(
	file: Blob,
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
		worker.onerror = (event) =>
			reject(new Error(`The restore failed: ${event.message || 'the worker did not start'}`));
		worker.postMessage({ kind: 'restore', file } satisfies RestoreRequest);
	}).finally(() => worker.terminate());
}
