import { describe, expect, it } from 'vitest';
import { blockMathAt, blockMathStart, inlineMathAt, maskMath } from '$lib/render/math';
import { MarkdownRenderer, renderMarkdown, splitBlocks } from '$lib/render/markdown';

/** Math rendered as a marker, so the tests read what was taken as math and how. */
const math = {
	render: (tex: string, display: boolean) => `<M${display ? ' display' : ''}>${tex}</M>`,
	version: 1
};
const render = (markdown: string) => renderMarkdown(markdown, { sanitize: (h) => h, math });

describe('inline math delimiters', () => {
	it.each([
		['$x^2$', '$x^2$', 'x^2', false],
		['$a_1 + b_2$ rest', '$a_1 + b_2$', 'a_1 + b_2', false],
		['$$\\sum_i i$$ rest', '$$\\sum_i i$$', '\\sum_i i', true],
		['\\(x\\) rest', '\\(x\\)', 'x', false],
		['\\[x\\] rest', '\\[x\\]', 'x', true],
		['$\\$5$', '$\\$5$', '\\$5', false],
		['$a\nb$', '$a\nb$', 'a\nb', false],
		// `\\` is a line break in TeX: the `)` after it is no closer.
		['\\(\\frac{\\\\)}{2}\\)', '\\(\\frac{\\\\)}{2}\\)', '\\frac{\\\\)}{2}', false],
		['$x$, then', '$x$', 'x', false]
	])('%j is math: %j', (src, raw, tex, display) => {
		expect(inlineMathAt(src, '')).toEqual({ raw, tex, display });
	});

	it.each([
		['$5 and $10', 'the closing $ follows a space'],
		['$ x$', 'the opening $ precedes a space'],
		['$x $', 'the closing $ follows a space'],
		['$x$5', 'the closing $ precedes a digit'],
		['$x', 'no closer (yet)'],
		['$$x', 'no closer (yet)'],
		['\\(x', 'no closer (yet)'],
		['$$', 'nothing inside'],
		['\\(  \\)', 'nothing inside'],
		['$a `b$` c$', 'a code span comes first'],
		['$a\n\nb$', 'a blank line ends it'],
		['$x\\$', 'the closer is escaped']
	])('%j is not math: %s', (src) => {
		expect(inlineMathAt(src, '')).toBeNull();
	});

	it('never opens right after another dollar', () => {
		expect(inlineMathAt('$x$', '$')).toBeNull();
	});
});

describe('display math blocks', () => {
	it('takes a block from $$ or \\[ at the start of a line to its closer, blank lines and all', () => {
		expect(blockMathAt('$$\na\n\nb\n$$\nafter')).toEqual({
			raw: '$$\na\n\nb\n$$\n',
			tex: '\na\n\nb\n',
			display: true,
			unclosed: false
		});
		expect(blockMathAt('  \\[x = 1\\]  \n')?.tex).toBe('x = 1');
	});

	it('is not a block when text follows the closer on its line (then it is inline math)', () => {
		expect(blockMathAt('$$x$$ is a square')).toBeNull();
		expect(blockMathAt('\\[1\\] Smith, 2020')).toBeNull();
	});

	it('runs an unclosed block to the end only when asked (for splitting a streaming text)', () => {
		expect(blockMathAt('$$\nx\n\ny')).toBeNull();
		expect(blockMathAt('$$\nx\n\ny', { unclosed: true })).toMatchObject({
			raw: '$$\nx\n\ny',
			unclosed: true
		});
	});

	it('starts a block only at a line start, with at most three spaces, and not at $$$', () => {
		expect(blockMathStart('text\n$$\nx')).toBe(5);
		expect(blockMathStart('text\n   \\[')).toBe(5);
		expect(blockMathStart('text\n    $$')).toBe(-1);
		expect(blockMathStart('text $$ x')).toBe(-1);
		expect(blockMathAt('$$$\nx\n$$$')).toBeNull();
	});
});

describe('maskMath', () => {
	it('hides emphasis delimiters inside math only', () => {
		const src = '*a $b*c_d$ e* `$f*$` \\(g~h\\)';
		expect(maskMath(src, src)).toBe('*a $bacad$ e* `$f*$` \\(gah\\)');
	});

	it('masks the end of a longer masked text, where src is', () => {
		expect(maskMath('$a*$*', 'xx*$a*$*')).toBe('xx*$aa$*');
	});
});

