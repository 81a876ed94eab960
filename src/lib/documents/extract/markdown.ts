// Markdown: marked's lexer (the same parser the chat renders answers with) gives the structure:
// headings (kept as the passages' heading path), paragraphs, lists, tables, code blocks. Each block
// keeps its Markdown source as its text: passages are shown as text, never rendered, so a raw
// <script> in a document stays the characters it is.
import { Lexer, type Token } from 'marked';
import type { Block } from '../types';

const lines = (raw: string) => raw.split('\n').length - 1;

export function markdownBlocks(source: string): Block[] {
	const text = source.replace(/\r\n?/g, '\n');
	const blocks: Block[] = [];
	let line = 1;
	for (const token of new Lexer({ gfm: true }).lex(text) as Token[]) {
		const at = line + leadingBlankLines(token.raw);
		line += lines(token.raw);
		const raw = token.raw.trim();
		if (!raw) continue;
		switch (token.type) {
			case 'heading':
				blocks.push({
					kind: 'heading',
					text: token.text,
					depth: token.depth,
					page: null,
					line: at
				});
				break;
			case 'code':
				blocks.push({ kind: 'code', text: raw, page: null, line: at });
				break;
			case 'list':
				blocks.push({ kind: 'list', text: raw, page: null, line: at });
				break;
			case 'table':
				blocks.push({ kind: 'table', text: raw, page: null, line: at });
				break;
			case 'space':
			case 'hr':
				break;
			default:
				// paragraph, blockquote, html, link definitions, text: prose, as written.
				blocks.push({ kind: 'text', text: raw, page: null, line: at });
		}
	}
	return blocks;
}

function leadingBlankLines(raw: string): number {
	const match = /^(\s*\n)*/.exec(raw);
	return match ? lines(match[0]) : 0;
}
