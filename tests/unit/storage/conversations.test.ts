import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UsageStats } from '$lib/engine/types';
import { BackupRepository } from '$lib/storage/backup';
import type { ChangeKind } from '$lib/storage/broadcast';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect, openLanternDb, type Connection } from '$lib/storage/db';
import { BackupError, StorageError } from '$lib/storage/errors';
import { DEFAULT_TITLE } from '$lib/storage/types';
import { searchStored } from './searchStored';

const stats: UsageStats = {
	promptTokens: 12,
	completionTokens: 85,
	timeToFirstTokenMs: 120,
	prefillTokensPerSec: 850,
	decodeTokensPerSec: 42.1,
	totalMs: 2100,
	finishReason: 'stop'
};

let dbCount = 0;
let db: Connection;
let repo: ConversationRepository;
let backups: BackupRepository;
let changes: [ChangeKind, string | null][];
let clock: number;

beforeEach(() => {
	// A fresh database per test; fake-indexeddb keeps them all in memory.
	db = connect(`lantern-test-${++dbCount}`);
	changes = [];
	clock = 1_000;
	let ids = 0;
	repo = new ConversationRepository(db, {
		notify: (kind, id) => changes.push([kind, id]),
		now: () => clock,
		newId: () => `id-${++ids}`
	});
	backups = new BackupRepository(db, {
		notify: (kind, id) => changes.push([kind, id]),
		now: () => clock
	});
});

describe('conversations', () => {
	it('creates with defaults and lists newest first', async () => {
		const a = await repo.create({ modelId: 'm', systemPrompt: 'Be brief.' });
		clock = 2_000;
		const b = await repo.create({ title: '  Trip plans ' });
		expect(a).toMatchObject({ title: DEFAULT_TITLE, modelId: 'm', systemPrompt: 'Be brief.' });
		expect(b.title).toBe('Trip plans');
		expect((await repo.list()).map((c) => c.id)).toEqual([b.id, a.id]);
		clock = 3_000;
		await repo.appendMessage(a.id, { role: 'user', content: 'hi' });
		expect((await repo.list()).map((c) => c.id)).toEqual([a.id, b.id]);
	});

	it('renames, ignoring blank titles, and updates settings keeping only valid fields', async () => {
		const c = await repo.create();
		expect((await repo.rename(c.id, 'Recipes'))?.title).toBe('Recipes');
		expect((await repo.rename(c.id, '   '))?.title).toBe(DEFAULT_TITLE);
		const updated = await repo.update(c.id, { settings: { temperature: 5, top_p: 0.9 } });
		expect(updated?.settings).toEqual({ top_p: 0.9 });
		expect(await repo.rename('missing', 'x')).toBeNull();
	});

	it('keeps messages in order even when written in the same millisecond', async () => {
		const c = await repo.create();
		const u = await repo.appendMessage(c.id, { role: 'user', content: 'Hello' });
		const a = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: '',
			modelId: 'm',
			status: 'streaming'
		});
		expect(u.status).toBe('complete');
		const got = await repo.get(c.id);
		expect(got?.messages.map((m) => m.id)).toEqual([u.id, a.id]);
		expect(got?.conversation.updatedAt).toBe(a.createdAt);
	});

	it('saves a streaming answer and finishes it', async () => {
		const c = await repo.create();
		const a = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: '',
			status: 'streaming'
		});
		await repo.updateMessage(a.id, { content: 'Partial', reasoning: 'hmm' });
		let m = (await repo.get(c.id))?.messages[0];
		expect(m).toMatchObject({ content: 'Partial', status: 'streaming', reasoning: 'hmm' });
		await repo.updateMessage(a.id, { content: 'Partial answer', status: 'complete', stats });
		m = (await repo.get(c.id))?.messages[0];
		expect(m).toMatchObject({ content: 'Partial answer', status: 'complete', stats });
		await repo.updateMessage(a.id, { reasoning: undefined });
		m = (await repo.get(c.id))?.messages[0];
		expect(m && 'reasoning' in m).toBe(false);
		expect(await repo.updateMessage('missing', { content: 'x' })).toBeNull();
	});

	it('refuses to append to a deleted conversation with a typed error', async () => {
		const error = await repo.appendMessage('gone', { role: 'user', content: 'x' }).catch((e) => e);
		expect(error).toBeInstanceOf(StorageError);
		expect((error as StorageError).code).toBe('not-found');
	});

	it('deletes a conversation with its messages only', async () => {
		const a = await repo.create();
		const b = await repo.create();
		await repo.appendMessage(a.id, { role: 'user', content: 'one' });
		await repo.appendMessage(b.id, { role: 'user', content: 'two' });
		await repo.delete(a.id);
		expect(await repo.get(a.id)).toBeNull();
		const raw = await (await db()).getAll('messages');
		expect(raw.map((m) => m.content)).toEqual(['two']);
	});

	it('deletes a single message', async () => {
		const c = await repo.create();
		const m = await repo.appendMessage(c.id, { role: 'user', content: 'one' });
		await repo.deleteMessage(m.id);
		expect((await repo.get(c.id))?.messages).toEqual([]);
	});

	it('tells other tabs after each write', async () => {
		const c = await repo.create();
		const m = await repo.appendMessage(c.id, { role: 'user', content: 'x' });
		await repo.updateMessage(m.id, { content: 'y' });
		await repo.rename(c.id, 'T');
		await repo.delete(c.id);
		expect(changes).toEqual([
			['conversation', c.id],
			['messages', c.id],
			['messages', c.id],
			['conversation', c.id],
			['conversation', c.id]
		]);
	});
});

