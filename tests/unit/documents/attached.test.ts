import { describe, expect, it } from 'vitest';
import { resolveAttachment } from '$lib/documents/attached';
import type { Collection, StoredDocument } from '$lib/documents/types';

const doc = (id: string, collectionIds: string[] = []) =>
	({ id, name: `${id}.txt`, collectionIds }) as StoredDocument;
const collection = (id: string): Collection => ({ id, name: id, createdAt: 0, updatedAt: 0 });

describe('resolveAttachment', () => {
	it('lists documents attached by themselves first, then those of attached collections, each once, leaving out missing ones', () => {
		const documents = [doc('a', ['c']), doc('b', ['c']), doc('d')];
		const resolved = resolveAttachment(
			{
				conversationId: 'x',
				documentIds: ['b', 'gone'],
				collectionIds: ['c', 'nope'],
				updatedAt: 0
			},
			documents,
			[collection('c')]
		);
		expect(resolved.map((r) => [r.document.id, r.via?.id ?? null])).toEqual([
			['b', null],
			['a', 'c']
		]);
		expect(resolveAttachment(null, documents, [])).toEqual([]);
	});
});
