// Saving and opening files in the browser, for exports, backups and preset sharing.

/** Offers `content` as a download named `name`. */
export function saveFile(name: string, content: string, type: string) {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.click();
	// The browser reads the blob after this task; give it time before freeing the URL.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a conversation title: safe on every OS, never empty. */
export function fileName(title: string, extension: string): string {
	const base = title
		.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 60);
	return `${base || 'conversation'}.${extension}`;
}

export function today(now = new Date()): string {
	return now.toISOString().slice(0, 10);
}
