// What is typed but not sent survives a reload of this tab (sessionStorage: this tab only, on this
// device). The Composer writes it when the page is hidden or left, not on every keystroke.

/**
 * The key the shell's box hands its text over under (app/takeOver.ts's DRAFT_KEY, which a unit
 * test keeps equal): not imported, because that module belongs to the first page and sharing it
 * with the chat page's chunk would split it into a chunk, and a request, of its own.
 */
export const DRAFT_KEY = 'lantern:draft';

/** This tab's kept draft, or '' (none, or storage disabled). */
export function readDraft(): string {
	try {
		return sessionStorage.getItem(DRAFT_KEY) ?? '';
	} catch {
		return '';
	}
}

/** Keeps `draft` for this tab; an empty one removes what was kept. */
export function keepDraft(draft: string): void {
	try {
		if (draft) sessionStorage.setItem(DRAFT_KEY, draft);
		else sessionStorage.removeItem(DRAFT_KEY);
	} catch {
		// Storage full or disabled: the draft is then only in the box, as before.
	}
}
