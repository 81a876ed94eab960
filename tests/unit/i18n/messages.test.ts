// The translations' completeness check (scripts/i18n-check.js): first on the real message files
// (every registered language complete), then on small made-up projects, to prove it catches each
// kind of mistake a translator can make.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMessages, placeholders } from '../../../scripts/i18n-check.js';

describe('the message files', () => {
	it('have every message of English in every registered language, with the same placeholders', () => {
		expect(checkMessages()).toEqual([]);
	});
});

const plural = (one: string, other: string) => [
	{
		declarations: [
			'input count',
			'local countPlural = count: plural',
			'local countText = count: number'
		],
		selectors: ['countPlural'],
		match: { 'countPlural=one': one, 'countPlural=other': other }
	}
];

const ENGLISH = {
	greeting: 'Hello {name}.',
	plain: 'Nothing to see.',
	models: plural('{countText} model', '{countText} models')
};

let dir = '';
afterEach(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, unknown>, locales = Object.keys(files)) {
	dir = await mkdtemp(join(tmpdir(), 'lantern-i18n-'));
	await mkdir(join(dir, 'project.inlang'));
	await mkdir(join(dir, 'messages'));
	await writeFile(
		join(dir, 'project.inlang/settings.json'),
		JSON.stringify({ baseLocale: 'en', locales })
	);
	for (const [locale, messages] of Object.entries(files)) {
		await writeFile(join(dir, 'messages', `${locale}.json`), JSON.stringify(messages));
	}
	return dir;
}

describe('checkMessages', () => {
	it('passes a complete translation whose plurals use its own categories', async () => {
		const ru = {
			greeting: 'Привет, {name}.',
			plain: 'Ничего.',
			models: [
				{
					...plural('', '')[0],
					match: {
						'countPlural=one': '{countText} модель',
						'countPlural=few': '{countText} модели',
						'countPlural=many': '{countText} моделей',
						'countPlural=other': '{countText} модели'
					}
				}
			]
		};
		expect(checkMessages(await project({ en: ENGLISH, ru }))).toEqual([]);
	});

	it('names a language that has no file yet', async () => {
		const problems = checkMessages(await project({ en: ENGLISH }, ['en', 'de', 'fr']));
		expect(problems).toEqual([expect.stringContaining('No translation file yet for de, fr')]);
	});

	it('names a missing message and an extra one', async () => {
		const de = { greeting: 'Hallo {name}.', models: ENGLISH.models, plian: 'Nichts.' };
		const problems = checkMessages(await project({ en: ENGLISH, de }));
		expect(problems).toContain('de: 1 missing message(s): plain.');
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.stringContaining('English does not have (remove or rename): plian')
			])
		);
	});

	it('catches a placeholder that was translated or dropped', async () => {
		const fr = { ...ENGLISH, greeting: 'Bonjour {nom}.' };
		expect(checkMessages(await project({ en: ENGLISH, fr }))).toEqual([
			'fr: "greeting" has the placeholders {nom}; English has {name}.'
		]);
	});

	it('catches a plural that changed its variable, lost "other" or used a category the language lacks', async () => {
		const changed = [
			{ ...ENGLISH.models[0], declarations: ['input n', 'local countPlural = n: plural'] }
		];
		const noOther = [{ ...ENGLISH.models[0], match: { 'countPlural=one': '{countText} modèle' } }];
		const few = [
			{
				...ENGLISH.models[0],
				match: { 'countPlural=few': 'x', 'countPlural=other': '{countText}' }
			}
		];
		const undeclared = [
			{ ...ENGLISH.models[0], match: { 'countPlural=other': '{count2} models' } }
		];
		for (const [models, expected] of [
			[changed, "must keep English's declarations"],
			[noOther, 'needs an "other" variant'],
			[few, 'the plural category "few", which de does not use'],
			[undeclared, 'uses {count2}, which is not declared']
		] as const) {
			const problems = checkMessages(await project({ en: ENGLISH, de: { ...ENGLISH, models } }));
			expect(problems).toEqual([expect.stringContaining(expected)]);
		}
	});

	it('catches a plain text turned into variants, and unbalanced braces', async () => {
		const es = { ...ENGLISH, plain: ENGLISH.models, greeting: 'Hola {name.' };
		const problems = checkMessages(await project({ en: ENGLISH, es }));
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.stringContaining('"plain" must be a plain text'),
				expect.stringContaining('"greeting" has unbalanced braces')
			])
		);
	});
});

describe('placeholders', () => {
	it('lists the names in braces once each, and skips escaped braces', () => {
		expect(placeholders('{b} and {a}, {b} \\{literal\\}')).toEqual(['a', 'b']);
	});
});
