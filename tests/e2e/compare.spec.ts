import { expect, openApp, test, type Scenario } from './fixtures';

// Estimates are WebLLM's vram_required_MB x 1.2: S 696 MB, T 955 MB, Q 1272 MB.
const S = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const T = 'TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k';
const Q = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
type Page = Parameters<typeof openApp>[0];

const short: Record<string, string> = { [S]: 'S', [T]: 'T', [Q]: 'Q' };

interface Setup {
	models: string[];
	budgetMB: number;
	blind?: boolean;
	prompt?: string;
}

/** Opens /compare/, picks the models, sets the memory budget and blind mode, and runs a prompt. */
async function compare(page: Page, { models, budgetMB, blind = false, prompt = 'Hi' }: Setup) {
	await openApp(page, '/compare/');
	await expect(page.getByTestId('compare-setup')).toBeVisible();
	await page.getByTestId('budget').fill(String(budgetMB));
	await page.getByTestId('budget').press('Tab');
	for (const [i, id] of models.entries()) {
		if (i >= 2) await page.getByTestId('add-model').click();
		await page.getByTestId(`model-slot-${i}`).selectOption(id);
	}
	await page.getByTestId('blind-toggle').setChecked(blind);
	await page.getByTestId('prompt').fill(prompt);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('comparison')).toBeVisible();
}

type Events = ReadonlyArray<Record<string, unknown> & { type: string }>;

/**
 * What the engine did, in time order: "load S+T", "ask S" (the request arrived), "gen S" (its
 * stream started), "end S", "unload".
 */
function timeline(events: Events): string[] {
	const names = (ids: unknown) => (ids as string[]).map((id) => short[id] ?? id).join('+');
	return events
		.filter((e) => typeof e.at === 'number')
		.sort((a, b) => (a.at as number) - (b.at as number))
		.flatMap((e) => {
			if (e.type === 'reload-start') return [`load ${names(e.modelIds)}`];
			if (e.type === 'generate-request') return [`ask ${short[e.modelId as string]}`];
			if (e.type === 'generate-start') return [`gen ${short[e.modelId as string]}`];
			if (e.type === 'generate-end') return [`end ${short[e.modelId as string]}`];
			if (e.type === 'unloaded') return ['unload'];
			return [];
		});
}

async function allDone(page: Page, count: number) {
	await expect(page.getByTestId('pane-stats')).toHaveCount(count);
	await expect(page.getByTestId('run')).toBeVisible();
}

const tokens = (word: string, n = 8) => Array.from({ length: n }, (_, i) => `${word}${i} `);

/**
 * Each model answers `n` tokens. Streams that must overlap are long enough (n x tokenMs) that the
 * test engine's own per-request set-up cannot separate them on a busy machine.
 */
function perModel(tokenMs: number, n = 8): Scenario {
	return {
		load: { steps: 2, stepMs: 15 },
		chat: {
			tokenMs,
			models: {
				[S]: { tokens: tokens('s', n) },
				[T]: { tokens: tokens('t', n) },
				[Q]: { tokens: tokens('q', n) }
			}
		}
	};
}

test('two models that fit together load together and answer at the same time', async ({
	page,
	testEngine
}) => {
	testEngine.script(perModel(40, 20));
	await compare(page, { models: [S, T], budgetMB: 2000 });
	await allDone(page, 2);
	const order = timeline(testEngine.events);
	expect(order[0]).toBe('load S+T');
	// Both were asked and started before either ended, and nothing was unloaded.
	expect(order.slice(1, 5).sort()).toEqual(['ask S', 'ask T', 'gen S', 'gen T']);
	expect(order.slice(5).sort()).toEqual(['end S', 'end T']);
	expect(order).not.toContain('unload');
	const panes = page.getByTestId('pane');
	await expect(panes.nth(0).getByTestId('pane-answer')).toContainText('s0 s1 s2');
	await expect(panes.nth(1).getByTestId('pane-answer')).toContainText('t0 t1 t2');
	await expect(panes.nth(0).getByTestId('pane-stats')).toContainText(/load \d+\.\d sec · TTFT/);
	await expect(page.getByTestId('plan-note')).toContainText('at the same time');
	// The shared settings are shown on every pane.
	await expect(page.getByTestId('pane-settings')).toHaveCount(2);
	await expect(page.getByTestId('pane-settings').nth(1)).toContainText('temp 0.7 · top_p 0.95');
});

test('two models that do not fit take turns: one loads in place of the other, and the waiting pane says for whom', async ({
	page,
	testEngine
}) => {
	testEngine.script(perModel(60));
	await compare(page, { models: [S, T], budgetMB: 1000 });
	const second = page.getByTestId('pane').nth(1);
	await expect(second.getByTestId('pane-waiting')).toContainText(`Waiting for ${S} to finish`);
	await allDone(page, 2);
	// The second load replaces the first (the engine frees it first): no unload of its own, so a
	// load that asks before taking another tab's model has taken nothing when the answer is no.
	expect(timeline(testEngine.events)).toEqual([
		'load S',
		'ask S',
		'gen S',
		'end S',
		'load T',
		'ask T',
		'gen T',
		'end T'
	]);
	await expect(page.getByTestId('plan-note')).toContainText('take turns in 2 groups');
	// A follow-up starts with the model still loaded: no switch is wasted.
	const before = testEngine.events.length;
	await page.getByTestId('prompt').fill('More');
	await page.getByTestId('prompt').press('Enter');
	await expect(page.getByTestId('pane-stats')).toHaveCount(4);
	await expect(page.getByTestId('run')).toBeVisible();
	expect(timeline(testEngine.events.slice(before))).toEqual([
		'ask T',
		'gen T',
		'end T',
		'load S',
		'ask S',
		'gen S',
		'end S'
	]);
});

