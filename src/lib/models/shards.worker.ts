// The shards worker: fetches weight shards and hashes them off the page's main thread (see
// shardFetch.ts for why), each body handed to the page whole, without a copy. It holds nothing
// between requests but the ones in flight.
import { failureReply, ShardFetches } from './shardFetch';
import {
	PROGRESS_BATCH_BYTES,
	PROGRESS_BATCH_MS,
	type ShardMessage,
	type ShardReply
} from './shardProtocol';

const scope = self as unknown as {
	postMessage(reply: ShardReply, transfer?: Transferable[]): void;
	onmessage: ((event: MessageEvent<ShardMessage>) => void) | null;
};

const inFlight = new Map<number, AbortController>();
const shards = new ShardFetches((url, init) => fetch(url, init));

async function fetchOne(id: number, request: Extract<ShardMessage, { kind: 'fetch' }>) {
	const controller = new AbortController();
	inFlight.set(id, controller);
	let unreported = 0;
	let reportedAt = performance.now();
	const flush = () => {
		if (unreported > 0) scope.postMessage({ kind: 'bytes', id, n: unreported });
		unreported = 0;
		reportedAt = performance.now();
	};
	try {
		const { body, md5 } = await shards.fetch(request, {
			signal: controller.signal,
			onBytes: (n) => {
				unreported += n;
				if (
					unreported >= PROGRESS_BATCH_BYTES ||
					performance.now() - reportedAt >= PROGRESS_BATCH_MS
				) {
					flush();
				}
			},
			onFree: () => scope.postMessage({ kind: 'free', id })
		});
		flush();
		scope.postMessage({ kind: 'done', id, body, md5 }, [body]);
	} catch (error) {
		flush();
		scope.postMessage(failureReply(id, error, request.url));
	} finally {
		inFlight.delete(id);
	}
}

async function helpOne(id: number) {
	const helped = await shards.help().catch(() => false);
	scope.postMessage({ kind: 'helped', id, helped });
}

scope.onmessage = ({ data }) => {
	if (data.kind === 'cancel') inFlight.get(data.id)?.abort();
	else if (data.kind === 'prepare') shards.prepare();
	else if (data.kind === 'help') void helpOne(data.id);
	else void fetchOne(data.id, data);
};
