// Guards for documents, passages, collections and attachments read back from IndexedDB (and, in a
// backup, from a file). Lenient by default: a bad field takes its default, a record that cannot
// be used (no id, no file, no text) is skipped. Same pattern as storage/validate.ts.
import {
	field,
	isFiniteNumber,
	isNonEmptyString,
	isRecord,
	isString,
	isStringArray,
	report,
	type Issues
} from '$lib/storage/validate';
import type {
	Attachment,
	Collection,
	DocumentKind,
	DocumentStatus,
	Passage,
	ReadErrorCode,
	StoredDocument
} from './types';

const KINDS = [
	'text',
	'markdown',
	'code',
	'html',
	'pdf'
] as const satisfies readonly DocumentKind[];
const STATUSES = [
	'reading',
	'embedding',
	'ready',
	'failed'
] as const satisfies readonly DocumentStatus[];
const READ_ERRORS = Object.keys({
	unsupported: true,
	empty: true,
	'pdf-no-text': true,
	'pdf-corrupt': true,
	'pdf-encrypted': true,
	unreadable: true
} satisfies Record<ReadErrorCode, true>) as ReadErrorCode[];

const oneOf =
	<T extends string>(values: readonly T[]) =>
	(x: unknown): x is T =>
		typeof x === 'string' && (values as readonly string[]).includes(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isTime = (x: unknown): x is number => isFiniteNumber(x) && x >= 0;
const isPage = (x: unknown): x is number | null =>
	x === null || (Number.isInteger(x) && (x as number) > 0);
const isBlob = (x: unknown): x is Blob => typeof Blob !== 'undefined' && x instanceof Blob;
const isNullableString = (x: unknown): x is string | null => x === null || isString(x);

export function readDocument(
	raw: unknown,
	path = 'document',
	issues: Issues = null
): StoredDocument | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.id) || !isBlob(raw.file)) {
		report(issues, path, 'not a document');
		return null;
	}
	const error = raw.error;
	const document: StoredDocument = {
		id: raw.id,
		name: field(raw, 'name', isNonEmptyString, 'Untitled', path, issues),
		kind: field(raw, 'kind', oneOf(KINDS), 'text', path, issues),
		type: field(raw, 'type', isString, '', path, issues),
		size: field(raw, 'size', isCount, raw.file.size, path, issues),
		pages: field(raw, 'pages', isPage, null, path, issues),
		file: raw.file,
		status: field(raw, 'status', oneOf(STATUSES), 'reading', path, issues),
		passages: field(raw, 'passages', isCount, 0, path, issues),
		embedded: field(raw, 'embedded', isCount, 0, path, issues),
		embeddingModel: field(raw, 'embeddingModel', isNullableString, null, path, issues),
		indexBytes: field(raw, 'indexBytes', isCount, 0, path, issues),
		collectionIds: field(raw, 'collectionIds', isStringArray, [], path, issues),
		createdAt: field(raw, 'createdAt', isTime, 0, path, issues),
		updatedAt: field(raw, 'updatedAt', isTime, 0, path, issues)
	};
	if (error !== undefined) {
		if (oneOf(READ_ERRORS)(error)) document.error = error;
		else report(issues, `${path}.error`, 'invalid');
	}
	return document;
}

export function readPassage(raw: unknown, path = 'passage', issues: Issues = null): Passage | null {
	if (
		!isRecord(raw) ||
		!isNonEmptyString(raw.id) ||
		!isNonEmptyString(raw.documentId) ||
		!isString(raw.text)
	) {
		report(issues, path, 'not a passage');
		return null;
	}
	const vector = raw.vector instanceof Float32Array ? raw.vector : null;
	if (raw.vector !== null && raw.vector !== undefined && !vector)
		report(issues, `${path}.vector`, 'invalid');
	return {
		id: raw.id,
		documentId: raw.documentId,
		index: field(raw, 'index', isCount, 0, path, issues),
		text: raw.text,
		page: field(raw, 'page', isPage, null, path, issues),
		headings: field(raw, 'headings', isStringArray, [], path, issues),
		line: field(raw, 'line', isPage, null, path, issues),
		vector,
		// A vector without its model cannot be compared with anything: treat it as missing.
		model: vector ? field(raw, 'model', isNullableString, null, path, issues) : null
	};
}

export function readCollection(
	raw: unknown,
	path = 'collection',
	issues: Issues = null
): Collection | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.id)) {
		report(issues, path, 'not a collection');
		return null;
	}
	return {
		id: raw.id,
		name: field(raw, 'name', isNonEmptyString, 'Untitled', path, issues),
		createdAt: field(raw, 'createdAt', isTime, 0, path, issues),
		updatedAt: field(raw, 'updatedAt', isTime, 0, path, issues)
	};
}

export function readAttachment(
	raw: unknown,
	path = 'attachment',
	issues: Issues = null
): Attachment | null {
	if (!isRecord(raw) || !isNonEmptyString(raw.conversationId)) {
		report(issues, path, 'not an attachment');
		return null;
	}
	return {
		conversationId: raw.conversationId,
		documentIds: field(raw, 'documentIds', isStringArray, [], path, issues),
		collectionIds: field(raw, 'collectionIds', isStringArray, [], path, issues),
		updatedAt: field(raw, 'updatedAt', isTime, 0, path, issues)
	};
}
