// Search by meaning over the history: off by default; once on, every message is embedded in the
// background, resumably, never unloading the chat's model; a search names the conversations
// closest in meaning. Embeddings are hashed words (tests/fixtures/hashed-embedding.ts).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HistoryMeaning } from '$lib/chat/HistoryMeaning.svelte';
import { EngineError } from '$lib/engine/errors';
import type { Engine, ModelRecord } from '$lib/engine/types';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect } from '$lib/storage/db';
import { SearchRepository } from '$lib/storage/searchRepository';
import { SettingsRepository } from '$lib/storage/settings';
import { hashedEmbedding } from '../../fixtures/hashed-embedding';

const EMBEDDER: ModelRecord = {
	model: 'x',
	model_id: 'embedder',
	model_lib: 'x',
	model_type: 1,
	vram_required_MB: 300
};
const CHAT: ModelRecord = { model: 'x', model_id: 'chat', model_lib: 'x', vram_required_MB: 4000 };

/** An engine that embeds hashed words, and logs loads and embedded texts. */
function embeddingEngine(loaded: string[] = []) {
	const log = {
		loads: [] as string[][],
		embedded: [] as string[],
		fail: null as EngineError | null
	};
	const engine = {
		async load(models: ModelRecord[]) {
			log.loads.push(models.map((m) => m.model_id));
			loaded.splice(
				0,
				loaded.length,
				...loaded.filter((id) => id === 'chat'),
				...models.map((m) => m.model_id)
			);
		},
		async embed({ modelId, input }: { modelId: string; input: string[] }) {
			if (log.fail) throw log.fail;
			if (!loaded.includes(modelId)) throw new EngineError('model-not-found', modelId);
			log.embedded.push(...input);
			return input.map((t) => hashedEmbedding(t));
		},
		async loaded() {
			return [...loaded];
		}
	} as unknown as Engine;
	return { engine, log };
}

let count = 0;

async function history() {
	const db = connect(`meaning-${++count}`);
	const repo = new ConversationRepository(db, { notify: () => {} });
	const fruit = await repo.create({ title: 'Snacks' });
	await repo.appendMessage(fruit.id, {
		role: 'user',
		content: 'Which fruit has the most potassium?'
	});
	await repo.appendMessage(fruit.id, {
		role: 'assistant',
		content: 'Bananas are rich in potassium and easy to carry.'
	});
	const rock = await repo.create({ title: 'Geology' });
	await repo.appendMessage(rock.id, { role: 'user', content: 'What is granite made of?' });
	return { db, repo, fruit, rock };
}

function meaningOver(
	db: ReturnType<typeof connect>,
	engine: Engine,
	model: ModelRecord | null = EMBEDDER,
	budget: number | undefined = 8000
) {
	return new HistoryMeaning({
		repository: new SearchRepository(db),
		settings: new SettingsRepository(db, () => {}),
		engine,
		model: async () => model,
		records: () => [EMBEDDER, CHAT],
		memoryBudgetMB: () => budget
	});
}

describe('search by meaning', () => {
	it('is off by default: nothing is embedded and a search adds nothing', async () => {
		const { db } = await history();
		const { engine, log } = embeddingEngine();
		const meaning = meaningOver(db, engine);
		await meaning.start();
		expect(meaning.enabled).toBe(false);
		expect(meaning.status).toEqual({ state: 'off' });
		expect(await meaning.search('bananas potassium')).toEqual([]);
		expect(log.embedded).toEqual([]);
	});

	it('says when no embedding model is stored', async () => {
		const { db } = await history();
		const meaning = meaningOver(db, embeddingEngine().engine, null);
		await meaning.setEnabled(true);
		await meaning.index();
		expect(meaning.status).toEqual({ state: 'no-model' });
	});

	it('embeds every message once, remembers the option, and finds a conversation by meaning', async () => {
		const { db, fruit } = await history();
		const { engine, log } = embeddingEngine();
		const meaning = meaningOver(db, engine);
		await meaning.setEnabled(true);
		await meaning.index();
		expect(meaning.status).toEqual({ state: 'ready', done: 3, total: 3 });
		expect(log.loads).toEqual([['embedder']]);
		expect(log.embedded).toHaveLength(3);

		const hits = await meaning.search('potassium in bananas');
		expect(hits.map((h) => h.conversationId)).toEqual([fruit.id]);
		expect(hits[0]).toMatchObject({ byMeaning: true, in: 'message' });

		// A reload: the option is still on, and nothing is embedded twice.
		const again = meaningOver(db, engine);
		await again.start();
		expect(again.enabled).toBe(true);
		await again.index();
		// Only the query was embedded since.
		expect(log.embedded.slice(3)).toEqual(['potassium in bananas']);
	});

	it('embeds again only a message whose text changed', async () => {
		const { db, repo, rock } = await history();
		const { engine, log } = embeddingEngine();
		const meaning = meaningOver(db, engine);
		await meaning.setEnabled(true);
		await meaning.index();
		const [question] = (await repo.get(rock.id))?.messages ?? [];
		if (!question) throw new Error('no message');
		await repo.updateMessage(question.id, { content: 'What is basalt made of?' });
		await meaning.index();
		expect(log.embedded.slice(3)).toEqual(['What is basalt made of?']);
		expect(meaning.status).toEqual({ state: 'ready', done: 3, total: 3 });
	});

	it('waits, without unloading it, while the chat model leaves no room on the GPU', async () => {
		const { db } = await history();
		const { engine, log } = embeddingEngine(['chat']);
		const meaning = meaningOver(db, engine, EMBEDDER, 4000);
		await meaning.setEnabled(true);
		await meaning.index();
		expect(meaning.status).toEqual({ state: 'gpu-busy' });
		expect(log.loads).toEqual([]);
		expect(await meaning.search('bananas')).toEqual([]);
	});

	it('stops and says why when the engine fails, and goes on from there next time', async () => {
		const { db } = await history();
		const { engine, log } = embeddingEngine();
		log.fail = new EngineError('device-lost', 'GPU gone');
		const meaning = meaningOver(db, engine);
		await meaning.setEnabled(true);
		await meaning.index();
		expect(meaning.status).toEqual({ state: 'failed', source: 'engine', code: 'device-lost' });
		log.fail = null;
		await meaning.index();
		expect(meaning.status).toEqual({ state: 'ready', done: 3, total: 3 });
	});

	it('switched off, stops indexing and searching by meaning', async () => {
		const { db } = await history();
		const { engine } = embeddingEngine();
		const meaning = meaningOver(db, engine);
		await meaning.setEnabled(true);
		await meaning.index();
		await meaning.setEnabled(false);
		expect(meaning.status).toEqual({ state: 'off' });
		expect(await meaning.search('bananas potassium')).toEqual([]);
	});
});
