// System-prompt presets: named prompts the user can start a conversation with.
import { notifyChanged, type Notify } from './broadcast';
import { connect, type Connection } from './db';
import { storageOp } from './errors';
import type { Preset } from './types';
import { readAll, readPreset } from './validate';

export interface PresetRepositoryOptions {
	notify?: Notify;
	now?: () => number;
	newId?: () => string;
}

export class PresetRepository {
	#db: Connection;
	#notify: Notify;
	#now: () => number;
	#newId: () => string;

	constructor(db: Connection = connect(), options: PresetRepositoryOptions = {}) {
		this.#db = db;
		this.#notify = options.notify ?? notifyChanged;
		this.#now = options.now ?? Date.now;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
	}

	/** Every preset, by name. */
	list(): Promise<Preset[]> {
		return storageOp(async () => {
			const raw = await (await this.#db()).getAll('presets');
			return readAll(raw, readPreset, 'presets').sort((a, b) => a.name.localeCompare(b.name));
		});
	}

	/** Creates a preset, or updates the one with `id`. A blank name is refused with a RangeError. */
	save(input: { id?: string; name: string; prompt: string }): Promise<Preset> {
		const name = input.name.trim();
		if (!name) return Promise.reject(new RangeError('A preset needs a name'));
		return storageOp(async () => {
			const db = await this.#db();
			const now = this.#now();
			const existing = input.id ? readPreset(await db.get('presets', input.id)) : null;
			const preset: Preset = {
				id: existing?.id ?? input.id ?? this.#newId(),
				name,
				prompt: input.prompt,
				createdAt: existing?.createdAt ?? now,
				updatedAt: now
			};
			await db.put('presets', preset);
			this.#notify('preset', preset.id);
			return preset;
		});
	}

	delete(id: string): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).delete('presets', id);
			this.#notify('preset', id);
		});
	}
}
