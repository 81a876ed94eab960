// Documents in the chat, with the test engine's deterministic embeddings (hashed words): files are
// attached from the message box by picker, drop and paste; each question is sent with the passages
// that match it under source markers; the answer lists its numbered sources, each opens its
// passage, and what was sent is shown on demand; all of it survives a reload. A scanned PDF says it
// has no text; without an embedding model, words alone are matched and the answer says so.
import { readFile } from 'node:fs/promises';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
	ask,
	chatRequests,
	expect,
	lastAnswer,
	loadModel,
	openApp,
	test,
	type Page
} from './fixtures';

const EMBEDDER = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
const FACT = 'The launch code of Project Heron is 7419, kept by the night engineer.';
const QUESTION = 'What is the launch code of Project Heron?';
const FILLER = [
	'The quarterly meeting covered budgets and travel plans for the coming months.',
	'Staff asked about parking near the new office and the cafeteria menu.',
	'Weather delayed two shipments, which arrived a week later than planned.',
	'The library added shelves for the archive of printed manuals and old maps.',
	'Volunteers painted the fence behind the warehouse over two weekends.'
];

async function reportPdf(pages: number, factPage: number): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	for (let number = 1; number <= pages; number++) {
		const page = pdf.addPage([595, 842]);
		let y = 780;
		const line = (text: string) => {
			page.drawText(text, { x: 50, y, size: 11, font });
			y -= 16;
		};
		line(`Page ${number} of the operations report.`);
		for (let l = 0; l < 5; l++) line(FILLER[(number + l) % FILLER.length] ?? '');
		if (number === factPage) line(FACT);
	}
	return Buffer.from(await pdf.save());
}

async function scannedPdf(): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const page = pdf.addPage([595, 842]);
	page.drawRectangle({ x: 40, y: 40, width: 515, height: 762, borderWidth: 2 });
	return Buffer.from(await pdf.save());
}

/** Drops (or pastes) a text file on the message box, as the system would hand it over. */
async function handOver(page: Page, how: 'drop' | 'paste', name: string, body: string) {
	await page.evaluate(
		({ how, name, body }) => {
			const data = new DataTransfer();
			data.items.add(new File([body], name, { type: '' }));
			const box = document.querySelector('[data-testid="composer"]');
			if (how === 'paste') {
				box?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
			} else {
				box?.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true }));
				box?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
			}
		},
		{ how, name, body }
	);
}

function attached(page: Page, name: string | RegExp) {
	return page
		.getByTestId('attached-document')
		.filter({ has: page.getByTestId('attached-name').getByText(name, { exact: true }) });
}

/** The user message of the last chat request, as text. */
function lastQuestionSent(engine: Parameters<typeof chatRequests>[0]): string {
	const messages = chatRequests(engine).at(-1)?.messages ?? [];
	const content = messages.at(-1)?.content;
	return typeof content === 'string' ? content : JSON.stringify(content);
}

