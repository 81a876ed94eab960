// The history search index kept in IndexedDB: written with every message write, edit and delete,
// dropped with its conversation and by a restore (to be built again), built in the background for conversations
// stored before it (a database upgraded from v4), and what a query reads through it.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { BackupRepository } from '$lib/storage/backup';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect, type Connection } from '$lib/storage/db';
import { readTermsRecord } from '$lib/storage/searchIndex';
import { SearchRepository } from '$lib/storage/searchRepository';
import { indexTerms, planQuery } from '$lib/storage/searchTerms';
import { FIXTURES, seedDatabase } from '../../fixtures/migrations';
import { searchStored } from './searchStored';

let count = 0;
let db: Connection;
let repo: ConversationRepository;
let search: SearchRepository;

beforeEach(() => {
	db = connect(`search-index-${++count}`);
	repo = new ConversationRepository(db, { notify: () => {} });
	search = new SearchRepository(db);
});

/** The stored record of a conversation as term -> count, or null when it has none. */
async function termsOf(id: string): Promise<Record<string, number> | null> {
	const record = readTermsRecord(await (await db()).get('searchTerms', id));
	if (!record) return null;
	return Object.fromEntries(record.terms.map((t, i) => [t, record.counts[i] ?? 0]));
}

async function found(query: string): Promise<string[]> {
	return (await searchStored(repo, db, query)).map((h) => h.conversationId);
}

async function candidates(query: string) {
	const plan = planQuery(query);
	if (!plan) throw new Error('blank query');
	return search.candidates(plan);
}

describe('terms', () => {
	it('are words in any script, single characters of scripts without spaces, and symbol runs', () => {
		expect(indexTerms('Naïve café, x86-64!')).toEqual(['naïve', 'café', 'x86', '64']);
		expect(indexTerms('東京タワー')).toEqual(['東', '京', 'タ', 'ワ', 'ー']);
		expect(indexTerms('C++ and 👩🏽‍⚕️')).toEqual(['c', '++', 'and', '👩🏽‍⚕️']);
		// Composed and decomposed forms are one term.
		expect(indexTerms('Cafe\u0301')).toEqual(indexTerms('Café'));
	});

	it('plans a query: whole words, the last one a prefix while it is typed', () => {
		expect(planQuery('  Sour DOUGH ')).toEqual({
			needle: 'sour dough',
			terms: [
				{ term: 'sour', prefix: false },
				{ term: 'dough', prefix: true }
			]
		});
		expect(planQuery('   ')).toBeNull();
		expect(planQuery('?!')?.terms).toEqual([]);
	});
});

