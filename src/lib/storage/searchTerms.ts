// The words that history search indexes and looks up, in any script. Pure functions: the stored
// index (searchIndex.ts) keeps each conversation's terms, and a query is turned into the terms a
// matching conversation must have (`planQuery`); the exact match is then checked on the text
// itself (search.ts's `findMatch`).
//
// A term is one of:
// - a run of letters and digits with their combining marks ("naïve", "हिन्दी", "x86"), in a script
//   written with spaces between words;
// - one character of a script written without spaces (Chinese, Japanese, Thai, Lao, Khmer,
//   Myanmar, Tibetan), with its marks: these scripts have no word boundaries to find, so every
//   character is a place a match may start;
// - a run of symbols (emoji with their modifiers and joiners, "++", "€").
// Whitespace and punctuation separate terms. Text is compared in Unicode's composed form (NFC)
// and lowercased, so "É" typed on a keyboard finds an "é" stored decomposed; other accents count
// ("cafe" does not find "café"), as they always did.

/** Terms longer than this are stored cut to it (a pasted key or a base64 blob is one long term). */
export const MAX_TERM = 24;

const NO_SPACE =
	'\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}' +
	'\\p{Script=Khmer}\\p{Script=Myanmar}\\p{Script=Tibetan}\\p{Script=Bopomofo}';
/** Marks and joiners belong to the character before them. */
const EXTEND = '\\p{M}\\u200c\\u200d';

const TERM = new RegExp(
	[
		`[${NO_SPACE}][${EXTEND}]*`,
		`(?:(?![${NO_SPACE}])[\\p{L}\\p{N}])(?:(?![${NO_SPACE}])[\\p{L}\\p{N}${EXTEND}])*`,
		`\\p{S}[\\p{S}${EXTEND}]*`
	].join('|'),
	'gu'
);

/** The text as it is compared: composed (NFC) and lowercased. */
export function fold(text: string): string {
	return text.normalize('NFC').toLowerCase();
}

/** The terms of already folded text, in order, with where each starts. */
export function termSpans(folded: string): Array<{ term: string; start: number }> {
	return Array.from(folded.matchAll(TERM), (m) => ({ term: m[0], start: m.index }));
}

/** A term as the index keeps it (cut to MAX_TERM characters). */
export function stored(term: string): string {
	return term.length > MAX_TERM ? term.slice(0, MAX_TERM) : term;
}

/** The distinct terms of a text, as the index stores them. */
export function indexTerms(text: string): string[] {
	const terms = new Set<string>();
	for (const m of fold(text).matchAll(TERM)) terms.add(stored(m[0]));
	return [...terms];
}

/** What a conversation's stored terms must include to possibly match a query. */
export interface QueryTerm {
	term: string;
	/** The query ends inside this term: stored terms that start with it match too. */
	prefix: boolean;
}

export interface QueryPlan {
	/** The query as text is compared: folded, trimmed, whitespace collapsed. */
	needle: string;
	/** Empty when the query is only punctuation: then every conversation must be read. */
	terms: QueryTerm[];
}

/**
 * The needle and the terms of a query, or null for a blank one. Every term is whole except the
 * last, which the user may still be typing; a term cut to MAX_TERM is looked up as a prefix.
 */
export function planQuery(query: string): QueryPlan | null {
	const needle = fold(query).trim().replace(/\s+/g, ' ');
	if (!needle) return null;
	const spans = termSpans(needle);
	const terms = spans.map(({ term, start }, i): QueryTerm => {
		const last = i === spans.length - 1 && start + term.length === needle.length;
		return { term: stored(term), prefix: last || term.length > MAX_TERM };
	});
	const unique = new Map<string, QueryTerm>();
	for (const t of terms) {
		const seen = unique.get(t.term);
		// "ab ab" needs the term once, whole: a whole term is also a prefix of itself.
		unique.set(t.term, seen ? { term: t.term, prefix: seen.prefix && t.prefix } : t);
	}
	return { needle, terms: [...unique.values()] };
}
