// The restore worker: reads a backup file, parses and checks it, and writes it to the database, all
// off the page's thread. A 100 MB backup takes seconds of reading, parsing and copying; here none of
// it freezes the page. It opens its own connection and closes it when done; the page tells the
// other tabs and reads everything again (BackupRepository.importFile).
import { connect } from './db';
import { restoreAnswer, type RestoreRequest, type RestoreResponse } from './restoreProtocol';

const scope = self as unknown as {
	postMessage(response: RestoreResponse): void;
	onmessage: ((event: MessageEvent<RestoreRequest>) => void) | null;
};

async function restore({ file }: RestoreRequest): Promise<RestoreResponse> {
	const connection = connect();
	try {
		return await restoreAnswer(file, connection);
	} finally {
		await connection()
			.then((db) => db.close())
			.catch(() => undefined);
	}
}

scope.onmessage = (event) => void restore(event.data).then((r) => scope.postMessage(r));
