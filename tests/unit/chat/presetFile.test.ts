import { describe, expect, it } from 'vitest';
import { PresetFileError, parsePresetFile, presetsToFile } from '$lib/chat/presetFile';

const code = (text: string) => {
	try {
		parsePresetFile(text);
		return null;
	} catch (error) {
		return error instanceof PresetFileError ? error.code : 'other';
	}
};

describe('preset files', () => {
	it('round-trips names and prompts, and nothing else', () => {
		const text = presetsToFile([
			{ id: 'x', name: 'Pirate', prompt: 'Talk like a pirate.', createdAt: 1, updatedAt: 2 }
		]);
		expect(text).not.toContain('createdAt');
		expect(parsePresetFile(text)).toEqual([{ name: 'Pirate', prompt: 'Talk like a pirate.' }]);
	});

	it('refuses other files as a whole', () => {
		expect(code('not json')).toBe('not-json');
		expect(code('{"format":"lantern-backup","version":1}')).toBe('foreign');
		expect(code('[]')).toBe('foreign');
		expect(code('{"format":"lantern-presets","version":2,"presets":[]}')).toBe('malformed');
		expect(
			code(
				'{"format":"lantern-presets","version":1,"presets":[{"name":"ok","prompt":"p"},{"name":" ","prompt":"p"}]}'
			)
		).toBe('malformed');
		expect(
			code('{"format":"lantern-presets","version":1,"presets":[{"name":"x","prompt":3}]}')
		).toBe('malformed');
	});
});
