// Whether this page can use the database right now, for the notice in the root layout: hand
// `report` to `connect` (db.ts), read `state`.
import type { DatabaseState } from './db';

export class DatabaseStatus {
	#state = $state<DatabaseState>('ok');

	get state(): DatabaseState {
		return this.#state;
	}

	/** Once outdated, only a reload helps: a later report (another connection opening) keeps it so. */
	readonly report = (state: DatabaseState) => {
		if (this.#state !== 'outdated') this.#state = state;
	};
}
