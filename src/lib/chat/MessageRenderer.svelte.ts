// Turns message text into safe HTML for every message on screen: one MarkdownRenderer (and so
// one cache of finished blocks) shared by all messages, with DOMPurify bound to this window.
//
// Highlighting is lazy: the first time a block fences code in a language, that language's chunk
// is loaded, and once it arrives `version` changes. Components read `version` through `block` and
// `tail`, so they render again with colours; until then the code shows plain.
import { highlighter, languageName, loadLanguages } from './highlight';
import { MarkdownRenderer } from './markdown';
import { createSanitizer } from './sanitize';

/** Fence languages in a block, found without lexing it again. */
const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]+)/gm;

export class MessageRenderer {
	#markdown: MarkdownRenderer;
	#version = $state(0);
	/** Languages asked for once already (plain bookkeeping, not state). */
	#requested: Record<string, true> = {};

	constructor(window: Window & typeof globalThis, copyLabel: string) {
		this.#markdown = new MarkdownRenderer({
			sanitize: createSanitizer(window),
			highlighter,
			copyLabel
		});
	}

	/** A finished block's HTML (cached). */
	block(raw: string): string {
		void this.#version;
		this.#want(raw);
		return this.#markdown.block(raw);
	}

	/** The streaming tail's HTML. */
	tail(raw: string): string {
		void this.#version;
		this.#want(raw);
		return this.#markdown.tail(raw);
	}

	#want(raw: string) {
		if (!raw.includes('``') && !raw.includes('~~')) return;
		const missing: string[] = [];
		for (const [, lang = ''] of raw.matchAll(FENCE)) {
			const name = languageName(lang);
			if (name && !this.#requested[name]) {
				this.#requested[name] = true;
				missing.push(name);
			}
		}
		if (!missing.length) return;
		// Asynchronous on purpose: state changes only after rendering, never during it.
		void loadLanguages(missing).then((loaded) => {
			if (loaded) this.#version = this.#markdown.version;
		});
	}
}
