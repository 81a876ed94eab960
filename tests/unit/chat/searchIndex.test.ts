import { describe, expect, it } from 'vitest';
import { SearchIndex } from '$lib/chat/searchIndex';
import type { Conversation } from '$lib/storage/types';

function conversation(id: string, title: string): Conversation {
	return { id, title, createdAt: 0, updatedAt: 0, modelId: null, systemPrompt: '', settings: {} };
}

const list = [conversation('b', 'Newer chat'), conversation('a', 'Older chat about Rust')];

describe('SearchIndex', () => {
	it('finds titles first, then the earliest matching message, in the list order', () => {
		const index = new SearchIndex();
		// Batches arrive in key order, not in time order.
		index.add([
			{ id: 'b2', conversationId: 'b', content: 'Second RUST\nmention', createdAt: 20 },
			{ id: 'a1', conversationId: 'a', content: 'nothing here', createdAt: 5 }
		]);
		index.add([{ id: 'b1', conversationId: 'b', content: 'first   rust mention', createdAt: 10 }]);
		const hits = index.search('  Rust ', list);
		expect(hits.map((h) => [h.conversationId, h.in, h.messageId])).toEqual([
			['b', 'message', 'b1'],
			['a', 'title', undefined]
		]);
		const first = hits[0];
		expect(first?.snippet.slice(first.match.start, first.match.start + first.match.length)).toBe(
			'rust'
		);
	});

	it('matches across collapsed whitespace, and forgets replaced or deleted conversations', () => {
		const index = new SearchIndex();
		index.set('b', [{ id: 'm', content: 'hello\n\n  world', createdAt: 1 }]);
		expect(index.search('hello world', list)).toHaveLength(1);
		index.set('b', [{ id: 'm', content: 'goodbye', createdAt: 1 }]);
		expect(index.search('hello', list)).toEqual([]);
		index.delete('b');
		expect(index.search('goodbye', list)).toEqual([]);
		expect(index.search('   ', list)).toEqual([]);
	});

	it('ignores conversations that are not in the list (deleted elsewhere)', () => {
		const index = new SearchIndex();
		index.set('gone', [{ id: 'x', content: 'needle', createdAt: 1 }]);
		expect(index.search('needle', list)).toEqual([]);
	});
});
