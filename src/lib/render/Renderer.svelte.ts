// The app's one renderer of model text: Markdown to safe HTML for every answer on screen, in Chat,
// Compare and anything later that shows model output. One MarkdownRenderer (and so one cache of
// finished blocks) serves them all, with DOMPurify bound to this window. Created once in the root
// layout (`services.renderer`); `Markdown.svelte` is how a component shows text through it.
//
// marked and DOMPurify (about 32 KB gzip together) load on the first text shown, not with the
// page: until they arrive (a moment, from the precache) a text shows as plain escaped text, and
// `ready` turns true, which renders it again as Markdown.
//
// Highlighting is lazy too: the first time a block fences code in a language, that language's chunk
// is loaded, and once it arrives `version` changes. Components read `version` through `block` and
// `tail`, so they render again with colours; until then the code shows plain.
//
// Math likewise: the first time a text holds math (by the rules of math.ts, so "$5 and $10" does
// not count), KaTeX is loaded (katex.ts), and `version` changes once it is there; until then the
// math shows as its source.
import { BlockSplitter, type SplitBlocks } from './blocks';
import { copyCodeOnClick, type CopyLabels } from './copyCode';
import { escapeHtml } from './escape';
import { highlighter, languageName, loadLanguages } from './highlight';
import { createMathRenderer, loadMath } from './katex';
import type { MarkdownRenderer } from './markdown';

export type { CopyLabels };

/** Fence languages in a block, found without lexing it again. */
const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]+)/gm;

export class Renderer {
	#markdown = $state.raw<MarkdownRenderer | null>(null);
	#splitBlocks: SplitBlocks | null = null;
	#loading = false;
	#window: Window & typeof globalThis;
	#labels: CopyLabels;
	#version = $state(0);
	/** Languages asked for once already (plain bookkeeping, not state). */
	#requested: Record<string, true> = {};
	#mathRequested = false;
	/** Asked by the Markdown renderer for each formula; asks for KaTeX the first time. */
	#math = createMathRenderer(() => this.#wantMath());

	/** `labels` are the code blocks' copy button's words (a button cannot ask for them later). */
	constructor(window: Window & typeof globalThis, labels: CopyLabels) {
		this.#window = window;
		this.#labels = labels;
	}

	/** True once marked and DOMPurify are loaded; until then texts show as plain text. */
	get ready(): boolean {
		return this.#markdown !== null;
	}

	/** A splitter for one growing text; null until `ready`. */
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

	/** The HTML of the block still being written (not cached). */
	tail(raw: string): string {
		const markdown = this.#markdown;
		if (!markdown) return this.#plain(raw);
		void this.#version;
		this.#want(raw);
		return markdown.tail(raw);
	}

	/**
	 * A click inside rendered HTML: the copy button of a code block copies its code. The HTML is a
	 * string, so its buttons carry no handlers; one listener on the container serves them all.
	 */
	readonly onclick = (event: MouseEvent): Promise<void> => copyCodeOnClick(event, this.#labels);

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
				copyLabel: this.#labels.copy,
				math: this.#math
			});
		});
	}

	#wantMath() {
		if (this.#mathRequested) return;
		this.#mathRequested = true;
		// Asynchronous on purpose: state changes only after rendering, never during it.
		void loadMath().then((loaded) => {
			if (loaded && this.#markdown) this.#version = this.#markdown.version;
			// A chunk that failed to load (offline before it was precached) is asked for again later.
			else this.#mathRequested = false;
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
