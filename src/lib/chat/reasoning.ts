// Reasoning models (Qwen3, DeepSeek-R1) write their thinking between <think> and </think> before
// the answer. The two are split for display (thinking folded away) and storage (`reasoning` is kept
// apart from `content`), and the reasoning is never sent back as history: the models' own chat
// templates drop it too, and it would fill the context window.

export interface SplitReasoning {
	/** The thinking, trimmed; null when there was none or it was empty (thinking turned off). */
	reasoning: string | null;
	/** What follows the thinking, trimmed at the start; '' while the model is still thinking. */
	answer: string;
	/** True while the think block is open: the model has not started its answer yet. */
	thinking: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';

function orNull(text: string): string | null {
	const trimmed = text.trim();
	return trimmed ? trimmed : null;
}

/** While the block is open, a closing tag may be arriving: "</thi" is not part of the thinking. */
function withoutPartialClose(text: string): string {
	for (let n = Math.min(CLOSE.length - 1, text.length); n > 0; n--)
		if (CLOSE.startsWith(text.slice(-n))) return text.slice(0, -n);
	return text;
}

export interface SplitOptions {
	/**
	 * The model starts inside a think block without writing `<think>` (DeepSeek-R1's template puts
	 * the tag in the prompt). Without this, such text is only recognised once `</think>` arrives.
	 */
	startsThinking?: boolean;
}

/**
 * Splits streamed or finished text. Tolerates an unfinished block (while streaming), a tag cut in
 * the middle ("<thi", "</thi"), and a missing opening tag.
 */
export function splitReasoning(text: string, options: SplitOptions = {}): SplitReasoning {
	const start = text.trimStart();
	if (start.startsWith(OPEN) || (options.startsThinking && !OPEN.startsWith(start))) {
		const rest = start.startsWith(OPEN) ? start.slice(OPEN.length) : start;
		const end = rest.indexOf(CLOSE);
		if (end < 0)
			return { reasoning: orNull(withoutPartialClose(rest)), answer: '', thinking: true };
		return {
			reasoning: orNull(rest.slice(0, end)),
			answer: rest.slice(end + CLOSE.length).trimStart(),
			thinking: false
		};
	}
	// The first characters of a tag still arriving: show nothing rather than a flash of "<thi".
	if (start.length > 0 && OPEN.startsWith(start))
		return { reasoning: null, answer: '', thinking: true };
	const end = text.indexOf(CLOSE);
	if (end >= 0)
		return {
			reasoning: orNull(text.slice(0, end)),
			answer: text.slice(end + CLOSE.length).trimStart(),
			thinking: false
		};
	return { reasoning: null, answer: text, thinking: false };
}

/** The text to send back as history: the answer alone. */
export function stripReasoning(text: string): string {
	return splitReasoning(text).answer;
}
