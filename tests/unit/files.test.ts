import { describe, expect, it } from 'vitest';
import {
	FileTooBigError,
	IMPORT_LIMITS,
	checkImportSize,
	dateStamp,
	fileName,
	readImportFile
} from '$lib/files';

describe('fileName', () => {
	it('keeps a title readable and safe on every system', () => {
		expect(fileName('What is 1/2? <answer>', 'md')).toBe('What is 1 2 answer.md');
		expect(fileName('  \u0007 ', 'json')).toBe('conversation.json');
		expect(fileName('x'.repeat(100), 'md')).toBe(`${'x'.repeat(60)}.md`);
	});

	it('drops bidi controls, so a name cannot pretend to another extension', () => {
		expect(fileName('invoice\u202Efdp.exe', 'md')).toBe('invoice fdp.exe.md');
		expect(fileName('مرحبا \u2067שלום\u2069 👩🏽‍⚕️', 'json')).toBe('مرحبا שלום 👩🏽‍⚕️.json');
	});
});

describe('dateStamp', () => {
	it('names the day in UTC, from a time or a Date', () => {
		const at = Date.UTC(2026, 10, 26, 23, 59);
		expect(dateStamp(at)).toBe('2026-11-26');
		expect(dateStamp(new Date(at))).toBe('2026-11-26');
	});
});

describe('import size limits', () => {
	const MB = 1024 * 1024;

	it('lets a file up to its kind’s limit through and refuses one byte more', () => {
		expect(checkImportSize('backup', IMPORT_LIMITS.backup)).toBeNull();
		const refused = checkImportSize('backup', IMPORT_LIMITS.backup + 1);
		expect(refused).toBeInstanceOf(FileTooBigError);
		expect(refused).toMatchObject({ kind: 'backup', size: IMPORT_LIMITS.backup + 1 });
	});

	it('reads a 100 MB backup but not a 100 MB presets or votes file', () => {
		expect(checkImportSize('backup', 100 * MB)).toBeNull();
		expect(checkImportSize('presets', 100 * MB)?.limit).toBe(10 * MB);
		expect(checkImportSize('votes', 100 * MB)?.limit).toBe(10 * MB);
	});

	it('refuses before reading: the file’s text is never asked for', async () => {
		let read = false;
		const huge = {
			size: 2 * IMPORT_LIMITS.backup,
			text: async () => {
				read = true;
				return '';
			}
		} as unknown as Blob;
		await expect(readImportFile('backup', huge)).rejects.toBeInstanceOf(FileTooBigError);
		expect(read).toBe(false);
		expect(await readImportFile('presets', new Blob(['{}']))).toBe('{}');
	});
});
