// The documents' part of a backup (storage/backup.ts writes and restores it with the rest): each
// document's original file (base64, so the backup stays one JSON file), the collections and what
// each conversation has attached. Passages and vectors are not in it: they are made again from the
// files on restore (the indexer reads each restored document as if it had just been added), which
// keeps the backup about as big as the files, and right for whichever embedding model is picked.
//
// Restoring is strict like the rest of the backup: a record that would need repair refuses the
// file. A backup written before documents existed has no part, and restores as before.
import { isRecord, isString, readAll, report, type Issues } from '$lib/storage/validate';
import type { Attachment, Collection, StoredDocument } from './types';
import { readAttachment, readCollection, readDocument } from './validate';

/** A document as a backup keeps it: what the user added, not how far it was indexed. */
export interface BackupDocument {
	id: string;
	name: string;
	kind: StoredDocument['kind'];
	type: string;
	size: number;
	collectionIds: string[];
	createdAt: number;
	updatedAt: number;
	/** The original file, base64. */
	data: string;
}

export interface DocumentsBackup {
	documents: BackupDocument[];
	collections: Collection[];
	attachments: Attachment[];
}

const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += CHUNK)
		binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	return btoa(binary);
}

/** The bytes, or null when `text` is not base64. */
export function fromBase64(text: string): Uint8Array | null {
	try {
		const binary = atob(text);
		const bytes = new Uint8Array(binary.length);
		for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
		return bytes;
	} catch {
		return null;
	}
}

/** The documents' part of a backup, from what is stored (records already validated). */
export async function documentsToBackup(
	documents: readonly StoredDocument[],
	collections: readonly Collection[],
	attachments: readonly Attachment[]
): Promise<DocumentsBackup> {
	const out: BackupDocument[] = [];
	for (const d of documents) {
		out.push({
			id: d.id,
			name: d.name,
			kind: d.kind,
			type: d.type,
			size: d.size,
			collectionIds: d.collectionIds,
			createdAt: d.createdAt,
			updatedAt: d.updatedAt,
			data: toBase64(new Uint8Array(await d.file.arrayBuffer()))
		});
	}
	return { documents: out, collections: [...collections], attachments: [...attachments] };
}

/** A restored document: its file, to be read and indexed again from the start. */
export function restoredDocument(document: BackupDocument, bytes: Uint8Array): StoredDocument {
	return {
		id: document.id,
		name: document.name,
		kind: document.kind,
		type: document.type,
		size: document.size,
		pages: null,
		file: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: document.type }),
		status: 'reading',
		passages: 0,
		embedded: 0,
		embeddingModel: null,
		indexBytes: 0,
		collectionIds: document.collectionIds,
		createdAt: document.createdAt,
		updatedAt: document.updatedAt
	};
}

function readBackupDocument(raw: unknown, path: string, issues: Issues): BackupDocument | null {
	if (!isRecord(raw) || !isString(raw.data)) {
		report(issues, path, 'not a document');
		return null;
	}
	const bytes = fromBase64(raw.data);
	if (!bytes) {
		report(issues, `${path}.data`, 'not base64');
		return null;
	}
	if (raw.size !== bytes.length) report(issues, `${path}.size`, 'does not match the file');
	// The record as it will be stored, checked by the same rules as reading the database.
	const { data: _data, ...rest } = raw;
	const document = readDocument(
		{
			...rest,
			file: new Blob([bytes as Uint8Array<ArrayBuffer>]),
			pages: null,
			status: 'reading',
			passages: 0,
			embedded: 0,
			embeddingModel: null,
			indexBytes: 0
		},
		path,
		issues
	);
	if (!document) return null;
	return {
		id: document.id,
		name: document.name,
		kind: document.kind,
		type: document.type,
		size: document.size,
		collectionIds: document.collectionIds,
		createdAt: document.createdAt,
		updatedAt: document.updatedAt,
		data: raw.data
	};
}

/** The documents' part of a backup file, checked; what is wrong goes to `issues`. */
export function readDocumentsBackup(raw: unknown, path: string, issues: Issues): DocumentsBackup {
	if (!isRecord(raw)) {
		report(issues, path, 'not an object');
		return { documents: [], collections: [], attachments: [] };
	}
	return {
		documents: readAll(raw.documents, readBackupDocument, `${path}.documents`, issues),
		collections: readAll(raw.collections, readCollection, `${path}.collections`, issues),
		attachments: readAll(raw.attachments, readAttachment, `${path}.attachments`, issues)
	};
}
