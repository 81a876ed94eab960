// Syntax highlighting with highlight.js, loaded only when a code block first needs it: the core
// and each language are separate chunks, fetched on demand (and precached for offline use).
// Rendering stays synchronous: until a language is loaded its code shows plain, and `version`
// changes once it is, which tells renderers that cached HTML is stale.
import type { HLJSApi, LanguageFn } from 'highlight.js';

type LanguageModule = { default: LanguageFn };

const loaders: Record<string, () => Promise<LanguageModule>> = {
	bash: () => import('highlight.js/lib/languages/bash'),
	c: () => import('highlight.js/lib/languages/c'),
	cpp: () => import('highlight.js/lib/languages/cpp'),
	csharp: () => import('highlight.js/lib/languages/csharp'),
	css: () => import('highlight.js/lib/languages/css'),
	diff: () => import('highlight.js/lib/languages/diff'),
	go: () => import('highlight.js/lib/languages/go'),
	java: () => import('highlight.js/lib/languages/java'),
	javascript: () => import('highlight.js/lib/languages/javascript'),
	json: () => import('highlight.js/lib/languages/json'),
	kotlin: () => import('highlight.js/lib/languages/kotlin'),
	markdown: () => import('highlight.js/lib/languages/markdown'),
	php: () => import('highlight.js/lib/languages/php'),
	python: () => import('highlight.js/lib/languages/python'),
	ruby: () => import('highlight.js/lib/languages/ruby'),
	rust: () => import('highlight.js/lib/languages/rust'),
	sql: () => import('highlight.js/lib/languages/sql'),
	swift: () => import('highlight.js/lib/languages/swift'),
	typescript: () => import('highlight.js/lib/languages/typescript'),
	xml: () => import('highlight.js/lib/languages/xml'),
	yaml: () => import('highlight.js/lib/languages/yaml')
};

const aliases: Record<string, string> = {
	sh: 'bash',
	shell: 'bash',
	zsh: 'bash',
	console: 'bash',
	h: 'c',
	'c++': 'cpp',
	hpp: 'cpp',
	cs: 'csharp',
	'c#': 'csharp',
	patch: 'diff',
	golang: 'go',
	js: 'javascript',
	jsx: 'javascript',
	mjs: 'javascript',
	kt: 'kotlin',
	md: 'markdown',
	py: 'python',
	rb: 'ruby',
	rs: 'rust',
	ts: 'typescript',
	tsx: 'typescript',
	html: 'xml',
	svg: 'xml',
	svelte: 'xml',
	vue: 'xml',
	yml: 'yaml'
};

/** The highlight.js name for a fence's info string ("ts", "Python", "c++"), or null if unsupported. */
export function languageName(lang: string): string | null {
	const key = lang.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
	const name = aliases[key] ?? key;
	return name in loaders ? name : null;
}

export interface Highlighter {
	/** Highlighted HTML (escaped text and hljs spans), or null if the language is not loaded. */
	highlight(code: string, lang: string): string | null;
	/** Changes whenever a language becomes available. */
	readonly version: number;
}

let hljs: HLJSApi | null = null;
let version = 0;
const pending = new Map<string, Promise<void>>();

export const highlighter: Highlighter = {
	highlight(code, lang) {
		const name = languageName(lang);
		if (!hljs || !name || !hljs.getLanguage(name)) return null;
		return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
	},
	get version() {
		return version;
	}
};

async function load(name: string, loader: () => Promise<LanguageModule>) {
	hljs ??= (await import('highlight.js/lib/core')).default;
	const core = hljs;
	const language = (await loader()).default;
	if (!core.getLanguage(name)) {
		core.registerLanguage(name, language);
		version++;
	}
}

/**
 * Loads the languages named by these fence info strings (unknown ones are ignored). Resolves true
 * if any became available, so the caller knows to render again. A failed chunk load is retried
 * on the next call.
 */
export async function loadLanguages(langs: Iterable<string>): Promise<boolean> {
	const before = version;
	const jobs: Promise<void>[] = [];
	for (const lang of langs) {
		const name = languageName(lang);
		const loader = name ? loaders[name] : undefined;
		if (!name || !loader || hljs?.getLanguage(name)) continue;
		let job = pending.get(name);
		if (!job) {
			job = load(name, loader).finally(() => pending.delete(name));
			pending.set(name, job);
		}
		jobs.push(job);
	}
	await Promise.allSettled(jobs);
	return version !== before;
}
