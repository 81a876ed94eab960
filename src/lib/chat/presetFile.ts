// Sharing system-prompt presets as a file: a small JSON format of its own (not a backup), so a
// file can be sent to someone else and imported without touching their conversations. Reading is
// all-or-nothing: one bad entry refuses the whole file.
import type { PresetFileErrorCode } from '$lib/strings';
import type { Preset } from '$lib/storage/types';

export const PRESETS_FORMAT = 'lantern-presets';

export interface PresetFile {
	format: typeof PRESETS_FORMAT;
	version: 1;
	presets: Array<{ name: string; prompt: string }>;
}

export class PresetFileError extends Error {
	readonly code: PresetFileErrorCode;
	constructor(code: PresetFileErrorCode) {
		super(code);
		this.name = 'PresetFileError';
		this.code = code;
	}
}

export function presetsToFile(presets: readonly Preset[]): string {
	const file: PresetFile = {
		format: PRESETS_FORMAT,
		version: 1,
		presets: presets.map(({ name, prompt }) => ({ name, prompt }))
	};
	return JSON.stringify(file, null, '\t');
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

/** The presets in a file's text; throws a PresetFileError unless every entry is valid. */
export function parsePresetFile(fileText: string): Array<{ name: string; prompt: string }> {
	let raw: unknown;
	try {
		raw = JSON.parse(fileText);
	} catch {
		throw new PresetFileError('not-json');
	}
	if (!isRecord(raw) || raw.format !== PRESETS_FORMAT) throw new PresetFileError('foreign');
	if (raw.version !== 1 || !Array.isArray(raw.presets)) throw new PresetFileError('malformed');
	return raw.presets.map((entry: unknown) => {
		if (!isRecord(entry)) throw new PresetFileError('malformed');
		const { name, prompt } = entry;
		if (typeof name !== 'string' || !name.trim() || typeof prompt !== 'string')
			throw new PresetFileError('malformed');
		return { name: name.trim(), prompt };
	});
}
