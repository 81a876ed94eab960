// The shard store worker: writes whole, checked shards into WebLLM's IndexedDB caches, one message
// per shard, off the page's main thread. IndexedDB copies a value while `put` is called (measured
// here: 60-120 ms for a 32 MiB shard on a busy machine); on the page that copy held up the
// messages that start the next fetches, so connections sat idle after every shard. Separate from
// shards.worker.ts so that the copy never holds up the reading and hashing there either.
import { toDownloadError } from './errors';
import type { StoreMessage, StoreReply } from './shardProtocol';
import { ArtifactStore } from './store';

const scope = self as unknown as {
	postMessage(reply: StoreReply): void;
	onmessage: ((event: MessageEvent<StoreMessage>) => void) | null;
};

const store = new ArtifactStore();

scope.onmessage = ({ data }) => {
	if (data.kind === 'open') {
		// A failed open shows again, worded, on the first write.
		void store.prepare(data.db).catch(() => undefined);
		return;
	}
	const { id, db, url, body } = data;
	store.put(db, url, body).then(
		() => scope.postMessage({ kind: 'stored', id }),
		(error: unknown) => {
			const failure = toDownloadError(error, 'storage', url);
			scope.postMessage({ kind: 'failed', id, code: failure.code, detail: failure.detail });
		}
	);
};
scope.postMessage({ kind: 'ready' });
