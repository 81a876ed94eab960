// A very long message (a pasted log, a document) is shown folded: laying out a megabyte of text
// costs the browser about a second, every time the conversation is opened. Its start is shown,
// and the whole of it is one click away; it is stored, sent and copied whole either way.

/** Messages longer than this (in UTF-16 code units) are shown folded. */
export const FOLD_OVER = 20_000;
/** How much of a folded message is shown. */
export const PREVIEW_LENGTH = 4_000;

/** The start of `text` to show folded, or null when it is short enough to show whole. */
export function foldedPreview(text: string): string | null {
	if (text.length <= FOLD_OVER) return null;
	let end = PREVIEW_LENGTH;
	// Never end on the first half of a surrogate pair (half an emoji).
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return text.slice(0, end);
}