describe('reading back damaged records', () => {
	it('falls back to defaults and skips records without an id', async () => {
		const raw = await openLanternDb(`lantern-test-${dbCount}`);
		const tx = raw.transaction(['conversations', 'messages'], 'readwrite');
		// Written by hand, as an old version or a browser extension might have.
		const conversations = tx.objectStore('conversations') as unknown as IDBObjectStoreLike;
		const messages = tx.objectStore('messages') as unknown as IDBObjectStoreLike;
		// No updatedAt: absent from the by-updatedAt index, yet it must still be listed.
		await conversations.put({ id: 'c1', title: 42, settings: 'hot' });
		await messages.put({ id: 'm1', conversationId: 'c1', role: 'robot', content: null });
		await messages.put({
			id: 'm2',
			conversationId: 'c1',
			role: 'assistant',
			content: 'ok',
			createdAt: 5,
			status: 'complete',
			stats: { promptTokens: 'many' }
		});
		await messages.put({ id: 'm3', role: 'user', content: 'orphan' });
		await tx.done;
		raw.close();

		const list = await repo.list();
		expect(list).toEqual([
			{
				id: 'c1',
				title: DEFAULT_TITLE,
				createdAt: 0,
				updatedAt: 0,
				modelId: null,
				systemPrompt: '',
				settings: {}
			}
		]);
		const got = await repo.get('c1');
		expect(got?.messages).toEqual([
			{
				id: 'm1',
				conversationId: 'c1',
				role: 'user',
				content: '',
				createdAt: 0,
				status: 'complete'
			},
			{
				id: 'm2',
				conversationId: 'c1',
				role: 'assistant',
				content: 'ok',
				createdAt: 5,
				status: 'complete'
			}
		]);
	});
});

/** Lets a test write records that the typed schema would refuse. */
interface IDBObjectStoreLike {
	put(value: unknown): Promise<unknown>;
}

describe('search', () => {
	it('finds titles and message text, case-insensitively, newest conversation first', async () => {
		const a = await repo.create({ title: 'Sourdough starter' });
		await repo.appendMessage(a.id, { role: 'user', content: 'How long to proof BREAD?' });
		clock = 2_000;
		const b = await repo.create({ title: 'Rust lifetimes' });
		await repo.appendMessage(b.id, { role: 'user', content: 'Explain borrow checking' });
		await repo.appendMessage(b.id, {
			role: 'assistant',
			content: 'Like bread crumbs, references must not outlive the loaf.'
		});
		const hits = await searchStored(repo, db, '  bread ');
		expect(hits.map((h) => [h.conversationId, h.in])).toEqual([
			[b.id, 'message'],
			[a.id, 'message']
		]);
		expect(hits[0]?.snippet).toContain('bread crumbs');
		expect((await searchStored(repo, db, 'SOURDOUGH')).map((h) => h.in)).toEqual(['title']);
		expect(await searchStored(repo, db, '   ')).toEqual([]);
		expect(await searchStored(repo, db, 'no such words')).toEqual([]);
	});
});

