// Backup: everything Lantern stores (not the models) as one JSON file, and back. The formats are
// pure functions (a backup, and the Markdown and JSON exports of one conversation);
// `BackupRepository` reads and writes the database.
//
// A backup is one JSON file with every store. Importing is all-or-nothing: `parseBackup` checks the
// whole file first, with the same rules that reading the database uses, but strictly (any repair it
// would have to make refuses the file), so a damaged or foreign file never reaches the database.
import {
	documentsToBackup,
	fromBase64,
	readDocumentsBackup,
	restoredDocument,
	type DocumentsBackup
} from '$lib/documents/backup';
import { passageRange } from '$lib/documents/repository';
import { readAttachment, readCollection, readDocument } from '$lib/documents/validate';
import { nextTask } from '$lib/nextTask';
import { formatStats, text } from '$lib/strings';
import { notifyChanged, type Notify } from './broadcast';
import { connect, type Connection } from './db';
import { BackupError, storageOp } from './errors';
import { forgetConversation } from './searchIndex';
import {
	isDeviceOnlySetting,
	type Conversation,
	type Message,
	type Preset,
	type SettingEntry
} from './types';
import {
	isRecord,
	readAll,
	readConversation,
	readMessage,
	readPreset,
	readSettingEntry
} from './validate';

export const BACKUP_FORMAT = 'lantern-backup';
export const BACKUP_VERSION = 1;

export interface Backup {
	format: typeof BACKUP_FORMAT;
	version: typeof BACKUP_VERSION;
	/** ISO 8601. */
	exportedAt: string;
	conversations: Conversation[];
	/** Every message belongs to one of `conversations`. */
	messages: Message[];
	presets: Preset[];
	settings: SettingEntry[];
	/**
	 * Documents (their files), collections and conversations' attachments; absent in backups made
	 * before documents existed (documents/backup.ts).
	 */
	documents?: DocumentsBackup;
}

/** A single conversation, as the JSON half of `exportConversation` (not importable as a backup). */
export interface ConversationExport {
	format: 'lantern-conversation';
	version: 1;
	exportedAt: string;
	conversation: Conversation;
	messages: Message[];
}

function duplicates(ids: string[], path: string): string[] {
	const seen = new Set<string>();
	const issues: string[] = [];
	for (const id of ids) {
		if (seen.has(id)) issues.push(`${path}: duplicate id ${id}`);
		seen.add(id);
	}
	return issues;
}

/** Validates a backup file's text; throws a BackupError unless every entry is valid. */
export function parseBackup(fileText: string): Backup {
	return readBackup(parseBackupJson(fileText));
}

/** A backup file's JSON, unchecked: the first half of `parseBackup`, for callers that pause between. */
export function parseBackupJson(fileText: string): unknown {
	try {
		return JSON.parse(fileText) as unknown;
	} catch {
		throw new BackupError('not-json');
	}
}

/** Validates parsed backup JSON; throws a BackupError unless every entry is valid. */
export function readBackup(raw: unknown): Backup {
	if (!isRecord(raw) || raw.format !== BACKUP_FORMAT) throw new BackupError('foreign');
	if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1)
		throw new BackupError('malformed', ['version: invalid']);
	if (raw.version > BACKUP_VERSION) throw new BackupError('newer-version');

	const issues: string[] = [];
	const conversations = readAll(raw.conversations, readConversation, 'conversations', issues);
	const messages = readAll(raw.messages, readMessage, 'messages', issues);
	const presets = readAll(raw.presets, readPreset, 'presets', issues);
	const settings = readAll(raw.settings, readSettingEntry, 'settings', issues);
	const documents =
		raw.documents === undefined
			? undefined
			: readDocumentsBackup(raw.documents, 'documents', issues);
	if (documents)
		issues.push(
			...duplicates(
				documents.documents.map((d) => d.id),
				'documents.documents'
			),
			...duplicates(
				documents.collections.map((c) => c.id),
				'documents.collections'
			),
			...duplicates(
				documents.attachments.map((a) => a.conversationId),
				'documents.attachments'
			)
		);
	issues.push(
		...duplicates(
			conversations.map((c) => c.id),
			'conversations'
		),
		...duplicates(
			messages.map((m) => m.id),
			'messages'
		),
		...duplicates(
			presets.map((p) => p.id),
			'presets'
		),
		...duplicates(
			settings.map((s) => s.key),
			'settings'
		)
	);
	const conversationIds = new Set(conversations.map((c) => c.id));
	messages.forEach((m, i) => {
		if (!conversationIds.has(m.conversationId))
			issues.push(`messages[${i}].conversationId: no such conversation`);
	});
	if (issues.length) throw new BackupError('malformed', issues);
	return {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		exportedAt: typeof raw.exportedAt === 'string' ? raw.exportedAt : '',
		conversations,
		messages,
		presets,
		// Written by hand or by another app: what stays on a device is never restored onto one.
		settings: settings.filter((s) => !isDeviceOnlySetting(s.key)),
		...(documents ? { documents } : {})
	};
}

