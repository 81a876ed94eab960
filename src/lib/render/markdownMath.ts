// Math as part of Markdown (marked extensions), so that Markdown never touches it: `*` and `_`
// inside math are not emphasis, `\\` and `\{` stay as TeX wrote them, and code spans and code
// blocks keep their dollars (marked takes them before any math is looked for). Where math is comes
// from math.ts; what it looks like from the `render` function the caller passes (KaTeX's MathML,
// see katex.ts), which returns null to show the source as text: KaTeX still loading, or TeX it
// cannot read.
import { Tokenizer, type MarkedExtension, type Tokens } from 'marked';
import { escapeHtml } from './escape';
import { blockMathAt, blockMathStart, inlineMathAt, inlineMathStart, maskMath } from './math';

/** MathML for `tex`, or null to show the source as text. */
export type RenderMath = (tex: string, display: boolean) => string | null;

interface MathToken extends Tokens.Generic {
	type: 'math' | 'mathBlock';
	raw: string;
	tex: string;
	display: boolean;
}

const prevChar = (tokens: readonly { raw: string }[]) => tokens.at(-1)?.raw.at(-1) ?? '';

const mayHoldMath = (src: string) =>
	src.includes('$') || src.includes('\\(') || src.includes('\\[');

/** The extensions that find, protect and render math with `render`. */
export function mathMarkdown(render: RenderMath): MarkedExtension {
	const html = (token: MathToken) => render(token.tex, token.display);
	return {
		extensions: [
			{
				name: 'mathBlock',
				level: 'block',
				start: (src) => {
					const at = blockMathStart(src);
					return at < 0 ? undefined : at;
				},
				tokenizer(src): MathToken | undefined {
					const math = blockMathAt(src);
					return math ? { type: 'mathBlock', ...math } : undefined;
				},
				renderer(token) {
					const math = token as MathToken;
					const out = html(math);
					return out === null
						? `<p class="math-source">${escapeHtml(math.raw.trim())}</p>\n`
						: `<div class="math-display">${out}</div>\n`;
				}
			},
			{
				name: 'math',
				level: 'inline',
				start: (src) => {
					const at = inlineMathStart(src);
					return at < 0 ? undefined : at;
				},
				tokenizer(src, tokens): MathToken | undefined {
					const math = inlineMathAt(src, prevChar(tokens));
					return math ? { type: 'math', ...math } : undefined;
				},
				renderer(token) {
					const math = token as MathToken;
					return html(math) ?? escapeHtml(math.raw);
				}
			}
		],
		// Emphasis and strikethrough look ahead for their closing delimiter in a masked copy of the
		// text: hide the delimiters inside math from them.
		tokenizer: {
			emStrong(src, maskedSrc, prev) {
				if (!mayHoldMath(src)) return false;
				return Tokenizer.prototype.emStrong.call(this, src, maskMath(src, maskedSrc), prev);
			},
			del(src, maskedSrc, prev) {
				if (!mayHoldMath(src)) return false;
				return Tokenizer.prototype.del.call(this, src, maskMath(src, maskedSrc), prev);
			}
		}
	};
}

/** For splitting a streaming text into blocks: display math, finished or not, is one block. */
export const mathBlocks: MarkedExtension = {
	extensions: [
		{
			name: 'mathBlock',
			level: 'block',
			start: (src) => {
				const at = blockMathStart(src);
				return at < 0 ? undefined : at;
			},
			tokenizer(src): MathToken | undefined {
				const math = blockMathAt(src, { unclosed: true });
				return math ? { type: 'mathBlock', ...math } : undefined;
			}
		}
	]
};
