// The documents worker: reads a file into passages off the main thread (extraction, PDF parsing,
// splitting), and sends them to the page in batches. It holds nothing between requests.
import { ReadError } from './errors';
import { readDocument } from './read';
import { PASSAGE_BATCH, type ReaderRequest, type ReaderResponse } from './readerProtocol';

const scope = self as unknown as {
	postMessage(response: ReaderResponse): void;
	onmessage: ((event: MessageEvent<ReaderRequest>) => void) | null;
};

async function read({ id, file, docKind }: ReaderRequest) {
	const post = (response: ReaderResponse) => scope.postMessage(response);
	try {
		const bytes = new Uint8Array(await file.arrayBuffer());
		const { pages, passages } = await readDocument(bytes, docKind, (done, total) =>
			post({ kind: 'progress', id, done, total })
		);
		for (let i = 0; i < passages.length; i += PASSAGE_BATCH) {
			post({ kind: 'passages', id, passages: passages.slice(i, i + PASSAGE_BATCH) });
		}
		post({ kind: 'done', id, pages, count: passages.length });
	} catch (error) {
		const code = error instanceof ReadError ? error.code : 'unreadable';
		const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		post({ kind: 'error', id, code, detail });
	}
}

scope.onmessage = (event) => void read(event.data);
