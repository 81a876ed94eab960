// Page side of the documents worker: one read at a time, its passages handed over in batches as
// they arrive. The worker starts on first use; cancelling a read ends the worker (a PDF parse
// cannot be interrupted otherwise), and the next read starts a fresh one.
import { ReadError, ReaderStoppedError } from './errors';
import type { ReaderRequest, ReaderResponse } from './readerProtocol';
import type { DocumentKind, PassageDraft } from './types';

export interface ReadHandlers {
	/** PDFs: pages read so far. */
	onProgress?: (done: number, total: number) => void;
	/** The next passages, in order; the read waits for the returned promise before it ends. */
	onPassages: (passages: PassageDraft[]) => Promise<void>;
	signal?: AbortSignal;
}

export interface ReadSummary {
	pages: number | null;
	count: number;
}

export class DocumentReader {
	#createWorker: () => Worker;
	#worker: Worker | null = null;
	#nextId = 1;

	constructor(createWorker: () => Worker) {
		this.#createWorker = createWorker;
	}

	read(file: Blob, kind: DocumentKind, handlers: ReadHandlers): Promise<ReadSummary> {
		const { signal } = handlers;
		if (signal?.aborted) return Promise.reject(new DOMException('cancelled', 'AbortError'));
		const worker = (this.#worker ??= this.#createWorker());
		const id = this.#nextId++;
		return new Promise<ReadSummary>((resolve, reject) => {
			// Writes of earlier batches finish before the read is reported done.
			let written: Promise<void> = Promise.resolve();
			const finish = (settle: () => void) => {
				worker.removeEventListener('message', onMessage);
				worker.removeEventListener('error', onError);
				signal?.removeEventListener('abort', onAbort);
				settle();
			};
			const onMessage = (event: MessageEvent<ReaderResponse>) => {
				const response = event.data;
				if (response.id !== id) return;
				if (response.kind === 'progress') handlers.onProgress?.(response.done, response.total);
				else if (response.kind === 'passages') {
					written = written.then(() => handlers.onPassages(response.passages));
				} else if (response.kind === 'done') {
					const summary = { pages: response.pages, count: response.count };
					written.then(
						() => finish(() => resolve(summary)),
						(error: unknown) => finish(() => reject(error))
					);
				} else finish(() => reject(new ReadError(response.code, response.detail)));
			};
			const onError = (event: ErrorEvent) => {
				event.preventDefault();
				this.#stop(worker);
				finish(() => reject(new ReaderStoppedError(event.message || 'the worker did not start')));
			};
			const onAbort = () => {
				this.#stop(worker);
				finish(() => reject(new DOMException('cancelled', 'AbortError')));
			};
			worker.addEventListener('message', onMessage);
			worker.addEventListener('error', onError);
			signal?.addEventListener('abort', onAbort);
			worker.postMessage({ kind: 'read', id, file, docKind: kind } satisfies ReaderRequest);
		});
	}

	#stop(worker: Worker) {
		worker.terminate();
		if (this.#worker === worker) this.#worker = null;
	}
}

/** The production reader: documents.worker.ts, bundled by Vite as its own chunk. */
export function createDocumentReader(): DocumentReader {
	return new DocumentReader(
		() => new Worker(new URL('./documents.worker.ts', import.meta.url), { type: 'module' })
	);
}
