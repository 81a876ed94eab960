// How a tab learns that the engine's host ended when nothing tells it so. A worker that is stopped
// by the browser, closes itself, or lives in a tab that was closed fires no event in the other
// tabs. A Web Lock, though, is released when the context holding it ends, whatever the reason: the
// host takes a lock with a unique name when it starts and never lets go; each tab then asks for the
// same lock, and is granted it only once the host is gone. The host watches the tabs the same way
// (each tab holds `names.tab(client)`). Without Web Locks (an insecure context) nothing is watched.

const locksOf = () => (typeof navigator === 'undefined' ? undefined : navigator.locks);

/** Takes a lock with a unique name until this context ends; resolves with its name once held. */
export function holdLifeline(prefix: string): Promise<string> {
	const name = `${prefix}-${crypto.randomUUID()}`;
	const locks = locksOf();
	if (!locks) return Promise.resolve(name);
	return new Promise((resolve) => {
		void locks.request(name, () => {
			// Announced only once held, so a watcher's request is sure to queue behind this one.
			resolve(name);
			return new Promise<never>(() => undefined);
		});
	});
}

/** Holds the lock `name` until `release` is called (or this context ends). */
export function holdLock(name: string): Promise<() => void> {
	const locks = locksOf();
	if (!locks) return Promise.resolve(() => undefined);
	return new Promise((resolve) => {
		void locks.request(name, () => new Promise<void>((release) => resolve(release)));
	});
}

/** Calls `onEnd` once whoever holds `lock` has ended (or let go). */
export function watchLifeline(lock: string, onEnd: () => void) {
	const locks = locksOf();
	if (!locks || !lock) return;
	void locks.request(lock, () => onEnd());
}