test('documents attached by picker, drop and paste are searched for each question; the answer cites numbered sources that open their passage, shows what was sent, and keeps both after a reload', async ({
	page,
	testEngine
}) => {
	test.setTimeout(120_000);
	// 4 GB of RAM: the embedding model fits beside the chat model, so questions are embedded.
	await page.addInitScript(() =>
		Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 4 })
	);
	testEngine.script({ chat: { tokens: ['The code is 7419', ' [1].'] } });
	await openApp(page, '/documents/');
	await page.getByTestId('embedding-model-select').selectOption(EMBEDDER);
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await loadModel(page);

	await page.getByTestId('attach-files').setInputFiles({
		name: 'heron-report.pdf',
		mimeType: 'application/pdf',
		buffer: await reportPdf(6, 4)
	});
	const pdf = attached(page, 'heron-report.pdf');
	await expect(pdf).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await expect(pdf.getByTestId('attached-facts')).toContainText('PDF');
	await expect(pdf.getByTestId('attached-facts')).toContainText('6 pages');
	await expect(pdf.getByTestId('attached-facts')).toContainText(/\d+(\.\d)? kB/);

	await handOver(page, 'drop', 'garden.md', `# Garden\n\nThe roses bloom in June.\n`);
	await handOver(page, 'paste', 'pump.ts', `export const PUMP_PRESSURE = 3.5; // bar\n`);
	await expect(attached(page, 'garden.md')).toHaveAttribute('data-status', 'ready');
	await expect(attached(page, 'pump.ts')).toHaveAttribute('data-status', 'ready');
	await expect(attached(page, 'pump.ts').getByTestId('attached-facts')).toContainText(
		'Source code'
	);
	// Pasting files does not put their names in the message box.
	await expect(page.getByTestId('composer')).toHaveValue('');

	await ask(page, QUESTION);
	const answer = await lastAnswer(page);
	// The request carried the fact under a source marker, before the question.
	const sent = lastQuestionSent(testEngine);
	expect(sent).toContain(FACT);
	expect(sent).toMatch(/\[1\] /);
	expect(sent.trim().endsWith(QUESTION)).toBe(true);
	// The stored question is what the user wrote.
	await expect(page.getByTestId('message-user').last().getByTestId('message-content')).toHaveText(
		QUESTION
	);

	const sources = answer.getByTestId('source');
	await expect(sources.first()).toBeVisible();
	await expect(answer.getByTestId('sources-words-only')).toHaveCount(0);
	const cited = sources.filter({ hasText: 'heron-report.pdf, page 4' });
	await expect(cited).toHaveCount(1);
	await cited.click();
	const dialog = page.getByTestId('passage-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByTestId('passage-document')).toHaveText('heron-report.pdf');
	await expect(dialog.getByTestId('passage-where')).toHaveText('heron-report.pdf, page 4');
	await expect(dialog.getByTestId('passage-text')).toContainText(FACT);
	await dialog.getByTestId('passage-close').click();
	await expect(dialog).toBeHidden();

	await answer.getByTestId('sent-request').locator('summary').click();
	const request = answer.getByTestId('sent-message');
	await expect(request.last()).toHaveAttribute('data-role', 'user');
	await expect(request.last()).toContainText(FACT);
	await expect(request.last()).toContainText(QUESTION);

	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	const again = page.getByTestId('message-assistant').last();
	await expect(
		again.getByTestId('source').filter({ hasText: 'heron-report.pdf, page 4' })
	).toHaveCount(1);
	await again.getByTestId('source').filter({ hasText: 'page 4' }).click();
	await expect(page.getByTestId('passage-text')).toContainText(FACT);
	await page.getByTestId('passage-close').click();
	// The attachments stayed with the conversation.
	await expect(attached(page, 'heron-report.pdf')).toBeVisible();
	await expect(page.getByTestId('attached-document')).toHaveCount(3);

	// Removing one takes it off the conversation, not out of the library.
	await attached(page, 'garden.md').getByTestId('attached-remove').click();
	await expect(page.getByTestId('attached-document')).toHaveCount(2);
	await page.getByRole('link', { name: 'Documents', exact: true }).click();
	await expect(page.getByTestId('document')).toHaveCount(3);
});

