// Words as search matches them: letters and digits in any script, lowercased, so "Heron," and
// "heron" are one word and "7-4-1-9" is four. Shared by document retrieval's word match (and the
// test engine's hashed embeddings, so that a question and the passage holding its words meet).

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of `text`, lowercased, in order (with repeats). */
export function words(text: string): string[] {
	return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Words too common to tell passages apart (English; other languages' common words only weigh
 * less through their frequency). Left out of the word match's query, never out of the text.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
	(
		'a an and are as at be but by can do does for from had has have how i if in into is it its ' +
		'me my no not of on or our so than that the their them then there these they this to was we ' +
		'were what when where which who why will with you your'
	).split(' ')
);
