// Files from the system: "Open with Lantern" on a document. The installed app is registered as a
// handler for the document types it reads (the manifest's `file_handlers`, vite.config.ts); the
// browser then opens the app and hands the files over through `window.launchQueue`, straight from
// the disk: nothing is uploaded. The chat page attaches them to a new conversation.

/** A launched file's handle, as the File Handling API gives it (only what is used here). */
export interface LaunchedFile {
	getFile(): Promise<File>;
}

export interface LaunchParams {
	files: readonly LaunchedFile[];
}

/** `window.launchQueue` (Chromium, installed apps only). */
export interface LaunchQueue {
	setConsumer(consumer: (params: LaunchParams) => void): void;
}

/** The page's launch queue, where the browser has one. */
export function launchQueueOf(target: object): LaunchQueue | null {
	const queue = (target as { launchQueue?: unknown }).launchQueue;
	return typeof queue === 'object' && queue !== null && 'setConsumer' in queue
		? (queue as LaunchQueue)
		: null;
}

/**
 * Hands every launch's files to `onfiles` (a file that cannot be read, for example deleted
 * meanwhile, is left out; a launch without files, such as opening the app, is ignored).
 * Returns false when there is no launch queue.
 */
export function receiveLaunches(
	queue: LaunchQueue | null,
	onfiles: (files: File[]) => Promise<void> | void
): boolean {
	if (!queue) return false;
	queue.setConsumer((params) => {
		void (async () => {
			const read = await Promise.allSettled(params.files.map((handle) => handle.getFile()));
			const files = read.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
			if (files.length > 0) await onfiles(files);
		})();
	});
	return true;
}
