// App settings as key/value pairs. Values are checked by a guard at every read, with a fallback:
// a value written by another version, or by hand, never reaches the app in the wrong shape.
import { notifyChanged, type Notify } from './broadcast';
import { connect, type Connection } from './db';
import { storageOp } from './errors';

export class SettingsRepository {
	#db: Connection;
	#notify: Notify;

	constructor(db: Connection = connect(), notify: Notify = notifyChanged) {
		this.#db = db;
		this.#notify = notify;
	}

	/** The stored value if `guard` accepts it, otherwise `fallback` (also when unreadable). */
	async get<T>(key: string, guard: (value: unknown) => value is T, fallback: T): Promise<T> {
		try {
			const entry: unknown = await (await this.#db()).get('settings', key);
			const value =
				typeof entry === 'object' && entry !== null && 'value' in entry ? entry.value : undefined;
			return guard(value) ? value : fallback;
		} catch {
			// Reading a preference must never stop the app; the default will do.
			return fallback;
		}
	}

	async set(key: string, value: unknown): Promise<void> {
		await storageOp(async () => (await this.#db()).put('settings', { key, value }));
		this.#notify('setting', key);
	}

	async delete(key: string): Promise<void> {
		await storageOp(async () => (await this.#db()).delete('settings', key));
		this.#notify('setting', key);
	}
}
