// The translations' completeness check (`npm run i18n:check`, and tests/unit/i18n/messages.test.ts).
// Every locale registered in project.inlang/settings.json must have messages/<locale>.json with
// exactly English's keys; a simple message must use exactly English's placeholders; a message with
// variants (plurals) must keep English's declarations and selectors, name only plural categories
// that exist in its language (Intl.PluralRules), and always have `other`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The locales registered for the app, English (the base) first. */
export function registeredLocales(root = ROOT) {
	const settings = JSON.parse(readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'));
	return { base: settings.baseLocale, locales: settings.locales };
}

/**
 * `{name}` placeholders of a pattern (escaped `\{` is text), sorted and unique.
 * @param {string} pattern
 */
export function placeholders(pattern) {
	const names = new Set();
	for (const match of pattern.matchAll(/(?<!\\)\{\s*([^{}\s]+)\s*\}/g)) names.add(match[1]);
	return [...names].sort();
}

/**
 * Unbalanced braces make a message the compiler cannot read.
 * @param {string} pattern
 */
function unbalanced(pattern) {
	const stripped = pattern.replace(/\\[{}\\]/g, '');
	let depth = 0;
	for (const ch of stripped) {
		if (ch === '{') depth++;
		if (ch === '}') depth--;
		if (depth < 0 || depth > 1) return true;
	}
	return depth !== 0;
}

/**
 * A message with variants: `[{ declarations, selectors, match }]`.
 * @typedef {{ declarations?: string[], selectors?: string[], match?: Record<string, unknown> }} Variant
 * @typedef {string | Variant[]} Message
 */

/** @param {unknown} value @returns {value is Variant[]} */
const isVariant = (value) => Array.isArray(value);

/**
 * The names a variant message declares (`input x`, `local xPlural = x: plural`).
 * @param {string[]} declarations
 */
function declaredNames(declarations) {
	return declarations.map((d) => /^(?:input|local)\s+(\w+)/.exec(d)?.[1]).filter(Boolean);
}

/**
 * @param {string} locale
 * @param {string} key
 * @param {Variant[]} value
 * @param {Variant[]} english
 * @param {string[]} problems
 */
function checkVariant(locale, key, value, english, problems) {
	const [message] = value;
	const englishMessage = english[0] ?? {};
	if (value.length !== 1 || !message || typeof message !== 'object') {
		problems.push(`${locale}: "${key}" must be a list holding one object (copy English's shape).`);
		return;
	}
	/** @param {unknown} a @param {unknown} b */
	const same = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
	if (!same(message.declarations, englishMessage.declarations)) {
		problems.push(
			`${locale}: "${key}" must keep English's declarations exactly: ${JSON.stringify(englishMessage.declarations)}.`
		);
	}
	if (!same(message.selectors, englishMessage.selectors)) {
		problems.push(
			`${locale}: "${key}" must keep English's selectors exactly: ${JSON.stringify(englishMessage.selectors)}.`
		);
	}
	const names = new Set(declaredNames(englishMessage.declarations ?? []));
	let categories;
	try {
		categories = new Set(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
	} catch {
		categories = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
	}
	const match = message.match ?? {};
	let hasOther = false;
	for (const [condition, pattern] of Object.entries(match)) {
		for (const part of condition.split(/\s*,\s*/)) {
			const [selector = '', category = ''] = part.split('=');
			if (!(englishMessage.selectors ?? []).includes(selector)) {
				problems.push(`${locale}: "${key}" matches on "${selector}", which is not a selector.`);
			} else if (category === 'other' || category === '*') {
				hasOther = true;
			} else if (!categories.has(category)) {
				problems.push(
					`${locale}: "${key}" has the plural category "${category}", which ${locale} does not use (it uses ${[...categories].join(', ')}).`
				);
			}
		}
		if (typeof pattern !== 'string' || pattern.trim() === '') {
			problems.push(`${locale}: "${key}" has an empty text for "${condition}".`);
			continue;
		}
		if (unbalanced(pattern)) problems.push(`${locale}: "${key}" has unbalanced braces.`);
		for (const name of placeholders(pattern)) {
			if (!names.has(name)) {
				problems.push(`${locale}: "${key}" uses {${name}}, which is not declared.`);
			}
		}
	}
	if (!hasOther) problems.push(`${locale}: "${key}" needs an "other" variant.`);
}

/**
 * Every problem with the message files, as sentences naming the locale and the key; empty when all
 * is well.
 */
export function checkMessages(root = ROOT) {
	const { base, locales } = registeredLocales(root);
	/** @param {string} locale @returns {Record<string, Message>} */
	const read = (locale) =>
		JSON.parse(readFileSync(join(root, 'messages', `${locale}.json`), 'utf8'));
	const english = read(base);
	delete english.$schema;
	/** @type {string[]} */
	const problems = [];
	/** @type {string[]} */
	const missingFiles = locales.filter(
		(/** @type {string} */ locale) => !existsSync(join(root, 'messages', `${locale}.json`))
	);
	if (missingFiles.length > 0) {
		problems.push(
			`No translation file yet for ${missingFiles.join(', ')}: add messages/<locale>.json (see messages/README.md).`
		);
	}
	for (const locale of locales) {
		if (missingFiles.includes(locale)) continue;
		const messages = read(locale);
		delete messages.$schema;
		const missing = Object.keys(english).filter((key) => !(key in messages));
		const extra = Object.keys(messages).filter((key) => !(key in english));
		if (missing.length > 0) {
			problems.push(`${locale}: ${missing.length} missing message(s): ${missing.join(', ')}.`);
		}
		if (extra.length > 0) {
			problems.push(
				`${locale}: message(s) that English does not have (remove or rename): ${extra.join(', ')}.`
			);
		}
		for (const [key, value] of Object.entries(messages)) {
			const source = english[key];
			if (source === undefined) continue;
			if (isVariant(source) !== isVariant(value)) {
				problems.push(
					`${locale}: "${key}" must be ${isVariant(source) ? 'a message with variants (a list), as in English' : 'a plain text, as in English'}.`
				);
			} else if (isVariant(source) && isVariant(value)) {
				checkVariant(locale, key, value, source, problems);
			} else if (typeof value !== 'string' || value.trim() === '') {
				problems.push(`${locale}: "${key}" is empty.`);
			} else if (unbalanced(value)) {
				problems.push(`${locale}: "${key}" has unbalanced braces.`);
			} else {
				const want = placeholders(String(source)).join(', ');
				const have = placeholders(value).join(', ');
				if (want !== have) {
					problems.push(
						`${locale}: "${key}" has the placeholders {${have}}; English has {${want}}.`
					);
				}
			}
		}
	}
	return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const problems = checkMessages();
	if (problems.length === 0) {
		console.log(`All ${registeredLocales().locales.length} languages are complete.`);
	} else {
		for (const problem of problems) console.error(problem);
		process.exitCode = 1;
	}
}
