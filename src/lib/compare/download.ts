// Saving an export as a file: the browser's download of a Blob URL (no server involved).

export function saveFile(name: string, content: string, type: string) {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	// Give the download a moment to start before the URL is released.
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "2026-11-26" for file names. */
export function dateStamp(now: number): string {
	return new Date(now).toISOString().slice(0, 10);
}
