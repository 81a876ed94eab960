import { expect, openApp, originalValue, parseCsv, test } from './fixtures';

type Page = Parameters<typeof openApp>[0];

const S = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const T = 'TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k';

/** Picks the models and budget on the Compare tab, then opens the Suites tab and saves a suite. */
async function suiteSetup(page: Page, budgetMB: number, prompts: string[]) {
	await openApp(page, '/compare/');
	await page.getByTestId('budget').fill(String(budgetMB));
	await page.getByTestId('budget').press('Tab');
	await page.getByTestId('model-slot-0').selectOption(S);
	await page.getByTestId('model-slot-1').selectOption(T);
	await page.getByTestId('tab-suites').click();
	await page.getByTestId('suite-name').fill('Smoke');
	await page.getByTestId('suite-prompts').fill(prompts.join('\n'));
	await page.getByTestId('save-suite').click();
	await expect(page.getByTestId('suite')).toHaveCount(1);
}

async function progress(page: Page): Promise<number> {
	const text = (await page.getByTestId('run-progress').textContent()) ?? '';
	return Number(/(\d+) of/.exec(text)?.[1] ?? -1);
}

/** The bytes of the file a click downloads. */
async function downloadedBytes(page: Page, testId: string): Promise<Buffer> {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId(testId).click()
	]);
	const chunks: Buffer[] = [];
	for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

async function downloaded(page: Page, testId: string): Promise<string> {
	return (await downloadedBytes(page, testId)).toString('utf8');
}

test('a suite run resumes after a reload with only the answers it lacks', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		load: { steps: 1, stepMs: 10 },
		chat: { tokenMs: 60, tokens: ['a ', 'b ', 'c ', 'd ', 'e '] }
	});
	await suiteSetup(page, 1000, ['one', 'two', 'three']);
	await page.getByTestId('run-suite').click();
	await expect.poll(() => progress(page), { timeout: 8000 }).toBeGreaterThanOrEqual(2);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
	await page.getByTestId('tab-suites').click();
	const stored = page.getByTestId('suite-run');
	// Unfinished: "running" if the tab died mid-run, "stopped" if leaving the page stopped it first.
	await expect(stored).toHaveAttribute('data-status', /^(running|stopped)$/);
	await expect(stored.getByTestId('resume-run')).toBeVisible();
	const text = (await stored.textContent()) ?? '';
	const done = Number(/(\d+) of 6/.exec(text)?.[1]);
	expect(done).toBeGreaterThanOrEqual(2);
	expect(done).toBeLessThan(6);

	const mark = testEngine.events.length;
	await page.getByTestId('resume-run').click();
	await expect(page.getByTestId('run-progress')).toHaveText('6 of 6 answers');
	await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'done');
	await expect(page.locator('[data-testid="result-cell"][data-done="true"]')).toHaveCount(6);
	const asked = testEngine.events.slice(mark).filter((e) => e.type === 'chat');
	expect(asked).toHaveLength(6 - done);
});

test('suite exports parse back to the same data, and the card records the device', async ({
	page,
	testEngine
}) => {
	testEngine.script({ chat: { tokenMs: 5, tokens: ['Hello, ', '"world"', '\nbye'] } });
	await suiteSetup(page, 2000, ['Say "hi", please', 'Second']);
	await page.getByTestId('run-suite').click();
	await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'done');

	const json = JSON.parse(await downloaded(page, 'export-json'));
	expect(json.format).toBe('lantern-suite-run');
	expect(json.run.prompts).toEqual(['Say "hi", please', 'Second']);
	expect(json.run.models).toEqual([S, T]);
	expect(json.run.results).toHaveLength(4);
	expect(json.device).toMatchObject({ webllmVersion: '0.2.86', memoryBudgetMB: 2000 });
	expect(json.device.adapter.architecture).toBe('swiftshader');

	const rows = parseCsv(await downloaded(page, 'export-csv'));
	expect(rows[0]?.slice(0, 4)).toEqual(['prompt_index', 'prompt', 'model', 'answer']);
	expect(rows).toHaveLength(5);
	for (const row of rows.slice(1)) {
		const result = json.run.results.find(
			(r: { promptIndex: number; modelId: string }) =>
				r.promptIndex === Number(row[0]) - 1 && r.modelId === row[2]
		);
		expect(row[1]).toBe(json.run.prompts[result.promptIndex]);
		expect(row[3]).toBe('Hello, "world"\nbye');
		expect(row[3]).toBe(result.content);
		expect(Number(row[6])).toBe(result.stats.completionTokens);
		expect(Number(row[9])).toBe(result.stats.decodeTokensPerSec);
	}

	const card = await downloaded(page, 'export-card');
	expect(card).toContain('# Benchmark card: Smoke');
	expect(card).toContain('| WebLLM | 0.2.86 |');
	expect(card).toContain('| Adapter architecture | swiftshader |');
	expect(card).toContain('| GPU memory budget | 2000 MB |');
	expect(card).toContain(`| ${S} | this browser (WebGPU) | 580 |`);
	expect(card).toContain('| temperature | 0.7 |');
	expect(card).toMatch(/\| Browser \| Mozilla\/5\.0 .*Chrome/);
});

