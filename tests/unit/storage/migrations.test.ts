// Every schema version Lantern ever shipped, upgraded to today's: the old database is built from
// its fixture's own description (tests/fixtures/migrations/), opened through the app's `connect`,
// and read back through the repositories the UI uses. Nothing may be lost or altered.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CompareRepository } from '$lib/compare/repository';
import { DocumentRepository } from '$lib/documents/repository';
import { ModelRepository } from '$lib/models/customModels';
import { BackupRepository } from '$lib/storage/backup';
import { ConversationRepository } from '$lib/storage/conversations';
import { DB_VERSION, connect, openLanternDb, type Connection } from '$lib/storage/db';
import { PresetRepository } from '$lib/storage/presets';
import { SettingsRepository } from '$lib/storage/settings';
import { FIXTURES, seedDatabase, type SchemaFixture } from '../../fixtures/migrations';
import { searchStored } from './searchStored';

const quiet = () => {};
let count = 0;

/** An old database built from `fixture` alone, then a connection from today's code. */
async function upgraded(fixture: SchemaFixture): Promise<{ name: string; db: Connection }> {
	const name = `migration-v${fixture.version}-${++count}`;
	await seedDatabase({ name, fixture });
	return { name, db: connect(name) };
}

/** Stores, key paths and indexes, in a comparable form. */
function describeSchema(db: IDBDatabase) {
	const names = [...db.objectStoreNames].sort();
	const tx = db.transaction(names, 'readonly');
	return names.map((name) => {
		const store = tx.objectStore(name);
		return {
			name,
			keyPath: store.keyPath,
			autoIncrement: store.autoIncrement,
			indexes: [...store.indexNames].sort().map((i) => {
				const index = store.index(i);
				return {
					name: i,
					keyPath: index.keyPath,
					unique: index.unique,
					multiEntry: index.multiEntry
				};
			})
		};
	});
}

async function freshSchema() {
	const db = await openLanternDb(`migration-fresh-${++count}`);
	const schema = describeSchema(db as unknown as IDBDatabase);
	db.close();
	return schema;
}

/** The fixture's records of `store`, typed as what the app reads back. */
function records<T>(fixture: SchemaFixture, store: string): T[] {
	return (fixture.records[store] ?? []) as T[];
}

type Timed = { createdAt: number; updatedAt: number };
const newestFirst = (a: Timed, b: Timed) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt;

