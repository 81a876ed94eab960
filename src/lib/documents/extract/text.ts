// Plain text and source code: blocks are runs of lines between blank lines, with the line each
// starts on. Prose becomes `text` blocks (later cut on sentences when too long), code becomes
// `code` blocks (cut on lines, so a statement is never split).
import type { Block } from '../types';

export function lineBlocks(text: string, kind: 'text' | 'code'): Block[] {
	const blocks: Block[] = [];
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	let start = -1;
	const close = (end: number) => {
		if (start < 0) return;
		const body = lines.slice(start, end).join('\n');
		if (body.trim())
			blocks.push({ kind, text: trimBlock(body, kind), page: null, line: start + 1 });
		start = -1;
	};
	lines.forEach((line, i) => {
		if (line.trim() === '') close(i);
		else if (start < 0) start = i;
	});
	close(lines.length);
	return blocks;
}

/** Prose loses surrounding whitespace; code keeps its indentation, only trailing space goes. */
function trimBlock(body: string, kind: 'text' | 'code'): string {
	return kind === 'code' ? body.replace(/\s+$/, '') : body.trim();
}
