// "Back up everything" and "Restore a backup": every conversation, preset and setting in one file.
// A restore is refused whole when the file is bad (storage/backup.ts checks it all first); once it
// is written, everything shown is read again, as after a restore in another tab.
import type { BackupRepository } from '$lib/storage/backup';
import { BackupError, StorageError } from '$lib/storage/errors';
import { text } from '$lib/strings';
import type { ExportFile } from './ChatStore.svelte';
import { checkImportSize, dateStamp } from '$lib/files';
import type { Notices } from './Notices.svelte';

export class Backups {
	#repo: BackupRepository;
	#notices: Notices;
	#restored: () => Promise<unknown>;

	/** `restored`: reads everything shown again after a restore. */
	constructor(repo: BackupRepository, notices: Notices, restored: () => Promise<unknown>) {
		this.#repo = repo;
		this.#notices = notices;
		this.#restored = restored;
	}

	async exportAll(): Promise<ExportFile | null> {
		const backup = await this.#notices.attempt(() => this.#repo.exportAll());
		if (!backup) return null;
		return {
			name: `lantern-backup-${dateStamp()}.json`,
			content: JSON.stringify(backup),
			type: 'application/json'
		};
	}

	/** Restores a backup file; a bad or too big file is refused with a notice and nothing changes. */
	async restore(file: Blob) {
		const tooBig = checkImportSize('backup', file.size);
		if (tooBig) return this.#notices.fail(tooBig);
		try {
			const summary = await this.#repo.importFile(file);
			this.#notices.ok(text.conversations.imported(summary.conversations, summary.messages));
		} catch (error) {
			if (error instanceof BackupError || error instanceof StorageError) this.#notices.fail(error);
			else throw error;
			return;
		}
		await this.#restored();
	}
}