describe('math in Markdown', () => {
	it('renders all four delimiter forms', () => {
		expect(render('$a$, \\(b\\), $$c$$ and \\[d\\]')).toBe(
			'<p><M>a</M>, <M>b</M>, <M display>c</M> and <M display>d</M></p>\n'
		);
		expect(render('Sum:\n$$\n\\sum_{i=1}^n i\n$$\nDone.')).toBe(
			'<p>Sum:</p>\n<div class="math-display"><M display>\n\\sum_{i=1}^n i\n</M></div>\n<p>Done.</p>\n'
		);
	});

	it('keeps Markdown out of math: underscores, stars, backslashes and brackets', () => {
		expect(render('$a_1 * b_2 * c$ and $[x](y)$')).toBe(
			'<p><M>a_1 * b_2 * c</M> and <M>[x](y)</M></p>\n'
		);
		expect(render('\\[ a \\\\ b \\{c\\} \\]')).toBe(
			'<div class="math-display"><M display> a \\\\ b \\{c\\} </M></div>\n'
		);
		expect(render('*note $f^*$ here*')).toBe('<p><em>note <M>f^*</M> here</em></p>\n');
		expect(render('_a $x_1$ b_')).toBe('<p><em>a <M>x_1</M> b</em></p>\n');
		expect(render('~~gone $a~b$~~')).toBe('<p><del>gone <M>a~b</M></del></p>\n');
	});

	it('leaves code spans and code blocks alone', () => {
		expect(render('`$x$` and `\\(y\\)`')).toBe(
			'<p><code>$x$</code> and <code>\\(y\\)</code></p>\n'
		);
		expect(render('```sh\necho $HOME $PATH\n$$\n```')).toContain('echo $HOME $PATH\n$$</code>');
		expect(render('    $$x$$')).toContain('<code class="hljs">$$x$$</code>');
	});

	it('leaves prices and shell variables as text', () => {
		expect(render('It costs $5 and $10, or $15.')).toBe('<p>It costs $5 and $10, or $15.</p>\n');
		expect(render('Set $HOME and $PATH first.')).toBe('<p>Set $HOME and $PATH first.</p>\n');
	});

	it('shows math as its source when it cannot be typeset, escaped', () => {
		const refusing = { render: () => null, version: 0 };
		const source = (md: string) => renderMarkdown(md, { sanitize: (h) => h, math: refusing });
		expect(source('$a<b$ and $$\\frac{$$')).toBe('<p>$a&lt;b$ and $$\\frac{$$</p>\n');
		expect(source('$$\n<x>\n$$')).toBe('<p class="math-source">$$\n&lt;x&gt;\n$$</p>\n');
	});

	it('shows an unclosed delimiter as text until it closes', () => {
		expect(render('The area is $\\pi r')).toBe('<p>The area is $\\pi r</p>\n');
		expect(render('The area is $\\pi r^2$')).toBe('<p>The area is <M>\\pi r^2</M></p>\n');
		expect(render('Now:\n\n$$\n\\int_0^1')).toBe('<p>Now:</p>\n<p>$$\n\\int_0^1</p>\n');
	});

	it('renders math inside lists, tables, headings and links', () => {
		expect(render('- $a$\n- $$b$$')).toContain('<li><M>a</M></li>');
		expect(render('| x |\n|---|\n| $y^2$ |')).toContain('<td><M>y^2</M></td>');
		expect(render('## About $\\pi$')).toContain('<h2>About <M>\\pi</M></h2>');
		expect(render('[the $x$ axis](https://example.com)')).toContain('>the <M>x</M> axis</a>');
	});
});

const mathDoc = [
	'Intro with $x$ and $5.',
	'',
	'$$',
	'\\begin{aligned}',
	'a &= b \\\\',
	'',
	'c &= d',
	'\\end{aligned}',
	'$$',
	'Right after, $y_1$.',
	'',
	'\\[',
	'E = mc^2',
	'\\]',
	'',
	'- item $a*b$',
	'- $$c$$',
	'',
	'```',
	'$$',
	'not math',
	'```',
	'',
	'Last $z$.'
].join('\n');

describe('splitting streaming text with math', () => {
	it('keeps display math with blank lines in one block', () => {
		const { done } = splitBlocks(mathDoc);
		expect(done).toContain('$$\n\\begin{aligned}\na &= b \\\\\n\nc &= d\n\\end{aligned}\n$$\n');
	});

	it('never changes a finished block as text is appended', () => {
		const final = splitBlocks(mathDoc).done;
		for (let n = 0; n <= mathDoc.length; n++) {
			const { done } = splitBlocks(mathDoc.slice(0, n));
			expect(done, `prefix of ${n} characters`).toEqual(final.slice(0, done.length));
		}
	});

	it('renders every prefix as a fresh render would, and the whole as renderMarkdown', () => {
		const renderAll = (r: MarkdownRenderer, text: string) => {
			const { done, tail } = splitBlocks(text);
			return done.map((raw) => r.block(raw)).join('') + r.tail(tail);
		};
		const streaming = new MarkdownRenderer({ sanitize: (h) => h, math });
		for (let n = 0; n <= mathDoc.length; n += 3) {
			const text = mathDoc.slice(0, n);
			expect(renderAll(streaming, text)).toBe(
				renderAll(new MarkdownRenderer({ sanitize: (h) => h, math }), text)
			);
		}
		expect(renderAll(streaming, mathDoc)).toBe(render(mathDoc));
	});

	it('holds an unclosed display block in the tail, so finished blocks stay finished', () => {
		expect(splitBlocks('Intro\n\n$$\na\n\nb')).toEqual({ done: ['Intro\n\n'], tail: '$$\na\n\nb' });
	});
});
