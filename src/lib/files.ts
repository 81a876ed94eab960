// Saving and opening files in the browser, for every feature: conversation exports, backups,
// presets, votes and suite results go out through `saveFile`; files the user picks to import come
// in through `readImportFile`, which refuses one too large before reading it. No server is involved.

/** Offers `content` as a download named `name` (the browser's download of a Blob URL). */
export function saveFile(name: string, content: string, type: string): void {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	// In the document while clicked: some browsers ignore a click on a detached link.
	document.body.append(link);
	link.click();
	link.remove();
	// The browser reads the blob after this task, and a large one takes a while: free it later.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A file name from a conversation title: safe on every OS, never empty. Bidi controls are dropped:
 * "invoice\u202Efdp.exe" would show as "invoiceexe.pdf" in a file manager.
 */
export function fileName(title: string, extension: string): string {
	const base = title
		.replace(/[\\/:*?"<>|\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 60);
	return `${base || 'conversation'}.${extension}`;
}

/** The day, as "2026-11-26", for file names (UTC, like the timestamps inside the files). */
export function dateStamp(now: number | Date = Date.now()): string {
	return new Date(now).toISOString().slice(0, 10);
}

/** The files a user can import, each read whole into memory and parsed on the page. */
export type ImportKind = 'backup' | 'presets' | 'votes';

const MB = 1024 * 1024;

/**
 * The largest file of each kind that is read. A backup holds every image ever attached, so its
 * limit is what the browser can hold as one string (V8 strings stop at about 512 M characters);
 * up to it, parsing takes about a millisecond per megabyte and the restore writes in batches, so the
 * page stays responsive. Presets and votes files are a few kilobytes; anything near the limit is
 * not one of them.
 */
export const IMPORT_LIMITS: Record<ImportKind, number> = {
	backup: 500 * MB,
	presets: 10 * MB,
	votes: 10 * MB
};

/** A file refused before it was read: it is larger than `limit` bytes. */
export class FileTooBigError extends Error {
	readonly code = 'too-big';
	readonly kind: ImportKind;
	/** Bytes. */
	readonly size: number;
	/** Bytes. */
	readonly limit: number;

	constructor(kind: ImportKind, size: number, limit: number) {
		super(`${kind} file of ${size} bytes is over the ${limit}-byte limit`);
		this.name = 'FileTooBigError';
		this.kind = kind;
		this.size = size;
		this.limit = limit;
	}
}

/** The refusal for a file of `size` bytes, or null when it may be read. */
export function checkImportSize(
	kind: ImportKind,
	size: number,
	limits = IMPORT_LIMITS
): FileTooBigError | null {
	return size > limits[kind] ? new FileTooBigError(kind, size, limits[kind]) : null;
}

/**
 * The text of a file the user picked to import. Its size is checked before anything is read, so an
 * enormous or wrong file (a video, a disk image) is refused at once; throws FileTooBigError.
 */
export async function readImportFile(kind: ImportKind, file: Blob): Promise<string> {
	const refused = checkImportSize(kind, file.size);
	if (refused) throw refused;
	return file.text();
}
