import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ConversationRepository } from '$lib/storage/conversations';
import { connect } from '$lib/storage/db';

let dbCount = 0;

function repository() {
	let ids = 0;
	return new ConversationRepository(connect(`lantern-searchable-${++dbCount}`), {
		notify: () => undefined,
		newId: () => `id-${String(++ids).padStart(4, '0')}`
	});
}

describe('reading messages for the search index', () => {
	it('reads every message but failed ones, in batches, pausing between them', async () => {
		const repo = repository();
		const c = await repo.create({ title: 't' });
		for (let i = 0; i < 7; i++)
			await repo.appendMessage(c.id, {
				role: i % 2 ? 'assistant' : 'user',
				content: `m${i}`,
				...(i === 3 ? { status: 'error' as const, errorCode: 'unknown' as const } : {})
			});
		const batches: string[][] = [];
		let pauses = 0;
		await repo.readSearchable((batch) => batches.push(batch.map((m) => m.content)), {
			batch: 3,
			pause: async () => void pauses++
		});
		expect(batches.map((b) => b.length)).toEqual([3, 2, 1]);
		expect(batches.flat().sort()).toEqual(['m0', 'm1', 'm2', 'm4', 'm5', 'm6']);
		expect(pauses).toBe(2);
	});
});

describe('an answer left streaming by a closed tab', () => {
	it('is marked interrupted, unless its writer finished it meanwhile', async () => {
		const repo = repository();
		const c = await repo.create();
		const left = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: 'partial',
			status: 'streaming'
		});
		const finished = await repo.appendMessage(c.id, {
			role: 'assistant',
			content: 'whole',
			status: 'streaming'
		});
		await repo.updateMessage(finished.id, { status: 'complete' });
		expect((await repo.markInterrupted(left.id))?.status).toBe('interrupted');
		expect((await repo.markInterrupted(finished.id))?.status).toBe('complete');
		expect(await repo.markInterrupted('nope')).toBeNull();
		const stored = await repo.get(c.id);
		expect(stored?.messages.map((m) => [m.content, m.status])).toEqual([
			['partial', 'interrupted'],
			['whole', 'complete']
		]);
	});
});