test('three models: the two that fit share a turn, the third waits for both', async ({
	page,
	testEngine
}) => {
	testEngine.script(perModel(30, 20));
	await compare(page, { models: [S, T, Q], budgetMB: 2000 });
	await expect(page.getByTestId('pane').nth(2).getByTestId('pane-waiting')).toContainText(
		`Waiting for ${S} and ${T} to finish`
	);
	await allDone(page, 3);
	const order = timeline(testEngine.events);
	expect(order[0]).toBe('load S+T');
	expect(order.slice(1, 5).sort()).toEqual(['ask S', 'ask T', 'gen S', 'gen T']);
	expect(order.slice(5, 7).sort()).toEqual(['end S', 'end T']);
	expect(order.slice(7)).toEqual(['load Q', 'ask Q', 'gen Q', 'end Q']);
});

test('three models that all fit run at the same time', async ({ page, testEngine }) => {
	testEngine.script(perModel(30, 20));
	await compare(page, { models: [S, T, Q], budgetMB: 4000 });
	await allDone(page, 3);
	const order = timeline(testEngine.events);
	expect(order[0]).toBe('load S+T+Q');
	expect(order.slice(1, 7).sort()).toEqual(['ask Q', 'ask S', 'ask T', 'gen Q', 'gen S', 'gen T']);
	expect(order).not.toContain('unload');
});

test('stopping one pane leaves the other running to the end', async ({ page, testEngine }) => {
	// T's answer stops after 4 words until the test lets it go on, so it is surely still being
	// written when S's is stopped. S's keeps coming (16 s of it): with two answers running, a
	// stopped one ends at its next token (engine/host.ts), so it must not be held.
	testEngine.script({
		chat: {
			tokenMs: 80,
			models: {
				[S]: { tokens: tokens('s', 200) },
				[T]: { tokens: tokens('t', 60), tokenMs: 20, holdAfterTokens: 4 }
			}
		}
	});
	await compare(page, { models: [S, T], budgetMB: 2000 });
	const [first, second] = [page.getByTestId('pane').nth(0), page.getByTestId('pane').nth(1)];
	await expect(first.getByTestId('pane-answer')).toContainText('s3');
	await first.getByTestId('pane-stop').click();
	await expect(first.getByTestId('pane-stats')).toHaveAttribute('data-finish-reason', 'aborted');
	await expect(second).toHaveAttribute('data-status', 'generating');
	testEngine.release();
	await expect(second.getByTestId('pane-stats')).toHaveAttribute('data-finish-reason', 'stop');
	await expect(second.getByTestId('pane-answer')).toContainText('t59');
	await expect(first.getByTestId('pane-answer')).not.toContainText('s59');
	const ends = testEngine.events.filter((e) => e.type === 'generate-end');
	expect(ends.find((e) => e.modelId === T)).toMatchObject({ tokens: 60, reason: 'stop' });
	expect(ends.find((e) => e.modelId === S)?.tokens).toBeLessThan(200);
	// Stop all ends every pane at once.
	testEngine.script({ chat: { tokenMs: 80, tokens: tokens('t', 200) } });
	await page.getByTestId('prompt').fill('Again');
	await page.getByTestId('prompt').press('Enter');
	await expect(second.getByTestId('pane-answer').last()).toContainText('t2');
	await page.getByTestId('stop-all').click();
	await expect(
		page.locator('[data-testid="pane-stats"][data-finish-reason="aborted"]')
	).toHaveCount(3);
});

