// Turns message text into safe HTML for every message on screen: one MarkdownRenderer (and so
// one cache of finished blocks) shared by all messages, with DOMPurify bound to this window.
//
// marked and DOMPurify (about 32 KB gzip together) load on the first message shown, not with the
// page: until they arrive (a moment, from the precache) a message shows as plain escaped text, and
// `ready` turns true, which renders it again as Markdown.
//
// Highlighting is lazy too: the first time a block fences code in a language, that language's chunk
// is loaded, and once it arrives `version` changes. Components read `version` through `block` and
// `tail`, so they render again with colours; until then the code shows plain.
import { BlockSplitter, type SplitBlocks } from './blocks';
import { escapeHtml } from './escape';
import { highlighter, languageName, loadLanguages } from './highlight';
import type { MarkdownRenderer } from './markdown';

/** Fence languages in a block, found without lexing it again. */
const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]+)/gm;

export class MessageRenderer {
	#markdown = $state.raw<MarkdownRenderer | null>(null);
	#splitBlocks: SplitBlocks | null = null;
	#loading = false;
	#window: Window & typeof globalThis;
	#copyLabel: string;
	#version = $state(0);
	/** Languages asked for once already (plain bookkeeping, not state). */
	#requested: Record<string, true> = {};

	constructor(window: Window & typeof globalThis, copyLabel: string) {
		this.#window = window;
		this.#copyLabel = copyLabel;
	}

	/** True once marked and DOMPurify are loaded; until then messages show as plain text. */
	get ready(): boolean {
		return this.#markdown !== null;
	}

	/** A splitter for one message's text; null until `ready`. */
	createSplitter(): BlockSplitter | null {
		return this.#splitBlocks && this.#markdown ? new BlockSplitter(this.#splitBlocks) : null;
	}

	/** A finished block's HTML (cached). */
	block(raw: string): string {
		const markdown = this.#markdown;
		if (!markdown) return this.#plain(raw);
		void this.#version;
		this.#want(raw);
		return markdown.block(raw);
	}

	/** The streaming tail's HTML. */
	tail(raw: string): string {
		const markdown = this.#markdown;
		if (!markdown) return this.#plain(raw);
		void this.#version;
		this.#want(raw);
		return markdown.tail(raw);
	}

	#plain(raw: string): string {
		this.#load();
		return `<p class="plain">${escapeHtml(raw)}</p>`;
	}

	#load() {
		if (this.#loading) return;
		this.#loading = true;
		// Asynchronous on purpose: state changes only after rendering, never during it.
		void Promise.all([import('./markdown'), import('./sanitize')]).then(([markdown, sanitize]) => {
			this.#splitBlocks = markdown.splitBlocks;
			this.#markdown = new markdown.MarkdownRenderer({
				sanitize: sanitize.createSanitizer(this.#window),
				highlighter,
				copyLabel: this.#copyLabel
			});
		});
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
			if (loaded && this.#markdown) this.#version = this.#markdown.version;
		});
	}
}
