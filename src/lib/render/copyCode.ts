// The copy buttons that markdown.ts puts on code blocks. One click listener on the container
// serves every block (the HTML is rendered as a string, so buttons carry no handlers of their own).

export interface CopyLabels {
	copy: string;
	copied: string;
	/** Shown when the clipboard refuses; the code stays selectable. */
	failed: string;
}

export async function copyCodeOnClick(event: MouseEvent, labels: CopyLabels): Promise<void> {
	const target = event.target;
	if (!(target instanceof HTMLElement)) return;
	const button = target.closest('button.copy-code');
	const code = button?.closest('.code-block')?.querySelector('code');
	if (!button || !code) return;
	try {
		await navigator.clipboard.writeText(code.textContent ?? '');
		button.textContent = labels.copied;
	} catch {
		button.textContent = labels.failed;
	}
	setTimeout(() => (button.textContent = labels.copy), 1500);
}
