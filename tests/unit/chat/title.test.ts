import { describe, expect, it } from 'vitest';
import { TITLE_MAX_LENGTH, titleFrom } from '$lib/chat/title';

describe('titleFrom', () => {
	it('takes the first non-empty line, trimmed and collapsed', () => {
		expect(titleFrom('\n\n   How do   I bake bread?  \nMore details')).toBe('How do I bake bread?');
	});

	it('returns short text unchanged and blank text as empty', () => {
		expect(titleFrom('Hi')).toBe('Hi');
		expect(titleFrom('  \n\t ')).toBe('');
	});

	it('cuts long text on a word boundary with an ellipsis', () => {
		const title = titleFrom(
			'Please explain the difference between optimistic and pessimistic locking in databases'
		);
		expect(title).toBe('Please explain the difference between…');
		expect(title.length).toBeLessThanOrEqual(TITLE_MAX_LENGTH);
	});

	it('cuts inside a word when there is no space near the end', () => {
		const title = titleFrom('x'.repeat(100));
		expect(title).toBe('x'.repeat(47) + '…');
	});

	it('does not end with punctuation before the ellipsis', () => {
		expect(titleFrom('aaaa bbbb cccc dddd eeee ffff gggg hhhh, iiii jjjj kkkk', 45)).toBe(
			'aaaa bbbb cccc dddd eeee ffff gggg hhhh…'
		);
	});

	it('drops Markdown line markers', () => {
		expect(titleFrom('## Summarise this')).toBe('Summarise this');
		expect(titleFrom('> quoted question')).toBe('quoted question');
		expect(titleFrom('1. first step')).toBe('first step');
	});

	it('does not split surrogate pairs', () => {
		const title = titleFrom('😀'.repeat(60));
		expect(Array.from(title)).toHaveLength(TITLE_MAX_LENGTH);
		expect(title.endsWith('😀…')).toBe(true);
	});
});
