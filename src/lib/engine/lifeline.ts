// How the page learns that its engine worker died when nothing tells it so. A dedicated worker
// that is stopped by the browser or closes itself fires no event on the page. A Web Lock, though,
// is released when the context holding it ends, whatever the reason: the worker takes a lock with
// a unique name when it starts and never lets go; the page then asks for the same lock, and is
// granted it only once the worker is gone. Without Web Locks (an insecure context) nothing is
// watched, and only the worker's 'error' event reveals a crash.
import type { Response } from './protocol';

/** Worker side: holds a lock until this worker ends, then tells the page its name. */
export function holdLifeline(post: (response: Response) => void) {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return;
	const lock = `lantern-engine-worker-${crypto.randomUUID()}`;
	void locks.request(lock, () => {
		// Announced only once held, so the page's request is sure to queue behind this one.
		post({ kind: 'alive', id: 0, lock });
		return new Promise<never>(() => undefined);
	});
}

/** Page side: calls `onEnd` once the worker holding `lock` has ended. */
export function watchLifeline(lock: string, onEnd: () => void) {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return;
	void locks.request(lock, () => onEnd());
}
