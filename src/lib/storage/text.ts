// What users read about storage failures. Kept beside the storage code for now; it belongs in
// src/lib/strings.ts with the rest of the interface's wording.
import type { ErrorText } from '$lib/strings';
import type { BackupErrorCode, StorageErrorCode } from './errors';

export const storageErrorText: Record<StorageErrorCode, ErrorText> = {
	'not-found': {
		title: 'That conversation no longer exists.',
		action: 'It may have been deleted in another tab. Pick another conversation or start a new one.'
	},
	'quota-exceeded': {
		title: 'The browser has no room left to save this conversation.',
		action:
			'Delete old conversations or models you no longer use, or free disk space, then try again.'
	},
	outdated: {
		title: 'Lantern was updated in another tab.',
		action: 'Reload this page to continue; your conversations are kept.'
	},
	unavailable: {
		title: 'Conversations cannot be saved in this browser window.',
		action:
			'Private windows in some browsers block storage. Open Lantern in a normal window to keep your conversations.'
	}
};

export const backupErrorText: Record<BackupErrorCode, ErrorText> = {
	'not-json': {
		title: 'This file is not a Lantern backup: it could not be read as JSON.',
		action: 'Choose the .json file that Lantern’s “Export all” saved. Nothing was changed.'
	},
	foreign: {
		title: 'This file is not a Lantern backup.',
		action:
			'Choose the file that Lantern’s “Export all” saved (a single exported conversation cannot be imported). Nothing was changed.'
	},
	'newer-version': {
		title: 'This backup was made by a newer version of Lantern.',
		action: 'Update Lantern (reload the page), then import it again. Nothing was changed.'
	},
	malformed: {
		title: 'This backup is damaged: some entries are missing or invalid.',
		action: 'Nothing was imported, so nothing was changed. Try an older backup, or export again.'
	}
};
