// Typed failures of moving a model through files: importing a folder or an archive, exporting to
// one. Each code decides what the user is told (strings.ts: importErrorText, exportErrorText);
// `file` names the file concerned, as the folder holds it.

export type ImportErrorCode =
	/** Neither mlc-chat-config.json nor an exported archive was found in what was picked. */
	| 'not-a-model-folder'
	/** mlc-chat-config.json or tensor-cache.json is not what MLC writes (bad JSON, wrong layout). */
	| 'bad-model-file'
	/** A file the model needs (a shard, the tokenizer) is not in the folder. */
	| 'missing-file'
	/** A shard's size differs from what tensor-cache.json says. */
	| 'size-mismatch'
	/** A shard's MD5 differs from what tensor-cache.json says. */
	| 'checksum-mismatch'
	/** No model library (.wasm) was found, or several and none is named as this model's. */
	| 'no-library'
	/** The chosen .wasm file does not start like WebAssembly. */
	| 'not-wasm'
	/** An exported archive (.tar) that is cut short or not a tar file. */
	| 'bad-archive'
	/** A file could not be read (the disk or USB stick went away, the file changed). */
	| 'read-failed'
	/** Not enough space for the model, before anything was stored or while storing. */
	| 'quota'
	/** The browser refused to store the model. */
	| 'storage'
	| 'aborted';

export class ImportError extends Error {
	readonly code: ImportErrorCode;
	/** The file concerned, relative to the model's folder, if any. */
	readonly file: string | undefined;
	/** Figures for the message: expected and actual sizes or MD5s, bytes needed and free. */
	readonly facts: Readonly<Record<string, number | string>>;

	constructor(
		code: ImportErrorCode,
		detail: string,
		file?: string,
		facts: Record<string, number | string> = {}
	) {
		super(`${code}: ${detail}${file ? ` (${file})` : ''}`);
		this.name = 'ImportError';
		this.code = code;
		this.file = file;
		this.facts = facts;
	}
}

export type ExportErrorCode =
	/** Not every file of the model is stored (download it first). */
	| 'incomplete'
	/** A stored file could not be read back. */
	| 'read-failed'
	/** The destination refused a write (disk full, removed, no permission). */
	| 'write-failed'
	| 'aborted';

export class ExportError extends Error {
	readonly code: ExportErrorCode;
	readonly file: string | undefined;

	constructor(code: ExportErrorCode, detail: string, file?: string) {
		super(`${code}: ${detail}${file ? ` (${file})` : ''}`);
		this.name = 'ExportError';
		this.code = code;
		this.file = file;
	}
}

/** A DOMException's name or an Error's, for classifying what the browser threw. */
export function errorName(error: unknown): string {
	return error instanceof Error || error instanceof DOMException ? error.name : '';
}

export function isAbort(error: unknown): boolean {
	return errorName(error) === 'AbortError';
}
