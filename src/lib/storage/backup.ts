// Backup and export formats, as pure functions (the repository does the I/O).
//
// A backup is one JSON file with every store. Importing is all-or-nothing: `parseBackup` checks the
// whole file first, with the same rules that reading the database uses, but strictly (any repair it
// would have to make refuses the file), so a damaged or foreign file never reaches the database.
import { formatStats } from '$lib/chat/stats';
import { text } from '$lib/strings';
import { BackupError } from './errors';
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
		settings: settings.filter((s) => !isDeviceOnlySetting(s.key))
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
