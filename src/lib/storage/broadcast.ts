// Cross-tab consistency: after each write the repository posts what changed on the
// BroadcastChannel 'lantern-db', and other tabs reload what they show. A channel does not receive its
// own messages, so the tab that wrote is not told (it already knows). Where BroadcastChannel does not
// exist (prerendering), notifying does nothing.

export type ChangeKind = 'conversation' | 'messages' | 'preset' | 'setting' | 'all';

/**
 * - `conversation`: created, renamed, updated or deleted; `id` is the conversation's.
 * - `messages`: a message of the conversation `id` was added or changed.
 * - `preset` / `setting`: `id` is the preset's id / the setting's key.
 * - `all`: a backup was imported; reload everything (`id` is null).
 */
export interface ChangeEvent {
	kind: ChangeKind;
	id: string | null;
}

export type Notify = (kind: ChangeKind, id: string | null) => void;

export interface ChangeChannel {
	notify: Notify;
	/** Calls `listener` for each change another tab makes; returns the unsubscribe function. */
	subscribe(listener: (event: ChangeEvent) => void): () => void;
	close(): void;
}

const KINDS: readonly string[] = ['conversation', 'messages', 'preset', 'setting', 'all'];

function isChangeEvent(x: unknown): x is ChangeEvent {
	if (typeof x !== 'object' || x === null) return false;
	const { kind, id } = x as Record<string, unknown>;
	return (
		typeof kind === 'string' && KINDS.includes(kind) && (id === null || typeof id === 'string')
	);
}

export function createChangeChannel(name = 'lantern-db'): ChangeChannel {
	const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
	return {
		notify(kind, id) {
			channel?.postMessage({ kind, id } satisfies ChangeEvent);
		},
		subscribe(listener) {
			if (!channel) return () => {};
			const handle = (event: MessageEvent) => {
				if (isChangeEvent(event.data)) listener(event.data);
			};
			channel.addEventListener('message', handle);
			return () => channel.removeEventListener('message', handle);
		},
		close() {
			channel?.close();
		}
	};
}

let shared: ChangeChannel | null = null;
function sharedChannel() {
	shared ??= createChangeChannel();
	return shared;
}

/** Tells other tabs that something changed. */
export const notifyChanged: Notify = (kind, id) => sharedChannel().notify(kind, id);

/** Listens for changes made in other tabs; returns the unsubscribe function. */
export function onChanged(listener: (event: ChangeEvent) => void): () => void {
	return sharedChannel().subscribe(listener);
}
