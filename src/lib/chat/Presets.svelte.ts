// System-prompt presets: the list, save, delete, and sharing them as a file.
import type { ChangeEvent } from '$lib/storage/broadcast';
import type { PresetRepository } from '$lib/storage/presets';
import type { Preset } from '$lib/storage/types';
import { text } from '$lib/strings';
import type { ExportFile } from './ChatStore.svelte';
import { dateStamp } from '$lib/files';
import type { Notices } from './Notices.svelte';
import { PresetFileError, parsePresetFile, presetsToFile } from './presetFile';

export class Presets {
	#repo: PresetRepository;
	#notices: Notices;
	#presets = $state.raw<Preset[]>([]);

	constructor(repo: PresetRepository, notices: Notices) {
		this.#repo = repo;
		this.#notices = notices;
	}

	/** By name. */
	get list(): readonly Preset[] {
		return this.#presets;
	}

	start(): Promise<void> {
		return this.#reload();
	}

	async save(input: { id?: string; name: string; prompt: string }): Promise<Preset | null> {
		const saved = await this.#notices.attempt(() => this.#repo.save(input));
		await this.#reload();
		return saved;
	}

	async delete(id: string) {
		await this.#notices.attempt(() => this.#repo.delete(id));
		await this.#reload();
	}

	exportFile(): ExportFile {
		return {
			name: `lantern-presets-${dateStamp()}.json`,
			content: presetsToFile(this.#presets),
			type: 'application/json'
		};
	}

	/** Adds the presets in a shared file (same name: updated); a bad file changes nothing. */
	async import(file: Blob) {
		const fileText = await this.#notices.readImport('presets', file);
		if (fileText === null) return;
		let entries: Array<{ name: string; prompt: string }>;
		try {
			entries = parsePresetFile(fileText);
		} catch (error) {
			if (!(error instanceof PresetFileError)) throw error;
			this.#notices.fail(error);
			return;
		}
		for (const entry of entries) {
			const existing = this.#presets.find((p) => p.name === entry.name);
			await this.#notices.attempt(() => this.#repo.save({ ...entry, id: existing?.id }));
		}
		await this.#reload();
		this.#notices.ok(text.settings.presetsImported(entries.length));
	}

	/** Another tab changed the presets (or a backup was restored here). */
	async follow(event: ChangeEvent) {
		if (event.kind === 'preset' || event.kind === 'all') await this.#reload();
	}

	async #reload() {
		const presets = await this.#notices.attempt(() => this.#repo.list());
		if (presets) this.#presets = presets;
	}
}