test('blind panes stay anonymous until the vote, then the names and the leaderboard show', async ({
	page,
	testEngine
}) => {
	testEngine.script(perModel(20));
	await compare(page, { models: [S, T], budgetMB: 2000, blind: true, prompt: 'Write a haiku' });
	const html = () => page.locator('body').innerHTML();
	// While loading, streaming and after the answers: no model name anywhere in the page.
	for (const id of [S, T]) expect(await html()).not.toContain(id);
	await expect(page.getByTestId('pane-name')).toHaveText(['Model A', 'Model B']);
	await allDone(page, 2);
	for (const id of [S, T]) expect(await html()).not.toContain(id);
	await expect(page.getByTestId('comparison')).toHaveAttribute('data-blind', 'true');

	// The letter voted for maps to the model behind it, whatever the shuffle was.
	const winnerText = await page.getByTestId('pane').nth(0).getByTestId('pane-answer').textContent();
	expect(winnerText).toMatch(/^\s*[st]0/);
	const winner = winnerText?.trim().startsWith('s0') ? S : T;
	await page.getByTestId('vote-tags').fill('Poems');
	await page.getByTestId('vote-a').click();
	await expect(page.getByTestId('voted')).toBeVisible();
	await expect(page.getByTestId('pane').nth(0).getByTestId('pane-name')).toHaveText(winner);

	await page.getByTestId('tab-leaderboard').click();
	const rows = page.getByTestId('rating-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toHaveAttribute('data-model', winner);
	await expect(rows.first().getByTestId('vote-count')).toHaveText('1');
	await page.getByTestId('tag-filter').selectOption('poems');
	await expect(rows).toHaveCount(2);

	// Saved, and it reopens revealed, with both answers.
	await page.getByTestId('tab-saved').click();
	await expect(page.getByTestId('saved-comparison')).toContainText('Write a haiku');
	await page.getByTestId('open-comparison').click();
	await expect(page.getByTestId('pane-name').first()).toHaveText(winner);
	await expect(page.getByTestId('pane-answer')).toHaveCount(2);
});

test('a follow-up continues each pane’s own conversation, and a pane continues as a chat', async ({
	page,
	testEngine
}) => {
	testEngine.script({
		chat: { tokenMs: 5, models: { [S]: { tokens: ['I am S.'] }, [T]: { tokens: ['I am T.'] } } }
	});
	await compare(page, { models: [S, T], budgetMB: 2000 });
	await allDone(page, 2);
	await page.getByTestId('prompt').fill('And then?');
	await page.getByTestId('prompt').press('Enter');
	await allDone(page, 4);
	const requests = testEngine.events
		.filter((e) => e.type === 'chat')
		.map((e) => e.request as { model: string; messages: Array<{ role: string; content: string }> });
	const last = (model: string) => requests.filter((r) => r.model === model).at(-1)?.messages;
	expect(last(S)).toEqual([
		{ role: 'user', content: 'Hi' },
		{ role: 'assistant', content: 'I am S.' },
		{ role: 'user', content: 'And then?' }
	]);
	expect(last(T)?.[1]).toEqual({ role: 'assistant', content: 'I am T.' });

	await page.getByTestId('pane').nth(1).getByTestId('pane-continue').click();
	await expect(page).toHaveURL(/\/\?c=[\w-]+/);
	await expect(page.locator('main')).toContainText('I am T.');
});

test('on a GPU without shader-f16, Compare suggests two models that run here, the first as Chat does', async ({
	page
}) => {
	// This adapter (SwiftShader) lacks shader-f16: no f16 model can run on it.
	await openApp(page, '/device/');
	await expect(page.getByTestId('f16')).toContainText('use q4f32 models');
	await page.getByRole('link', { name: 'Chat', exact: true }).click();
	const chatPick = page.getByTestId('model-select');
	await expect(chatPick).toHaveValue(/q\d?f32/);
	const chatDefault = await chatPick.inputValue();

	await page.getByRole('link', { name: 'Compare', exact: true }).click();
	const first = page.getByTestId('model-slot-0');
	const second = page.getByTestId('model-slot-1');
	await expect(first).toHaveValue(chatDefault);
	await expect(second).toHaveValue(/q\d?f32/);
	expect(await second.inputValue()).not.toBe(chatDefault);
});

test('every page sits in the same centred frame; Compare’s is wider and holds four panes', async ({
	page,
	testEngine
}) => {
	await page.setViewportSize({ width: 1600, height: 900 });
	const frame = async () => {
		const main = page.locator('main');
		const box = await main.boundingBox();
		const viewport = page.viewportSize();
		if (!box || !viewport) throw new Error('no frame');
		return {
			kind: await main.getAttribute('data-frame'),
			width: Math.round(box.width),
			// Centred: as much room on either side.
			offCentre: Math.abs(box.x - (viewport.width - box.x - box.width))
		};
	};
	const reading: Array<Awaited<ReturnType<typeof frame>>> = [];
	for (const path of ['/', '/models/', '/device/']) {
		await openApp(page, path);
		reading.push(await frame());
	}
	expect(reading.map((f) => f.kind)).toEqual(['reading', 'reading', 'reading']);
	expect(new Set(reading.map((f) => f.width)).size).toBe(1);
	for (const f of reading) expect(f.offCentre).toBeLessThanOrEqual(2);

	testEngine.script(perModel(5, 4));
	const fourth = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
	await compare(page, { models: [S, T, Q, fourth], budgetMB: 8000 });
	const wide = await frame();
	expect(wide.kind).toBe('wide');
	expect(wide.offCentre).toBeLessThanOrEqual(2);
	expect(wide.width).toBeGreaterThan(reading[0]?.width ?? Infinity);
	await allDone(page, 4);
	// Four panes side by side, each wide enough to read, and nothing scrolls sideways.
	const panes = await page
		.getByTestId('pane')
		.evaluateAll((list) =>
			list.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, width: r.width }))
		);
	expect(panes).toHaveLength(4);
	expect(new Set(panes.map((p) => Math.round(p.top))).size).toBe(1);
	for (const pane of panes) expect(pane.width).toBeGreaterThan(280);
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
		true
	);
});
