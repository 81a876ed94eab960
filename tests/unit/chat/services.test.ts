// The chat's services besides the open conversation (services.ts composes them): the sidebar list,
// search, presets, theme, backups and the notices they share, and how each follows other tabs.
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError } from '$lib/storage/errors';
import { chatHarness, readUntil, until } from './harness';

type Harness = ReturnType<typeof chatHarness>;
const harnesses: Harness[] = [];

function open(options: { db?: string } = {}) {
	const h = chatHarness(options);
	harnesses.push(h);
	return h;
}

afterEach(() => {
	for (const h of harnesses.splice(0)) h.stop();
});

const file = (content: string) => new Blob([content], { type: 'application/json' });

describe('the conversation list', () => {
	it('shows conversations newest first, follows another tab, and forgets a deleted one', async () => {
		const h = open();
		await until(() => h.conversations.ready, 'the first read');
		expect(h.conversations.conversations).toEqual([]);
		const older = await h.other.conversations.create({ title: 'Older' });
		h.remote({ kind: 'conversation', id: older.id });
		await until(() => h.conversations.conversations.length === 1, 'the other tab’s conversation');
		const newer = await h.other.conversations.create({ title: 'Newer' });
		h.remote({ kind: 'conversation', id: newer.id });
		await until(() => h.conversations.conversations.length === 2, 'the second one');
		expect(h.conversations.conversations.map((c) => c.title)).toEqual(['Newer', 'Older']);

		await h.chat.rename(older.id, 'Renamed');
		expect(h.conversations.conversations.map((c) => c.title)).toContain('Renamed');
		await h.chat.delete(newer.id);
		expect(h.conversations.conversations.map((c) => c.title)).toEqual(['Renamed']);
		expect(await h.other.conversations.get(newer.id)).toBeNull();
	});

	it('opening a conversation that is gone says so, and shows a new one', async () => {
		const h = open();
		await h.chat.open('no-such-id');
		expect(h.notices.current).toMatchObject({ kind: 'error', error: { code: 'not-found' } });
		expect(h.chat.active?.saved).toBe(false);
		h.notices.dismiss();
		expect(h.notices.current).toBeNull();
	});

	it('the open conversation follows another tab, and becomes a new one when deleted there', async () => {
		const h = open();
		const c = await h.other.conversations.create({ title: 'Shared' });
		await h.chat.open(c.id);
		await h.other.conversations.appendMessage(c.id, {
			role: 'user',
			content: 'From the other tab'
		});
		h.remote({ kind: 'messages', id: c.id });
		await until(() => h.chat.active?.messages.length === 1, 'the other tab’s message');
		expect(h.chat.active?.messages[0]?.content).toBe('From the other tab');

		await h.other.conversations.delete(c.id);
		h.remote({ kind: 'conversation', id: c.id });
		await until(() => h.chat.active?.saved === false, 'a new conversation');
		expect(h.chat.active?.id).not.toBe(c.id);
	});
});

describe('search', () => {
	it('finds conversations by title and by words in their messages, and follows changes', async () => {
		const h = open();
		const bread = await h.other.conversations.create({ title: 'Sourdough starter' });
		await h.other.conversations.appendMessage(bread.id, {
			role: 'user',
			content: 'How long should the dough rise?'
		});
		const rust = await h.other.conversations.create({ title: 'Rust lifetimes' });
		await h.other.conversations.appendMessage(rust.id, {
			role: 'assistant',
			content: 'References must not outlive the value they borrow.'
		});
		await h.conversations.reload();

		await h.search.search('sourdough');
		expect(h.search.hits?.map((hit) => [hit.conversationId, hit.in])).toEqual([
			[bread.id, 'title']
		]);
		await h.search.search('  OUTLIVE ');
		expect(h.search.hits?.map((hit) => [hit.conversationId, hit.in])).toEqual([
			[rust.id, 'message']
		]);
		expect(h.search.hits?.[0]?.snippet).toContain('outlive');
		expect(h.search.searching).toBe(false);

		// A message added in another tab is found once that tab says so.
		await h.other.conversations.appendMessage(bread.id, {
			role: 'assistant',
			content: 'Until it doubles, about four hours.'
		});
		h.remote({ kind: 'messages', id: bread.id });
		await h.search.search('doubles');
		await until(() => h.search.hits?.[0]?.conversationId === bread.id, 'the new message');

		// A deleted conversation is no longer found; an empty query ends the search.
		await h.chat.delete(rust.id);
		await h.search.search('outlive');
		expect(h.search.hits).toEqual([]);
		await h.search.search('   ');
		expect(h.search.hits).toBeNull();
	});
});

