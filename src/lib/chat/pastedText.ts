// A long text pasted into the message box can go to the conversation as a document instead
// (Composer's offer). Until the user chooses, it stays in the box where it was pasted; choosing
// "Attach as a document" takes exactly that text out again, wherever the user typed meanwhile.

/** The draft without the pasted text: from where it was pasted, or else its first occurrence. */
export function withoutPasted(draft: string, pasted: string, at: number): string {
	const start = draft.slice(at, at + pasted.length) === pasted ? at : draft.indexOf(pasted);
	return start < 0 ? draft : draft.slice(0, start) + draft.slice(start + pasted.length);
}

/** Pasted text as the box holds it: a textarea keeps only `\n` line ends. */
export const asTyped = (text: string): string => text.replace(/\r\n?/g, '\n');
