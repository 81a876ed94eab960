// Everything the app stores, over one shared database connection. Create it once (in the root
// layout) and hand it down through context.
import { BackupRepository, type BackupRepositoryOptions } from './backup';
import { ConversationRepository } from './conversations';
import { connect, type Connection } from './db';
import { PresetRepository } from './presets';
import { SearchRepository } from './searchRepository';
import { SettingsRepository } from './settings';

export interface Storage {
	backup: BackupRepository;
	conversations: ConversationRepository;
	presets: PresetRepository;
	search: SearchRepository;
	settings: SettingsRepository;
}

/** `options.restoreFile`: where a backup file is restored (the app: a worker, restoreWorker.ts). */
export function createStorage(
	connection: Connection = connect(),
	options: Pick<BackupRepositoryOptions, 'restoreFile'> = {}
): Storage {
	return {
		backup: new BackupRepository(connection, options),
		conversations: new ConversationRepository(connection),
		presets: new PresetRepository(connection),
		search: new SearchRepository(connection),
		settings: new SettingsRepository(connection)
	};
}
