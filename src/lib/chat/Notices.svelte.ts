// The chat's notice bar: the outcome of the last app-wide action (a restore, an import) or a
// storage failure, in one place for every chat service, so the user reads the latest, once.
import type { BackupError } from '$lib/storage/errors';
import { StorageError } from '$lib/storage/errors';
import { FileTooBigError, readImportFile, type ImportKind } from '$lib/files';
import type { PresetFileError } from './presetFile';

/** A message for the user about the last whole-app action (import, export). */
export type Notice =
	| { kind: 'ok'; text: string }
	| { kind: 'error'; error: StorageError | BackupError | PresetFileError | FileTooBigError };

export class Notices {
	#current = $state.raw<Notice | null>(null);

	get current() {
		return this.#current;
	}

	ok(text: string) {
		this.#current = { kind: 'ok', text };
	}

	fail(error: StorageError | BackupError | PresetFileError | FileTooBigError) {
		this.#current = { kind: 'error', error };
	}

	dismiss() {
		this.#current = null;
	}

	/** Runs a storage operation; a StorageError is shown and gives null, anything else is thrown. */
	async attempt<T>(work: () => Promise<T>): Promise<T | null> {
		try {
			return await work();
		} catch (error) {
			if (!(error instanceof StorageError)) throw error;
			this.fail(error);
			return null;
		}
	}

	/** A picked file's text; null (and a notice) when it is too big to read. */
	async readImport(kind: ImportKind, file: Blob): Promise<string | null> {
		try {
			return await readImportFile(kind, file);
		} catch (error) {
			if (!(error instanceof FileTooBigError)) throw error;
			this.fail(error);
			return null;
		}
	}
}
