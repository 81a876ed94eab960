import { describe, expect, it } from 'vitest';
import { fileName } from '$lib/chat/files';

describe('fileName', () => {
	it('keeps a title readable and safe on every system', () => {
		expect(fileName('What is 1/2? <answer>', 'md')).toBe('What is 1 2 answer.md');
		expect(fileName('  \u0007 ', 'json')).toBe('conversation.json');
		expect(fileName('x'.repeat(100), 'md')).toBe(`${'x'.repeat(60)}.md`);
	});
});