describe('presets', () => {
	it('saves, updates and deletes presets, kept in the database, by name', async () => {
		const h = open();
		const pirate = await h.presets.save({ name: 'Pirate', prompt: 'Talk like a pirate.' });
		await h.presets.save({ name: 'Brief', prompt: 'Be brief.' });
		expect(h.presets.list.map((p) => p.name)).toEqual(['Brief', 'Pirate']);
		await h.presets.save({ id: pirate?.id, name: 'Pirate', prompt: 'Arr.' });
		expect(h.presets.list.find((p) => p.name === 'Pirate')?.prompt).toBe('Arr.');
		expect(h.presets.list).toHaveLength(2);
		await h.presets.delete(pirate?.id ?? '');
		expect(h.presets.list.map((p) => p.name)).toEqual(['Brief']);
		expect((await h.other.presets.list()).map((p) => p.name)).toEqual(['Brief']);
	});

	it('shares presets as a file that another browser imports; a bad file changes nothing', async () => {
		const h = open();
		await h.presets.save({ name: 'Pirate', prompt: 'Arr.' });
		await h.presets.save({ name: 'Brief', prompt: 'Be brief.' });
		const shared = h.presets.exportFile();
		expect(shared.name).toMatch(/^lantern-presets-\d{4}-\d\d-\d\d\.json$/);

		const other = open();
		await other.presets.save({ name: 'Brief', prompt: 'Old wording.' });
		await other.presets.import(file(shared.content));
		expect(other.presets.list.map((p) => [p.name, p.prompt])).toEqual([
			['Brief', 'Be brief.'],
			['Pirate', 'Arr.']
		]);
		expect(other.notices.current).toMatchObject({ kind: 'ok' });

		await other.presets.import(file('{"not": "presets"'));
		expect(other.notices.current).toMatchObject({ kind: 'error', error: { code: 'not-json' } });
		expect(other.presets.list).toHaveLength(2);
	});

	it('follows another tab', async () => {
		const h = open();
		await h.presets.start();
		await h.other.presets.save({ name: 'From elsewhere', prompt: 'x' });
		h.remote({ kind: 'preset', id: null });
		await until(() => h.presets.list.length === 1, 'the other tab’s preset');
	});
});

describe('theme', () => {
	it('is applied to the page and stored, so a reload and other tabs use it', async () => {
		const h = open();
		await h.theme.set('dark');
		expect(h.theme.current).toBe('dark');
		expect(h.root.dataset.theme).toBe('dark');
		h.stop();

		const reloaded = open({ db: h.db });
		await until(() => reloaded.theme.current === 'dark', 'the stored theme');
		expect(reloaded.root.dataset.theme).toBe('dark');

		// Another tab goes back to the system's theme.
		await reloaded.other.settings.set('theme', 'system');
		reloaded.remote({ kind: 'setting', id: 'theme' });
		await until(() => reloaded.theme.current === 'system', 'the other tab’s choice');
		expect(reloaded.root.dataset.theme).toBeUndefined();
	});
});

describe('backups', () => {
	it('restores everything into another browser: conversations, presets, settings', async () => {
		const h = open();
		const c = await h.other.conversations.create({ title: 'Worth keeping' });
		await h.other.conversations.appendMessage(c.id, { role: 'user', content: 'A question' });
		await h.other.conversations.appendMessage(c.id, { role: 'assistant', content: 'An answer' });
		await h.presets.save({ name: 'Pirate', prompt: 'Arr.' });
		await h.theme.set('light');
		const backup = await h.backups.exportAll();
		if (!backup) throw new Error('no backup was made');
		expect(backup.name).toMatch(/^lantern-backup-\d{4}-\d\d-\d\d\.json$/);

		const fresh = open();
		await until(() => fresh.conversations.ready, 'the empty list');
		await fresh.backups.restore(file(backup.content));
		expect(fresh.notices.current).toMatchObject({ kind: 'ok' });
		expect(fresh.conversations.conversations.map((x) => x.title)).toEqual(['Worth keeping']);
		expect(fresh.presets.list.map((p) => p.name)).toEqual(['Pirate']);
		await until(() => fresh.theme.current === 'light', 'the restored theme');
		await fresh.chat.open(c.id);
		expect(fresh.chat.active?.messages.map((m) => m.content)).toEqual(['A question', 'An answer']);
		await fresh.search.search('answer');
		expect(fresh.search.hits?.map((hit) => hit.conversationId)).toEqual([c.id]);
	});

	it('refuses a damaged or foreign file with the reason, and changes nothing', async () => {
		const h = open();
		const kept = await h.other.conversations.create({ title: 'Kept' });
		await h.conversations.reload();
		for (const [content, code] of [
			['{"format": "lantern-backup",', 'not-json'],
			['{"format": "chatgpt-export", "version": 1}', 'foreign'],
			['{"format": "lantern-backup", "version": 99}', 'newer-version']
		] as const) {
			await h.backups.restore(file(content));
			const notice = h.notices.current;
			expect(notice?.kind === 'error' && notice.error).toBeInstanceOf(BackupError);
			expect(notice).toMatchObject({ kind: 'error', error: { code } });
		}
		expect(h.conversations.conversations.map((c) => c.id)).toEqual([kept.id]);
		const stored = await readUntil(
			() => h.other.conversations.list(),
			(list) => list.length === 1,
			'the stored list'
		);
		expect(stored[0]?.title).toBe('Kept');
	});
});
