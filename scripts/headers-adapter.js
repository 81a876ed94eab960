// Wraps adapter-static: after it writes the site, reads the Content-Security-Policy that SvelteKit
// put into each page's <meta> tag and writes the same policy as an HTTP header into `_headers`
// (the format Netlify and Cloudflare Pages read; scripts/serve.js applies it too). A header can
// carry what a meta tag cannot (frame-ancestors), and it also covers the engine worker, whose
// policy comes from its own response, not from the page.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HEADER_ONLY_DIRECTIVES, serializeCsp } from './csp.js';

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"/;

/**
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function htmlFiles(dir) {
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	return entries
		.filter((e) => e.isFile() && e.name.endsWith('.html'))
		.map((e) => join(e.parentPath, e.name));
}

/** @param {string} text */
const unescapeHtml = (text) =>
	text
		.replaceAll('&quot;', '"')
		.replaceAll('&#39;', "'")
		.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>')
		.replaceAll('&amp;', '&');

/**
 * One policy for the whole site: the pages' policies agree except for script hashes, so the
 * header allows the hashes of every page.
 * @param {string[]} policies
 * @returns {string}
 */
export function mergePolicies(policies) {
	/** @type {Map<string, Set<string>>} */
	const merged = new Map();
	for (const policy of policies) {
		for (const part of policy.split(';')) {
			const [name, ...values] = part.trim().split(/\s+/);
			if (!name) continue;
			const set = merged.get(name) ?? new Set();
			for (const v of values) set.add(v.replace(/^'(.*)'$/, '$1'));
			merged.set(name, set);
		}
	}
	for (const [name, values] of Object.entries(HEADER_ONLY_DIRECTIVES))
		merged.set(name, new Set(values));
	return serializeCsp(Object.fromEntries([...merged].map(([k, v]) => [k, [...v]])));
}

/**
 * @param {import('@sveltejs/kit').Adapter} inner
 * @param {{ pages: string }} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
export function withHeaders(inner, { pages }) {
	return {
		...inner,
		name: `${inner.name}+headers`,
		async adapt(builder) {
			await inner.adapt(builder);
			const policies = [];
			for (const file of await htmlFiles(pages)) {
				const match = META.exec(await readFile(file, 'utf8'));
				if (!match?.[1]) throw new Error(`${file} has no Content-Security-Policy meta tag`);
				policies.push(unescapeHtml(match[1]));
			}
			const headers = [
				'/*',
				`  Content-Security-Policy: ${mergePolicies(policies)}`,
				'  Referrer-Policy: no-referrer',
				'  X-Content-Type-Options: nosniff',
				'  Permissions-Policy: camera=(), microphone=(), geolocation=(), browsing-topics=()',
				''
			].join('\n');
			await writeFile(join(pages, '_headers'), headers);
			builder.log.minor(
				`Wrote ${join(pages, '_headers')} (Content-Security-Policy for ${policies.length} pages)`
			);
		}
	};
}