describe('the stored index', () => {
	it('counts each word by the messages that hold it, and follows edits and deletes', async () => {
		const c = await repo.create({ title: 'Bread' });
		expect(await termsOf(c.id)).toEqual({});
		const a = await repo.appendMessage(c.id, {
			role: 'user',
			content: 'Sourdough starter, please'
		});
		const b = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: 'Feed the starter daily.'
		});
		expect(await termsOf(c.id)).toMatchObject({ sourdough: 1, starter: 2, daily: 1 });

		await repo.updateMessage(a.id, { content: 'Rye starter, please' });
		const edited = await termsOf(c.id);
		expect(edited).toMatchObject({ rye: 1, starter: 2 });
		expect(edited).not.toHaveProperty('sourdough');
		expect(await found('sourdough')).toEqual([]);
		expect(await found('rye')).toEqual([c.id]);

		await repo.deleteMessage(b.id);
		expect(await termsOf(c.id)).toEqual({ rye: 1, starter: 1, please: 1 });
		expect(await found('daily')).toEqual([]);
	});

	it('leaves out failed answers, and takes in their text once they succeed', async () => {
		const c = await repo.create();
		const m = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: 'Out of memory',
			status: 'error'
		});
		expect(await termsOf(c.id)).toEqual({});
		await repo.updateMessage(m.id, { content: 'Quinoa is a seed', status: 'complete' });
		expect(await found('quinoa')).toEqual([c.id]);
	});

	it('finds conversations by whole words and the prefix being typed, never mid-word', async () => {
		const fruit = await repo.create({ title: 'Fruit' });
		await repo.appendMessage(fruit.id, {
			role: 'assistant',
			content: 'Bananas are rich in potassium.'
		});
		const rock = await repo.create({ title: 'Stones' });
		await repo.appendMessage(rock.id, {
			role: 'assistant',
			content: 'Granite is an igneous rock.'
		});

		expect(await candidates('pot')).toEqual(new Set([fruit.id]));
		expect(await candidates('rich in pot')).toEqual(new Set([fruit.id]));
		expect(await candidates('is')).toEqual(new Set([rock.id]));
		expect(await candidates('i')).toEqual(new Set([fruit.id, rock.id]));
		expect(await found('POTASSIUM')).toEqual([fruit.id]);
		expect(await found('otassium')).toEqual([]);
		// A phrase must occur as typed, not only its words somewhere.
		expect(await found('rich potassium')).toEqual([]);
		const [hit] = await searchStored(repo, db, 'rich in pot');
		expect(hit?.snippet.slice(hit.match.start, hit.match.start + hit.match.length)).toBe(
			'rich in pot'
		);
	});

	it('drops a deleted conversation from the index with its vectors', async () => {
		const c = await repo.create();
		const m = await repo.appendMessage(c.id, { role: 'user', content: 'Gooseberry jam' });
		await (
			await db()
		).put('messageVectors', {
			messageId: m.id,
			conversationId: c.id,
			model: 'embed',
			vector: new Int8Array([1, 2])
		});
		await repo.delete(c.id);
		expect(await termsOf(c.id)).toBeNull();
		expect(await (await db()).count('messageVectors')).toBe(0);
		expect(await candidates('gooseberry')).toEqual(new Set());
	});

	it('drops a message vector when its text changes (it would be found for what it no longer says)', async () => {
		const c = await repo.create();
		const m = await repo.appendMessage(c.id, { role: 'user', content: 'Gooseberry jam' });
		await (
			await db()
		).put('messageVectors', {
			messageId: m.id,
			conversationId: c.id,
			model: 'embed',
			vector: new Int8Array([1, 2])
		});
		await repo.updateMessage(m.id, { status: 'complete' });
		expect(await (await db()).count('messageVectors')).toBe(1);
		await repo.updateMessage(m.id, { content: 'Plum jam' });
		expect(await (await db()).count('messageVectors')).toBe(0);
	});

	it('is left out of a backup, and dropped by a restore for the conversations it replaces, to be built again', async () => {
		const c = await repo.create({ title: 'Trip' });
		await repo.appendMessage(c.id, { role: 'user', content: 'Ferry to Hvar' });
		const backups = new BackupRepository(db, { notify: () => {} });
		const text = JSON.stringify(await backups.exportAll());
		expect(text).not.toContain('searchTerms');
		expect(text).not.toContain('messageVectors');

		// Restored over itself with other words: the old record must not survive.
		await repo.appendMessage(c.id, { role: 'user', content: 'Split or Vis?' });
		await backups.importBackup(text);
		expect(await search.unindexed([c.id])).toEqual([c.id]);
		// Still found before it is indexed again (read directly), and not for the replaced words.
		expect(await found('hvar')).toEqual([c.id]);
		expect(await found('vis')).toEqual([]);
		expect(await search.indexConversations([c.id])).toBe(1);
		expect(await termsOf(c.id)).toEqual({ ferry: 1, to: 1, hvar: 1 });
		expect(await candidates('vis')).toEqual(new Set());
	});

	it('rebuilds a damaged record from the messages on the next write', async () => {
		const c = await repo.create();
		await repo.appendMessage(c.id, { role: 'user', content: 'Alpha beta' });
		await (await db()).put('searchTerms', { conversationId: c.id, terms: 'broken' } as never);
		await repo.appendMessage(c.id, { role: 'user', content: 'Gamma' });
		expect(await termsOf(c.id)).toEqual({ alpha: 1, beta: 1, gamma: 1 });
	});
});

describe('a database upgraded from v4', () => {
	it('finds old conversations before they are indexed, and indexes them in batches, resumably', async () => {
		const v4 = FIXTURES.find((f) => f.version === 4);
		if (!v4) throw new Error('no v4 fixture');
		const name = `search-upgrade-${++count}`;
		await seedDatabase({ name, fixture: v4 });
		db = connect(name);
		repo = new ConversationRepository(db, { notify: () => {} });
		search = new SearchRepository(db);
		const ids = (await repo.list()).map((c) => c.id);
		expect(ids.length).toBeGreaterThan(1);

		// Nothing indexed yet: a search reads those conversations, and finds the word.
		expect(await search.unindexed(ids)).toEqual(ids);
		expect(await found('Scheidegg')).toHaveLength(1);

		// One batch, then a reload (a new connection): only the rest is left to do.
		expect(await search.indexConversations(ids.slice(0, 1))).toBe(1);
		const again = new SearchRepository(connect(name));
		expect(await again.unindexed(ids)).toEqual(ids.slice(1));
		expect(await again.indexConversations(ids)).toBe(ids.length - 1);
		expect(await again.unindexed(ids)).toEqual([]);
		expect(await again.indexConversations(ids)).toBe(0);

		// Now the index alone names the conversation.
		expect(await candidates('scheidegg')).toHaveProperty('size', 1);
		expect(await found('Scheidegg')).toHaveLength(1);
		// And it is kept up to date from then on.
		const [first] = ids;
		if (!first) throw new Error('no conversation');
		await repo.appendMessage(first, { role: 'user', content: 'Zermatt next?' });
		expect(await candidates('zermatt')).toEqual(new Set([first]));
	});
});
