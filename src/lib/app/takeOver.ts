// What was typed into the shell's message box before the app's code arrived goes on in the real one:
// the same text, and the cursor where it was if the box had the focus. The real box (chat/Composer)
// reads its draft from this tab's sessionStorage when it is created, so the text is left there.

/** The key under which chat/Composer keeps this tab's draft. */
export const DRAFT_KEY = 'lantern:draft';
/** How long to wait for the real message box (it appears once the conversation is read). */
const WAIT_MS = 10_000;

/**
 * Call just before the shell is replaced. Returns what to call once the app is shown: it puts the
 * focus and cursor in the real message box when the shell's had them.
 */
export function takeOver(box: HTMLTextAreaElement | undefined, draft: string): () => void {
	if (draft) {
		try {
			sessionStorage.setItem(DRAFT_KEY, draft);
		} catch {
			// Storage disabled: the text typed before loading is lost, as before the shell existed.
		}
	}
	if (!box || document.activeElement !== box) return () => {};
	const caret = [box.selectionStart, box.selectionEnd] as const;
	return () => {
		const focus = (real: Element | null) => {
			if (!(real instanceof HTMLTextAreaElement)) return false;
			real.focus();
			real.setSelectionRange(...caret);
			return true;
		};
		if (focus(document.querySelector('[data-testid="composer"]'))) return;
		const observer = new MutationObserver(() => {
			if (focus(document.querySelector('[data-testid="composer"]'))) observer.disconnect();
		});
		observer.observe(document.body, { childList: true, subtree: true });
		setTimeout(() => observer.disconnect(), WAIT_MS);
	};
}