describe.each(FIXTURES.map((fixture) => [fixture.version, fixture] as const))(
	'a database written by schema v%i',
	(version, fixture) => {
		it('upgrades to exactly the schema a new install gets (stores, key paths, indexes)', async () => {
			const { db } = await upgraded(fixture);
			const opened = await db();
			expect(opened.version).toBe(DB_VERSION);
			expect(describeSchema(opened as unknown as IDBDatabase)).toEqual(await freshSchema());
			opened.close();
		});

		it('keeps every stored record, unchanged', async () => {
			const { db } = await upgraded(fixture);
			const opened = await db();
			for (const [store, written] of Object.entries(fixture.records)) {
				const raw: unknown[] = await opened.getAll(store as never);
				const key = fixture.stores[store]?.keyPath ?? 'id';
				const byKey = (x: unknown) => String((x as Record<string, unknown>)[key]);
				expect(raw.map(byKey).sort(), store).toEqual(written.map(byKey).sort());
				expect(raw, store).toEqual(expect.arrayContaining(written));
			}
			opened.close();
		});

		it('reads back every conversation, message, preset and setting through the chat repositories', async () => {
			const { db } = await upgraded(fixture);
			const conversations = new ConversationRepository(db, { notify: quiet });
			type C = { id: string } & Timed;
			type M = { id: string; conversationId: string; createdAt: number };
			const stored = records<C>(fixture, 'conversations');
			expect(stored.length).toBeGreaterThan(1);

			// The sidebar's list, newest first, with every field as written.
			expect(await conversations.list()).toStrictEqual([...stored].sort(newestFirst));
			// Each conversation as the chat opens it: its messages through the by-conversationId index.
			for (const c of stored) {
				const found = await conversations.get(c.id);
				expect(found?.conversation).toStrictEqual(c);
				expect(found?.messages).toStrictEqual(
					records<M>(fixture, 'messages')
						.filter((m) => m.conversationId === c.id)
						.sort((a, b) => a.createdAt - b.createdAt)
				);
			}
			// Search and the full backup read the same records.
			const hits = await searchStored(conversations, db, 'Scheidegg');
			expect(hits.map((h) => h.conversationId)).toEqual([stored[0]?.id]);
			const backup = await new BackupRepository(db, { notify: quiet }).exportAll();
			expect(backup.messages).toHaveLength(records(fixture, 'messages').length);
			expect(backup.settings).toStrictEqual(records(fixture, 'settings'));

			const presets = new PresetRepository(db, { notify: quiet });
			expect(await presets.list()).toStrictEqual(
				records<{ name: string }>(fixture, 'presets').sort((a, b) => a.name.localeCompare(b.name))
			);
			const settings = new SettingsRepository(db, quiet);
			const isTheme = (x: unknown): x is string => typeof x === 'string';
			expect(await settings.get('theme', isTheme, 'system')).toBe('dark');
		});

		it('reads back custom models and model notes (empty stores if this version had none)', async () => {
			const { db } = await upgraded(fixture);
			const models = new ModelRepository(db);
			expect(await models.customModels()).toStrictEqual(
				records<{ addedAt: number }>(fixture, 'customModels').sort((a, b) => a.addedAt - b.addedAt)
			);
			expect(await models.notes()).toEqual(expect.arrayContaining(records(fixture, 'modelNotes')));
			expect(await models.notes()).toHaveLength(records(fixture, 'modelNotes').length);
			if (version < 2) expect(fixture.stores.customModels).toBeUndefined();
		});

		it('reads back votes, suites, runs and comparisons (empty stores if this version had none)', async () => {
			const { db } = await upgraded(fixture);
			const compare = new CompareRepository(db);
			expect(await compare.listVotes()).toStrictEqual(
				records<{ createdAt: number }>(fixture, 'compareVotes').sort(
					(a, b) => a.createdAt - b.createdAt
				)
			);
			const newest = (a: Timed, b: Timed) => b.updatedAt - a.updatedAt;
			expect(await compare.listSuites()).toStrictEqual(
				records<Timed>(fixture, 'compareSuites').sort(newest)
			);
			expect(await compare.listRuns()).toStrictEqual(
				records<Timed>(fixture, 'compareRuns').sort(newest)
			);
			expect(await compare.listComparisons()).toStrictEqual(
				records<Timed>(fixture, 'comparisons').sort(newest)
			);
			if (version < 3) expect(fixture.stores.comparisons).toBeUndefined();
		});

		it('reads back documents, passages with their vectors, collections and attachments (empty if this version had none)', async () => {
			const { db } = await upgraded(fixture);
			const documents = new DocumentRepository(db);
			type D = { id: string; createdAt: number; file: Blob };
			const stored = records<D>(fixture, 'documents');
			const listed = await documents.listDocuments();
			expect(listed.map((d) => d.id)).toEqual(
				[...stored].sort((a, b) => a.createdAt - b.createdAt).map((d) => d.id)
			);
			for (const d of stored) {
				const { file, ...rest } = d;
				const found = await documents.getDocument(d.id);
				expect(found).toMatchObject(rest);
				// The original file comes back as the same bytes.
				expect(await found?.file.text()).toBe(await file.text());
				type P = { id: string; documentId: string; vector: Float32Array | null };
				const passages = records<P>(fixture, 'passages').filter((p) => p.documentId === d.id);
				const read = await documents.passagesOf(d.id);
				expect(read).toStrictEqual([...passages].sort((a, b) => a.id.localeCompare(b.id)));
				expect(await documents.countPassages(d.id)).toBe(passages.length);
			}
			expect(await documents.listCollections()).toStrictEqual(records(fixture, 'collections'));
			for (const a of records<{ conversationId: string }>(fixture, 'attachments')) {
				expect(await documents.getAttachment(a.conversationId)).toStrictEqual(a);
			}
			if (version < 4) expect(fixture.stores.documents).toBeUndefined();
		});

		it('lets the app write to the stores this version did not have', async () => {
			const { db } = await upgraded(fixture);
			const models = new ModelRepository(db);
			await models.updateNote('new-model', { sizeBytes: 1 });
			expect(await models.notes()).toContainEqual({ modelId: 'new-model', sizeBytes: 1 });
			const compare = new CompareRepository(db);
			const suite = {
				id: 'new-suite',
				name: 'After the upgrade',
				prompts: ['Hello?'],
				tags: [],
				createdAt: 1,
				updatedAt: 2
			};
			await compare.putSuite(suite);
			expect(await compare.listSuites()).toContainEqual(suite);
			const documents = new DocumentRepository(db);
			const collection = { id: 'new-collection', name: 'After', createdAt: 1, updatedAt: 2 };
			await documents.putCollection(collection);
			expect(await documents.listCollections()).toContainEqual(collection);
		});
	}
);

describe('migration fixtures', () => {
	it('cover every schema version: adding an upgrade step needs tests/fixtures/migrations/vN.ts', async () => {
		expect(FIXTURES.map((f) => f.version)).toEqual(
			Array.from({ length: DB_VERSION }, (_, i) => i + 1)
		);
		// The newest fixture has every store of today's schema, each with records to read back.
		const newest = FIXTURES.at(-1);
		const stores = (await freshSchema()).map((s) => s.name);
		expect(Object.keys(newest?.stores ?? {}).sort()).toEqual(stores);
		for (const store of stores) expect(newest?.records[store], store).not.toHaveLength(0);
	});
});