test('without an embedding model, passages are found by their words and the answer says so; a scanned PDF says it has no text; a collection is attached as a whole', async ({
	page,
	testEngine
}) => {
	test.setTimeout(90_000);
	testEngine.script({ chat: { tokens: ['Noted.'] } });
	await openApp(page, '/documents/');
	await page.getByTestId('paste-name').fill('heron.txt');
	await page.getByTestId('paste-text').fill(`${FILLER.join('\n\n')}\n\n${FACT}`);
	await page.getByTestId('paste-add').click();
	await page.getByTestId('collection-name').fill('Projects');
	await page.getByTestId('collection-create').click();
	await page.getByRole('checkbox', { name: 'heron.txt in Projects' }).check();

	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await loadModel(page);
	await page.getByTestId('attach-collection').selectOption({ label: 'Projects' });
	await expect(page.getByTestId('attached-collection')).toContainText('Projects (1 document)');
	await expect(attached(page, 'heron.txt').getByTestId('attached-facts')).toContainText(
		'from the collection Projects'
	);
	await expect(page.getByTestId('attach-no-model')).toContainText('No embedding model is chosen');

	await page.getByTestId('attach-files').setInputFiles({
		name: 'scan.pdf',
		mimeType: 'application/pdf',
		buffer: await scannedPdf()
	});
	const scan = attached(page, 'scan.pdf');
	await expect(scan).toHaveAttribute('data-status', 'failed');
	await expect(scan.getByTestId('attached-error')).toHaveAttribute(
		'data-error-code',
		'pdf-no-text'
	);
	await expect(scan.getByTestId('attached-error')).toContainText(
		'This PDF has no text to read: it is probably a scan or pictures of pages.'
	);

	await ask(page, 'Heron launch code 7419?');
	const answer = await lastAnswer(page);
	await expect(answer.getByTestId('sources-words-only')).toHaveAttribute('data-reason', 'no-model');
	await expect(answer.getByTestId('sources-words-only')).toContainText(
		'Passages were found by their words only: no embedding model is chosen'
	);
	await expect(answer.getByTestId('source').first()).toContainText('heron.txt');
	expect(lastQuestionSent(testEngine)).toContain(FACT);
	expect(testEngine.events.filter((e) => e.type === 'embed')).toHaveLength(0);

	await page.getByTestId('attached-collection-remove').click();
	await expect(attached(page, 'heron.txt')).toHaveCount(0);

	// The Models page shows the documents' share of the storage next to the models'.
	await page.getByRole('link', { name: 'Models', exact: true }).click();
	const line = page.getByTestId('documents-storage-line');
	await expect(line).toContainText(/Of this, your documents use \d/);
	expect(Number(await line.getAttribute('data-bytes'))).toBeGreaterThan(400);
});

test('a backup carries the documents, collections and attachments; restored, they are read again and the answers keep their sources', async ({
	page,
	testEngine
}) => {
	test.setTimeout(90_000);
	testEngine.script({ chat: { tokens: ['It is 7419 [1].'] } });
	await openApp(page);
	await loadModel(page);
	await page.getByTestId('attach-files').setInputFiles({
		name: 'heron.md',
		mimeType: 'text/markdown',
		buffer: Buffer.from(`# Heron\n\n${FILLER.join('\n\n')}\n\n## Codes\n\n${FACT}\n`)
	});
	await expect(attached(page, 'heron.md')).toHaveAttribute('data-status', 'embedding');
	await ask(page, 'Heron launch code?');
	await expect((await lastAnswer(page)).getByTestId('source').first()).toContainText('heron.md');

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('backup').click()
	]);
	const text = await readFile(await download.path(), 'utf8');
	const file = JSON.parse(text) as {
		documents?: { documents: Array<{ name: string }>; attachments: unknown[] };
	};
	expect(file.documents?.documents.map((d) => d.name)).toEqual(['heron.md']);
	expect(file.documents?.attachments).toHaveLength(1);

	// Everything goes: the conversation, then the document.
	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByTestId('conversation').first().getByTestId('delete').click();
	await expect(page.getByTestId('conversation')).toHaveCount(0);
	await page.getByRole('link', { name: 'Documents', exact: true }).click();
	await page.getByTestId('document-remove').click();
	await expect(page.getByTestId('document')).toHaveCount(0);

	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	await page.getByTestId('restore').setInputFiles({
		name: 'backup.json',
		mimeType: 'application/json',
		buffer: Buffer.from(text)
	});
	await expect(page.getByTestId('notice')).toContainText('Restored 1 conversation');
	await page.getByTestId('conversation').first().getByRole('link').first().click();
	const answer = page.getByTestId('message-assistant').last();
	await expect(answer.getByTestId('source').first()).toContainText('heron.md');
	// The restored file is read again into passages, and searched for the next question.
	await expect(attached(page, 'heron.md')).toHaveAttribute('data-status', 'embedding');
	await ask(page, 'And the Heron launch code again?');
	await lastAnswer(page);
	expect(lastQuestionSent(testEngine)).toContain(FACT);
});

