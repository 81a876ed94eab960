import { describe, expect, it } from 'vitest';
import { FOLD_OVER, foldedPreview, PREVIEW_LENGTH } from '$lib/chat/preview';

describe('foldedPreview', () => {
	it('shows ordinary messages whole', () => {
		expect(foldedPreview('Hello')).toBeNull();
		expect(foldedPreview('x'.repeat(FOLD_OVER))).toBeNull();
	});

	it('folds a long message to its start', () => {
		const long = 'a'.repeat(1024 * 1024);
		expect(foldedPreview(long)).toBe('a'.repeat(PREVIEW_LENGTH));
	});

	it('never cuts an emoji in half', () => {
		const long = `${'a'.repeat(PREVIEW_LENGTH - 1)}😀${'b'.repeat(FOLD_OVER)}`;
		expect(foldedPreview(long)).toBe('a'.repeat(PREVIEW_LENGTH - 1));
	});
});
