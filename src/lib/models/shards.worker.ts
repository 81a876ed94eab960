// The shards worker: fetches weight shards and hashes them off the page's main thread (see
// shardFetch.ts for why), each body handed to the page whole, without a copy. It holds nothing
// between requests but the ones in flight.
import { failureReply, ShardFetches } from './shardFetch';
import { progressBatches, type ShardMessage, type ShardReply } from './shardProtocol';

const scope = self as unknown as {
	postMessage(reply: ShardReply, transfer?: Transferable[]): void;
	onmessage: ((event: MessageEvent<ShardMessage>) => void) | null;
};

const inFlight = new Map<number, AbortController>();
const shards = new ShardFetches((url, init) => fetch(url, init));

async function fetchOne(id: number, request: Extract<ShardMessage, { kind: 'fetch' }>) {
	const controller = new AbortController();
	inFlight.set(id, controller);
	const progress = progressBatches((n) => scope.postMessage({ kind: 'bytes', id, n }));
	try {
		const { body, md5 } = await shards.fetch(request, {
			signal: controller.signal,
			onBytes: progress.add,
			onFree: () => scope.postMessage({ kind: 'free', id })
		});
		progress.flush();
		scope.postMessage({ kind: 'done', id, body, md5 }, [body]);
	} catch (error) {
		progress.flush();
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