function roleHeading(message: Message): string {
	if (message.role === 'user') return text.chat.you;
	if (message.role === 'system') return 'System';
	return message.modelId ? `${text.chat.assistant} (${message.modelId})` : text.chat.assistant;
}

/** A readable transcript; reasoning is folded in a <details> block, errors are left out. */
export function conversationToMarkdown(conversation: Conversation, messages: Message[]): string {
	const parts = [`# ${conversation.title}`];
	const meta = [new Date(conversation.createdAt).toISOString().slice(0, 10)];
	if (conversation.modelId) meta.push(conversation.modelId);
	parts.push(`_${meta.join(' · ')}_`);
	if (conversation.systemPrompt) parts.push(`## System\n\n${conversation.systemPrompt}`);
	for (const message of messages) {
		if (message.status === 'error') continue;
		const body: string[] = [`## ${roleHeading(message)}`];
		if (message.reasoning)
			body.push(`<details><summary>Reasoning</summary>\n\n${message.reasoning}\n\n</details>`);
		body.push(message.content);
		const cited = message.sources?.passages ?? [];
		if (cited.length)
			body.push(['Sources:', ...cited.map((s) => `- [${s.marker}] ${s.label}`)].join('\n'));
		if (message.status === 'interrupted') body.push('_(stopped)_');
		if (message.stats) body.push(`_${formatStats(message.stats)}_`);
		parts.push(body.join('\n\n'));
	}
	return parts.join('\n\n') + '\n';
}

export function conversationToJson(
	conversation: Conversation,
	messages: Message[],
	now: Date
): string {
	const data: ConversationExport = {
		format: 'lantern-conversation',
		version: 1,
		exportedAt: now.toISOString(),
		conversation,
		messages
	};
	return JSON.stringify(data, null, '\t');
}

export interface ImportSummary {
	conversations: number;
	messages: number;
	presets: number;
	settings: number;
	documents: number;
}

/** Requests issued at once while restoring: small enough that no batch freezes the page. */
const IMPORT_BATCH = 500;

/**
 * Issues one request per item, a batch at a time, each batch started once the last one is done.
 * Issuing 80,000 puts in one go blocks the page for seconds (each put copies its record at once);
 * batches let the page handle input in between, and the transaction stays open because each batch
 * starts from the previous one's success callback.
 */
async function inBatches<T>(items: readonly T[], request: (item: T) => Promise<unknown>) {
	for (let i = 0; i < items.length; i += IMPORT_BATCH)
		await Promise.all(items.slice(i, i + IMPORT_BATCH).map(request));
}

export interface BackupRepositoryOptions {
	/** Called after a restore; defaults to the cross-tab BroadcastChannel. */
	notify?: Notify;
	/** Milliseconds since the epoch (the backup's `exportedAt`); defaults to Date.now. */
	now?: () => number;
	/**
	 * Restores a backup file somewhere else (the app: a worker, restoreWorker.ts), throwing what
	 * `importBackup` throws; `here` restores it on this page instead (the default).
	 */
	restoreFile?: (
		file: Blob,
		here: (file: Blob) => Promise<ImportSummary>
	) => Promise<ImportSummary>;
}

/** Reads every store into one backup, and restores one; IndexedDB failures become StorageErrors. */
export class BackupRepository {
	#db: Connection;
	#notify: Notify;
	#clock: () => number;
	#restoreFile: NonNullable<BackupRepositoryOptions['restoreFile']>;

	constructor(db: Connection = connect(), options: BackupRepositoryOptions = {}) {
		this.#db = db;
		this.#notify = options.notify ?? notifyChanged;
		this.#clock = options.now ?? Date.now;
		this.#restoreFile = options.restoreFile ?? ((file, here) => here(file));
	}

