// A text too long to be a message: pasted into the message box, or shared to Lantern from another
// app. Past this length (about 1,000 tokens, a few pages) it is better kept as a document, of which
// each question sends the model only the passages that answer it, with their sources.

/** Characters from which a text is offered (or, when shared, kept) as a document. */
export const LONG_TEXT_CHARS = 4000;

/** The text as a plain-text document file named `name` (no extension: its type says what it is). */
export function textDocument(text: string, name: string): File {
	return new File([text], name, { type: 'text/plain' });
}
