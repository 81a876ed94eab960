// Splitting a growing Markdown text into finished blocks and a tail, incrementally.
//
// `splitBlocks` lexes the whole text; doing that on every update of a long streaming answer costs
// time proportional to the answer's length, many times over. A finished block cannot change as
// text is appended (see markdown.ts), so the lexer can restart where the finished blocks end: each
// update then lexes only the tail. If the text is replaced rather than extended (an edit, another
// message), or the pieces do not join back to the text, it starts again from the beginning.
import type { splitBlocks } from './markdown';

export type SplitBlocks = typeof splitBlocks;

export interface BlockView {
	/** Finished blocks, oldest first; the array is replaced (never mutated) when it grows. */
	done: readonly string[];
	/** The block still being written; '' when there is none. */
	tail: string;
}

export class BlockSplitter {
	/** The text as of the last split, line endings normalised. */
	#text = '';
	/** Length of `#text` covered by `#done`. */
	#offset = 0;
	#done: readonly string[] = [];
	readonly #splitBlocks: SplitBlocks;

	/** `splitBlocks` comes from markdown.ts, which the caller has loaded (it brings marked). */
	constructor(splitBlocks: SplitBlocks) {
		this.#splitBlocks = splitBlocks;
	}

	split(markdown: string): BlockView {
		const text = markdown.replace(/\r\n?/g, '\n');
		if (
			text.length < this.#offset ||
			text.slice(0, this.#offset) !== this.#text.slice(0, this.#offset)
		)
			this.#reset();
		const rest = text.slice(this.#offset);
		const { done, tail } = this.#splitBlocks(rest);
		const covered = done.join('');
		if (covered + tail !== rest) {
			// The lexer rewrote something (e.g. tabs): fall back to whole-text splitting.
			this.#reset();
			this.#text = text;
			return this.#splitBlocks(text);
		}
		if (done.length) {
			this.#done = [...this.#done, ...done];
			this.#offset += covered.length;
		}
		this.#text = text;
		return { done: this.#done, tail };
	}

	#reset() {
		this.#text = '';
		this.#offset = 0;
		this.#done = [];
	}
}