test('votes export, and import into another browser profile gives the same leaderboard', async ({
	page,
	testEngine,
	browser
}) => {
	testEngine.script({ chat: { tokenMs: 5, tokens: ['ok'] } });
	await openApp(page, '/compare/');
	await page.getByTestId('model-slot-0').selectOption(S);
	await page.getByTestId('model-slot-1').selectOption(T);
	for (const vote of ['vote-a', 'vote-tie']) {
		await page.getByTestId('prompt').fill('Q');
		await page.getByTestId('run').click();
		await page.getByTestId(vote).click();
		await expect(page.getByTestId('voted')).toBeVisible();
		await page.getByTestId('new-comparison').click();
	}
	await page.getByTestId('tab-leaderboard').click();
	const rows = page.getByTestId('rating-row');
	await expect(rows).toHaveCount(2);
	const before = await rows.allTextContents();
	const file = await downloaded(page, 'export-votes');
	expect(JSON.parse(file).votes).toHaveLength(2);

	const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
	const fresh = await other.newPage();
	await openApp(fresh, '/compare/');
	await fresh.getByTestId('tab-leaderboard').click();
	await expect(fresh.getByTestId('rating-row')).toHaveCount(0);
	// A damaged file is refused as a whole.
	const broken = JSON.parse(file);
	broken.votes[1].outcome = { kind: 'winner', modelId: 'someone-else' };
	await fresh.getByTestId('import-votes').setInputFiles({
		name: 'votes.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(broken))
	});
	await expect(fresh.getByTestId('import-message')).toContainText('Nothing imported');
	await expect(fresh.getByTestId('rating-row')).toHaveCount(0);
	await fresh.getByTestId('import-votes').setInputFiles({
		name: 'votes.json',
		mimeType: 'application/json',
		buffer: Buffer.from(file)
	});
	await expect(fresh.getByTestId('import-message')).toHaveText('Imported 2 votes.');
	await expect(fresh.getByTestId('rating-row')).toHaveText(before);
	await other.close();
});

test('a CSV export opens safely: UTF-8 marked, and an answer that is a formula stays text', async ({
	page,
	testEngine
}) => {
	const evil = '=HYPERLINK("http://evil","x")';
	testEngine.script({ chat: { tokenMs: 5, tokens: ['=HYPERLINK(', '"http://evil",', '"x")'] } });
	await suiteSetup(page, 2000, ['@SUM(1+1) in 中文', '-5']);
	await page.getByTestId('run-suite').click();
	await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'done');

	const bytes = await downloadedBytes(page, 'export-csv');
	// The byte order mark, so that a spreadsheet reads UTF-8 (the Chinese prompt) as such.
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = bytes.toString('utf8');
	expect(text).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
	const rows = parseCsv(text).slice(1);
	expect(rows).toHaveLength(4);
	for (const row of rows) {
		// Neutralised with a leading quote: a spreadsheet shows it as text and runs nothing.
		expect(row[3]).toBe(`'${evil}`);
		expect(originalValue(row[3] ?? '')).toBe(evil);
	}
	expect(rows.map((row) => row[1])).toEqual([
		"'@SUM(1+1) in 中文",
		"'@SUM(1+1) in 中文",
		'-5',
		'-5'
	]);
});
