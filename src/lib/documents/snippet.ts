// The part of a passage to show in a search hit: the text around the first word of the question
// that occurs in it (the word highlighted), or its start when none does.
import { snippet } from '$lib/storage/search';
import { STOP_WORDS, words } from '$lib/text/words';

export interface PassageSnippet {
	before: string;
	match: string;
	after: string;
}

const RADIUS = 90;

export function passageSnippet(text: string, query: string): PassageSnippet {
	const candidates = [...new Set(words(query))].sort(
		(a, b) => Number(STOP_WORDS.has(a)) - Number(STOP_WORDS.has(b)) || b.length - a.length
	);
	for (const word of candidates) {
		const found = snippet(text, word, RADIUS);
		if (found) {
			const { start, length } = found.match;
			return {
				before: found.snippet.slice(0, start),
				match: found.snippet.slice(start, start + length),
				after: found.snippet.slice(start + length)
			};
		}
	}
	const flat = text.replace(/\s+/g, ' ').trim();
	return {
		before: flat.length > RADIUS * 2 ? `${flat.slice(0, RADIUS * 2)}…` : flat,
		match: '',
		after: ''
	};
}