describe('export', () => {
	it('exports one conversation as Markdown and JSON', async () => {
		const c = await repo.create({ title: 'Haiku', modelId: 'Qwen3-0.6B', systemPrompt: 'Poet.' });
		await repo.appendMessage(c.id, { role: 'user', content: 'A haiku about rain' });
		await repo.appendMessage(c.id, {
			role: 'assistant',
			content: 'Soft rain on the roof',
			reasoning: 'Five syllables first.',
			modelId: 'Qwen3-0.6B',
			stats
		});
		await repo.appendMessage(c.id, { role: 'assistant', content: '', status: 'error' });
		const out = await repo.exportConversation(c.id);
		expect(out?.markdown).toContain('# Haiku');
		expect(out?.markdown).toContain('## System\n\nPoet.');
		expect(out?.markdown).toContain('A haiku about rain');
		expect(out?.markdown).toContain('<summary>Reasoning</summary>');
		expect(out?.markdown).toContain('TTFT 120 ms');
		const json = JSON.parse(out?.json ?? '');
		expect(json.format).toBe('lantern-conversation');
		expect(json.messages).toHaveLength(3);
		expect(await repo.exportConversation('missing')).toBeNull();
	});
});

describe('backup', () => {
	async function seed() {
		const c = await repo.create({ title: 'Kept' });
		await repo.appendMessage(c.id, { role: 'user', content: 'hello' });
		await repo.appendMessage(c.id, { role: 'assistant', content: 'hi', stats });
		const raw = await db();
		await raw.put('presets', {
			id: 'p1',
			name: 'Pirate',
			prompt: 'Arr.',
			createdAt: 1,
			updatedAt: 1
		});
		await raw.put('settings', { key: 'theme', value: 'dark' });
		return c;
	}

	it('round-trips everything through exportAll and importBackup', async () => {
		const c = await seed();
		const backup = await backups.exportAll();
		expect(backup).toMatchObject({ format: 'lantern-backup', version: 1 });
		expect(backup.messages).toHaveLength(2);
		const text = JSON.stringify(backup);

		const otherDb = connect(`lantern-test-${++dbCount}`);
		const other = new BackupRepository(otherDb, { notify: (kind, id) => changes.push([kind, id]) });
		expect(await other.importBackup(text)).toEqual({
			conversations: 1,
			messages: 2,
			presets: 1,
			settings: 1,
			documents: 0
		});
		const restoredConversations = new ConversationRepository(otherDb, { notify: () => {} });
		expect(await restoredConversations.get(c.id)).toEqual(await repo.get(c.id));
		expect(changes.at(-1)).toEqual(['all', null]);
		const restored = await other.exportAll();
		expect({ ...restored, exportedAt: '' }).toEqual({ ...backup, exportedAt: '' });
	});

	it('keeps device-only settings (API keys) out of a backup, and never restores one', async () => {
		await seed();
		const raw = await db();
		await raw.put('settings', { key: 'device:secret', value: { key: 'sk-not-for-backups' } });
		const backup = await backups.exportAll();
		expect(backup.settings.map((s) => s.key)).toEqual(['theme']);
		expect(JSON.stringify(backup)).not.toContain('sk-not-for-backups');

		const otherDb = connect(`lantern-test-${++dbCount}`);
		const other = new BackupRepository(otherDb, { notify: () => {} });
		const forged = {
			...backup,
			settings: [...backup.settings, { key: 'device:secret', value: 1 }]
		};
		expect((await other.importBackup(JSON.stringify(forged))).settings).toBe(1);
		expect(await (await otherDb()).get('settings', 'device:secret')).toBeUndefined();
		expect(await (await otherDb()).get('settings', 'theme')).toEqual({
			key: 'theme',
			value: 'dark'
		});
	});

	it('exports damaged records repaired, so that the backup can always be imported', async () => {
		const raw = await db();
		const conversations = raw.transaction('conversations', 'readwrite')
			.store as unknown as IDBObjectStoreLike;
		await conversations.put({ id: 'old', title: '', settings: { temperature: 9 } });
		const messages = raw.transaction('messages', 'readwrite')
			.store as unknown as IDBObjectStoreLike;
		await messages.put({ id: 'm', conversationId: 'old', role: 'user', content: 7 });
		await messages.put({ id: 'orphan', conversationId: 'deleted', role: 'user', content: 'x' });
		const backup = await backups.exportAll();
		expect(backup.messages.map((m) => m.id)).toEqual(['m']);
		const otherDb = connect(`lantern-test-${++dbCount}`);
		await new BackupRepository(otherDb, { notify: () => {} }).importBackup(JSON.stringify(backup));
		const restored = new ConversationRepository(otherDb, { notify: () => {} });
		expect((await restored.get('old'))?.conversation.title).toBe(DEFAULT_TITLE);
	});

	it('replaces a conversation with the same id, messages included', async () => {
		const c = await seed();
		const backup = await backups.exportAll();
		await repo.appendMessage(c.id, { role: 'user', content: 'added after the backup' });
		await backups.importBackup(JSON.stringify(backup));
		expect((await repo.get(c.id))?.messages.map((m) => m.content)).toEqual(['hello', 'hi']);
	});

	const refusals: [string, string, BackupError['code']][] = [
		['not JSON', '{"format": "lantern-backup",', 'not-json'],
		['another app’s file', '{"format": "chatgpt-export", "version": 1}', 'foreign'],
		['a JSON array', '[1, 2]', 'foreign'],
		['a single-conversation export', '{"format": "lantern-conversation", "version": 1}', 'foreign'],
		['a newer version', '{"format": "lantern-backup", "version": 2}', 'newer-version'],
		['no version', '{"format": "lantern-backup"}', 'malformed']
	];
	it.each(refusals)('refuses %s', async (_name, text, code) => {
		const error = await backups.importBackup(text).catch((e) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect((error as BackupError).code).toBe(code);
	});

	it('refuses a damaged backup, saying where, and changes nothing', async () => {
		await seed();
		const backup = await backups.exportAll();
		const before = JSON.stringify(backup);
		const damaged = JSON.parse(before);
		damaged.conversations.push({ id: 'new', title: 'New', createdAt: 1, updatedAt: 1 });
		damaged.messages.push({
			id: 'bad',
			conversationId: 'new',
			role: 'wizard',
			content: 'x',
			createdAt: 1,
			status: 'complete'
		});
		damaged.messages.push({ ...damaged.messages[0], id: 'orphan', conversationId: 'nowhere' });
		changes = [];
		const error = await backups.importBackup(JSON.stringify(damaged)).catch((e) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect((error as BackupError).code).toBe('malformed');
		expect((error as BackupError).issues).toEqual([
			'conversations[1].modelId: missing',
			'conversations[1].systemPrompt: missing',
			'messages[2].role: invalid',
			'messages[3].conversationId: no such conversation'
		]);
		expect(await repo.get('new')).toBeNull();
		expect(JSON.stringify({ ...(await backups.exportAll()), exportedAt: backup.exportedAt })).toBe(
			before
		);
		expect(changes).toEqual([]);
	});

	it('refuses duplicate ids', async () => {
		await seed();
		const backup = await backups.exportAll();
		const [first, second] = backup.messages;
		if (!first || !second) throw new Error('seed wrote two messages');
		backup.messages.push({ ...first, id: second.id });
		const error = await backups.importBackup(JSON.stringify(backup)).catch((e) => e);
		expect((error as BackupError).issues).toEqual([`messages: duplicate id ${second.id}`]);
	});
});