	/** Everything Lantern stores (not the models), as one backup object; serialise with JSON.stringify. */
	exportAll(): Promise<Backup> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(
				[
					'conversations',
					'messages',
					'presets',
					'settings',
					'documents',
					'collections',
					'attachments'
				],
				'readonly'
			);
			const [conversations, messages, presets, settings, documents, collections, attachments] =
				await Promise.all([
					tx.objectStore('conversations').getAll(),
					tx.objectStore('messages').getAll(),
					tx.objectStore('presets').getAll(),
					tx.objectStore('settings').getAll(),
					tx.objectStore('documents').getAll(),
					tx.objectStore('collections').getAll(),
					tx.objectStore('attachments').getAll()
				]);
			await tx.done;
			// Files are read once the transaction is over (reading a Blob would end it).
			const documentsPart = await documentsToBackup(
				readAll(documents, readDocument, 'documents'),
				readAll(collections, readCollection, 'collections'),
				readAll(attachments, readAttachment, 'attachments')
			);
			const validConversations = readAll(conversations, readConversation, 'conversations');
			const ids = new Set(validConversations.map((c) => c.id));
			return {
				format: BACKUP_FORMAT,
				version: BACKUP_VERSION,
				exportedAt: new Date(this.#clock()).toISOString(),
				conversations: validConversations,
				// Orphans (a conversation deleted by an old version) would make the backup unimportable.
				messages: readAll(messages, readMessage, 'messages').filter((m) =>
					ids.has(m.conversationId)
				),
				presets: readAll(presets, readPreset, 'presets'),
				// API keys and other device-only settings never leave this browser in a backup.
				settings: readAll(settings, readSettingEntry, 'settings').filter(
					(s) => !isDeviceOnlySetting(s.key)
				),
				documents: documentsPart
			};
		});
	}

	/**
	 * Restores a backup file's text. Everything is validated first: a malformed or foreign file throws
	 * a BackupError and nothing is touched. Then one transaction writes it all, or nothing if it
	 * fails. Conversations in the backup replace stored ones with the same id (their stored messages
	 * too); everything else stored is kept.
	 */
	async importBackup(fileText: string): Promise<ImportSummary> {
		const summary = await this.#write(fileText);
		this.#notify('all', null);
		return summary;
	}

	/** Restores a backup file, as `importBackup` does its text (in a worker, in the app). */
	async importFile(file: Blob): Promise<ImportSummary> {
		const summary = await this.#restoreFile(file, async (f) => this.#write(await f.text()));
		this.#notify('all', null);
		return summary;
	}

	async #write(fileText: string): Promise<ImportSummary> {
		// Reading 100 MB as text, parsing it and checking it each take a few hundred milliseconds:
		// done in tasks of their own, with the page free in between, rather than one long freeze.
		await nextTask();
		const raw = parseBackupJson(fileText);
		await nextTask();
		const backup = readBackup(raw);
		const documents = backup.documents;
		// Decoded before the transaction starts (it would end while the page waits).
		const restored = (documents?.documents ?? []).map((d) =>
			restoredDocument(d, fromBase64(d.data) ?? new Uint8Array())
		);
		await storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction(
				[
					'conversations',
					'messages',
					'presets',
					'settings',
					'documents',
					'passages',
					'collections',
					'attachments',
					'searchTerms',
					'messageVectors'
				],
				'readwrite'
			);
			const messages = tx.objectStore('messages');
			try {
				const replaced: string[] = [];
				await inBatches(backup.conversations, async (c) =>
					replaced.push(...(await messages.index('by-conversationId').getAllKeys(c.id)))
				);
				await inBatches(replaced, (key) => messages.delete(key));
				// Their search index is derived data, not in the backup: dropped here (with the
				// vectors of the messages replaced) and built again in the background afterwards
				// (chat/ConversationSearch), so a large restore takes no longer than before.
				await inBatches(backup.conversations, (c) => forgetConversation(tx, c.id));
				await inBatches(backup.conversations, (c) => tx.objectStore('conversations').put(c));
				await inBatches(backup.presets, (p) => tx.objectStore('presets').put(p));
				await inBatches(backup.settings, (s) => tx.objectStore('settings').put(s));
				await inBatches(backup.messages, (m) => messages.put(m));
				// A restored document replaces a stored one with its id; it is indexed again.
				await inBatches(restored, (d) => tx.objectStore('passages').delete(passageRange(d.id)));
				await inBatches(restored, (d) => tx.objectStore('documents').put(d));
				await inBatches(documents?.collections ?? [], (c) => tx.objectStore('collections').put(c));
				await inBatches(documents?.attachments ?? [], (a) => tx.objectStore('attachments').put(a));
				await tx.done;
			} catch (error) {
				try {
					tx.abort();
				} catch {
					// Already aborted by the failing request.
				}
				await tx.done.catch(() => {});
				throw error;
			}
		});
		return {
			conversations: backup.conversations.length,
			messages: backup.messages.length,
			presets: backup.presets.length,
			settings: backup.settings.length,
			documents: restored.length
		};
	}
}
