// Documents in the backup: files, collections and attachments go out and come back; passages and
// vectors are made again (restored documents are read anew); an old backup without documents still
// restores; a damaged documents part refuses the whole file.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '$lib/documents/backup';
import { DocumentRepository, passageId } from '$lib/documents/repository';
import type { StoredDocument } from '$lib/documents/types';
import { BackupRepository } from '$lib/storage/backup';
import { connect } from '$lib/storage/db';
import { BackupError } from '$lib/storage/errors';

let count = 0;
const fresh = () => connect(`backup-documents-${++count}`);
const quiet = { notify: () => undefined };

const BYTES = new Uint8Array([37, 80, 68, 70, 0, 255, 128, 10, 1, 2, 3]);

function documentRecord(id: string): StoredDocument {
	return {
		id,
		name: 'report.pdf',
		kind: 'pdf',
		type: 'application/pdf',
		size: BYTES.length,
		pages: 3,
		file: new Blob([BYTES], { type: 'application/pdf' }),
		status: 'ready',
		passages: 1,
		embedded: 1,
		embeddingModel: 'embed',
		indexBytes: 100,
		collectionIds: ['c1'],
		createdAt: 5,
		updatedAt: 6
	};
}

async function seed() {
	const db = fresh();
	const documents = new DocumentRepository(db);
	await documents.putDocument(documentRecord('d1'));
	await documents.addPassages([
		{
			id: passageId('d1', 0),
			documentId: 'd1',
			index: 0,
			text: 'The launch code is 7419.',
			page: 1,
			headings: [],
			line: null,
			vector: new Float32Array([1, 0]),
			model: 'embed'
		}
	]);
	await documents.putCollection({ id: 'c1', name: 'Projects', createdAt: 1, updatedAt: 1 });
	await documents.putAttachment({
		conversationId: 'conv-1',
		documentIds: ['d1'],
		collectionIds: ['c1'],
		updatedAt: 7
	});
	return { db, documents };
}

describe('documents in the backup', () => {
	it('base64 round-trips every byte value', () => {
		const all = new Uint8Array(70_000).map((_, i) => i % 256);
		expect(fromBase64(toBase64(all))).toEqual(all);
		expect(fromBase64('not base64!')).toBeNull();
	});

	it('files, collections and attachments come back; the restored document is read and indexed again', async () => {
		const { db } = await seed();
		const backup = await new BackupRepository(db, quiet).exportAll();
		expect(backup.documents?.documents).toHaveLength(1);
		expect(backup.documents?.documents[0]).not.toHaveProperty('file');
		const text = JSON.stringify(backup);
		// Passages and vectors are not in the file.
		expect(text).not.toContain('7419');

		const otherDb = fresh();
		const summary = await new BackupRepository(otherDb, quiet).importBackup(text);
		expect(summary.documents).toBe(1);
		const restored = new DocumentRepository(otherDb);
		const document = await restored.getDocument('d1');
		expect(document).toMatchObject({
			id: 'd1',
			name: 'report.pdf',
			kind: 'pdf',
			size: BYTES.length,
			status: 'reading',
			passages: 0,
			collectionIds: ['c1']
		});
		expect(new Uint8Array(await (document?.file ?? new Blob()).arrayBuffer())).toEqual(BYTES);
		expect(await restored.listCollections()).toEqual([
			{ id: 'c1', name: 'Projects', createdAt: 1, updatedAt: 1 }
		]);
		expect(await restored.getAttachment('conv-1')).toEqual({
			conversationId: 'conv-1',
			documentIds: ['d1'],
			collectionIds: ['c1'],
			updatedAt: 7
		});
	});

	it('restoring over a stored document replaces it and clears its old passages', async () => {
		const { db, documents } = await seed();
		const text = JSON.stringify(await new BackupRepository(db, quiet).exportAll());
		await new BackupRepository(db, quiet).importBackup(text);
		expect(await documents.countPassages('d1')).toBe(0);
		expect((await documents.getDocument('d1'))?.status).toBe('reading');
	});

	it('a backup made before documents existed restores, and stored documents are kept', async () => {
		const { db, documents } = await seed();
		const old = {
			format: 'lantern-backup',
			version: 1,
			exportedAt: '',
			conversations: [],
			messages: [],
			presets: [],
			settings: []
		};
		const summary = await new BackupRepository(db, quiet).importBackup(JSON.stringify(old));
		expect(summary.documents).toBe(0);
		expect((await documents.getDocument('d1'))?.status).toBe('ready');
	});

	it('a damaged documents part refuses the whole file, and nothing changes', async () => {
		const { db } = await seed();
		const backup = await new BackupRepository(db, quiet).exportAll();
		const damaged = structuredClone(backup);
		const first = damaged.documents?.documents[0];
		if (first) first.size = 999;
		const otherDb = fresh();
		const error = await new BackupRepository(otherDb, quiet)
			.importBackup(JSON.stringify(damaged))
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect((error as BackupError).code).toBe('malformed');
		expect(await new DocumentRepository(otherDb).listDocuments()).toEqual([]);
	});
});
