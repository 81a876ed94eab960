import { describe, expect, it } from 'vitest';
import { ALLOWED_ATTRIBUTE_VALUE, SAFE_URL } from '$lib/render/sanitize';

// DOMPurify itself needs a DOM, so it is exercised by the e2e suite with tests/fixtures/xss-vectors.
// These check the two rules it is configured with.

describe('attribute values DOMPurify keeps', () => {
	it.each([
		'button',
		'left',
		'0',
		'12',
		'noopener noreferrer',
		'https://example.com',
		'mailto:a@b.c'
	])('keeps %s', (value) => expect(ALLOWED_ATTRIBUTE_VALUE.test(value)).toBe(true));

	it.each([
		'javascript:alert(1)',
		'JavaScript:alert(1)',
		'data:text/html,x',
		'vbscript:x',
		'tel:1'
	])('refuses %s', (value) => expect(ALLOWED_ATTRIBUTE_VALUE.test(value)).toBe(false));
});

describe('link targets the hook keeps', () => {
	it.each([
		['https://example.com', true],
		['HTTP://example.com', true],
		['mailto:a@b.c', true],
		['/relative', false],
		['#top', false],
		['javascript:alert(1)', false],
		['', false]
	])('%s → %s', (value, kept) => expect(SAFE_URL.test(value)).toBe(kept));
});
