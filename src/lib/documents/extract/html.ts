// HTML, text only. The file is never rendered and never becomes a DOM: htmlparser2 reads it as a
// stream of tags and text, so no script can run and nothing can load, whatever it holds. Text in
// script, style, template and the like is dropped; headings become the heading path; block
// elements end a block; <pre> keeps its lines as code; table rows keep their cells apart.
import { Parser } from 'htmlparser2';
import type { Block } from '../types';

/** Elements whose content is not text a reader sees. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'object']);
const BLOCK = new Set(
	(
		'address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure ' +
		'footer form header hr li main nav ol p section summary table tbody thead tfoot tr ul'
	).split(' ')
);
const HEADING = /^h([1-6])$/;

export function htmlBlocks(source: string): Block[] {
	const blocks: Block[] = [];
	let text = '';
	let hidden = 0;
	let pre = 0;
	let heading = 0;
	let inTitle = false;
	let title = '';
	let row: string[] | null = null;
	let listItem = false;

	const flush = () => {
		const body = pre ? text.replace(/\s+$/, '') : text.replace(/\s+/g, ' ').trim();
		text = '';
		if (!body) return;
		if (heading)
			blocks.push({ kind: 'heading', text: body, depth: heading, page: null, line: null });
		else if (pre) blocks.push({ kind: 'code', text: body, page: null, line: null });
		else if (listItem) blocks.push({ kind: 'list', text: `- ${body}`, page: null, line: null });
		else blocks.push({ kind: 'text', text: body, page: null, line: null });
	};

	const parser = new Parser(
		{
			onopentag(name) {
				if (name === 'title') inTitle = true;
				if (HIDDEN.has(name)) hidden++;
				if (hidden) return;
				const level = HEADING.exec(name);
				if (level || BLOCK.has(name) || name === 'pre') flush();
				if (level) heading = Number(level[1]);
				if (name === 'pre') pre++;
				if (name === 'li') listItem = true;
				if (name === 'tr') row = [];
				if ((name === 'td' || name === 'th') && row) text = '';
			},
			ontext(data) {
				if (inTitle) title += data;
				if (!hidden) text += data;
			},
			onclosetag(name) {
				if (name === 'title') inTitle = false;
				if (HIDDEN.has(name)) {
					hidden = Math.max(0, hidden - 1);
					return;
				}
				if (hidden) return;
				if ((name === 'td' || name === 'th') && row) {
					row.push(text.replace(/\s+/g, ' ').trim());
					text = '';
					return;
				}
				if (name === 'tr' && row) {
					const cells = row.filter(Boolean);
					row = null;
					if (cells.length)
						blocks.push({ kind: 'table', text: cells.join(' | '), page: null, line: null });
					return;
				}
				const level = HEADING.test(name);
				if (level || BLOCK.has(name) || name === 'pre') flush();
				if (level) heading = 0;
				if (name === 'pre') pre = Math.max(0, pre - 1);
				if (name === 'li') listItem = false;
			}
		},
		{ decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true }
	);
	parser.write(source);
	parser.end();
	flush();
	const name = title.replace(/\s+/g, ' ').trim();
	// The page's title heads what comes before its first top-level heading.
	if (name && !(blocks[0]?.kind === 'heading' && blocks[0].text === name)) {
		blocks.unshift({ kind: 'heading', text: name, depth: 1, page: null, line: null });
	}
	return blocks;
}