test('the installed app registers for the documents it reads, and files opened with it are attached to a new conversation', async ({
	page,
	context
}) => {
	// The launch queue exists only in an installed app: stood in here, delivering as Chromium does.
	await page.addInitScript(() => {
		const launched = [
			new File(['# Heron\n\nThe launch code of Project Heron is 7419.\n'], 'opened.md', {
				type: 'text/markdown'
			})
		];
		Object.defineProperty(window, 'launchQueue', {
			value: {
				setConsumer(consumer: (params: { files: unknown[] }) => void) {
					setTimeout(
						() => consumer({ files: launched.map((file) => ({ getFile: async () => file })) }),
						0
					);
				}
			}
		});
	});
	await openApp(page);
	await expect(attached(page, 'opened.md')).toBeVisible();
	await expect(attached(page, 'opened.md').getByTestId('attached-facts')).toContainText('Markdown');

	const cdp = await context.newCDPSession(page);
	await expect
		.poll(async () => (await cdp.send('Page.getAppManifest')).data ?? '')
		.toContain('file_handlers');
	const manifest = await cdp.send('Page.getAppManifest');
	expect(manifest.errors).toEqual([]);
	const parsed = JSON.parse(manifest.data ?? '{}') as {
		file_handlers?: Array<{ accept: Record<string, string[]> }>;
	};
	expect(parsed.file_handlers?.[0]?.accept['application/pdf']).toEqual(['.pdf']);
});

test('a long text pasted into the message box can be attached as a document instead: it leaves the box, is searched for the question and cited', async ({
	page,
	context,
	testEngine
}) => {
	test.setTimeout(90_000);
	testEngine.script({ chat: { tokens: ['The code is 7419', ' [1].'] } });
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await openApp(page);
	await loadModel(page);
	const box = page.getByTestId('composer');
	// A short paste is just text.
	await box.fill('Please read this: ');
	await page.evaluate(() => navigator.clipboard.writeText('a few words'));
	await box.press('ControlOrMeta+V');
	await expect(box).toHaveValue('Please read this: a few words');
	await expect(page.getByTestId('paste-offer')).toHaveCount(0);

	// A long one (a report of some 5,000 characters, Windows line ends) is offered as a document,
	// and stays in the box until the user chooses.
	const report = Array.from({ length: 12 }, (_, i) => `${FILLER.join(' ')} Section ${i}.`);
	report.splice(7, 0, FACT);
	const pasted = report.join('\r\n\r\n');
	await box.fill('Summary of: ');
	await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
	await box.press('ControlOrMeta+V');
	await box.pressSequentially(' Thanks.');
	await expect(page.getByTestId('paste-offer')).toContainText('long text');
	await expect(box).toHaveValue(/night engineer/);
	await page.getByTestId('paste-attach').click();
	await expect(box).toHaveValue('Summary of:  Thanks.');
	await expect(page.getByTestId('paste-offer')).toHaveCount(0);
	const document = attached(page, /^Pasted text, /);
	await expect(document).toBeVisible();
	await expect(document.getByTestId('attached-facts')).toContainText('Text');
	await expect(document).not.toHaveAttribute('data-status', 'reading');

	await box.fill('');
	await ask(page, QUESTION);
	const answer = await lastAnswer(page);
	expect(lastQuestionSent(testEngine)).toContain(FACT);
	await expect(answer.getByTestId('source').first()).toContainText('Pasted text, ');

	// "Keep it in the message" leaves the text where it is, and the offer goes.
	await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
	await box.press('ControlOrMeta+V');
	await page.getByTestId('paste-keep').click();
	await expect(page.getByTestId('paste-offer')).toHaveCount(0);
	await expect(box).toHaveValue(/night engineer/);
	await expect(page.getByTestId('attached-document')).toHaveCount(1);
});
