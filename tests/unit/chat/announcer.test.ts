import { describe, expect, it } from 'vitest';
import { Announcer, lastSentenceEnd } from '$lib/chat/announcer';

describe('Announcer', () => {
	it('speaks whole sentences at most once per interval, and the rest at the end', () => {
		let now = 0;
		const announcer = new Announcer(1000, () => now);
		now = 500;
		expect(announcer.next('One. Tw', false)).toBeNull();
		now = 1000;
		expect(announcer.next('One. Tw', false)).toBe('One.');
		now = 1500;
		expect(announcer.next('One. Two. Thr', false)).toBeNull();
		now = 2100;
		expect(announcer.next('One. Two three', false)).toBeNull();
		expect(announcer.next('One. Two three', true)).toBe(' Two three');
		expect(announcer.next('One. Two three', true)).toBeNull();
	});

	it('finds the end of the last sentence or line', () => {
		expect(lastSentenceEnd('no end yet')).toBe(0);
		expect(lastSentenceEnd('a. b? c')).toBe(5);
		expect(lastSentenceEnd('list:\n- item')).toBe(6);
	});
});
