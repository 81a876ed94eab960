// The unsent draft of this tab: kept under the key the shell's box hands its text over under, and
// removed when the box is empty.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_KEY as SHELL_KEY } from '$lib/app/takeOver';
import { DRAFT_KEY, keepDraft, readDraft } from '$lib/chat/draft';

function memoryStorage() {
	const stored = new Map<string, string>();
	return {
		stored,
		getItem: (k: string) => stored.get(k) ?? null,
		setItem: (k: string, v: string) => void stored.set(k, v),
		removeItem: (k: string) => void stored.delete(k)
	};
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('the draft', () => {
	it('is kept under the key the shell hands its text over under', () => {
		expect(DRAFT_KEY).toBe(SHELL_KEY);
	});

	it('reads back what was kept, and an empty box removes it', () => {
		const storage = memoryStorage();
		vi.stubGlobal('sessionStorage', storage);
		expect(readDraft()).toBe('');
		keepDraft('half a thought');
		expect(readDraft()).toBe('half a thought');
		keepDraft('');
		expect(storage.stored.has(DRAFT_KEY)).toBe(false);
	});

	it('is only in the box when storage is disabled', () => {
		vi.stubGlobal('sessionStorage', {
			getItem: () => {
				throw new DOMException('denied', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('denied', 'SecurityError');
			},
			removeItem: () => {
				throw new DOMException('denied', 'SecurityError');
			}
		});
		expect(() => keepDraft('text')).not.toThrow();
		expect(readDraft()).toBe('');
	});
});
