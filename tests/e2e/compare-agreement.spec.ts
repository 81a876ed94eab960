// Compare's agreement figure: with an embedding model stored (a custom one from the local model
// server, downloaded), once both panes have answered, the cosine similarity of their answers'
// embeddings is shown, labelled, and low when the answers say different things. With room unknown
// beside the compared models, it says why it is not shown instead of unloading them.
import { addCustomModel, expect, modelEntry, openApp, test, type Page } from './fixtures';

const S = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const T = 'TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k';
const EMBEDDER = 'Arctic-Embed-Mini-q0f32-MLC';

/** Gives the stored custom model a VRAM figure, as a catalog entry has, and reloads the page. */
async function giveVramFigure(page: Page, modelId: string, mb: number) {
	await page.evaluate(
		async ({ modelId, mb }) => {
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const open = indexedDB.open('lantern');
				open.onsuccess = () => ok(open.result);
				open.onerror = () => fail(open.error);
			});
			const store = db.transaction('customModels', 'readwrite').objectStore('customModels');
			await new Promise<void>((ok, fail) => {
				const get = store.get(modelId);
				get.onsuccess = () => {
					const entry = get.result as { record: Record<string, unknown> };
					entry.record.vram_required_MB = mb;
					const put = store.put(entry);
					put.onsuccess = () => ok();
					put.onerror = () => fail(put.error);
				};
				get.onerror = () => fail(get.error);
			});
			db.close();
		},
		{ modelId, mb }
	);
	await page.reload();
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

async function run(page: Page, budgetMB: number) {
	await page.getByRole('link', { name: 'Compare', exact: true }).click();
	await expect(page.getByTestId('compare-setup')).toBeVisible();
	await page.getByTestId('budget').fill(String(budgetMB));
	await page.getByTestId('budget').press('Tab');
	await page.getByTestId('model-slot-0').selectOption(S);
	await page.getByTestId('model-slot-1').selectOption(T);
	await page.getByTestId('prompt').fill('What is the capital of France?');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('pane-stats')).toHaveCount(2);
}

test('with an embedding model stored, Compare shows how much the finished answers agree', async ({
	page,
	testEngine,
	modelServer
}) => {
	test.setTimeout(90_000);
	const model = modelServer.addModel(EMBEDDER, { modelType: 'bert', contextWindow: 512 });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download', exact: true }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 30_000 });
	await giveVramFigure(page, model.modelId, 200);

	testEngine.script({
		chat: {
			models: {
				[S]: { tokens: ['The capital', ' of France', ' is Paris.'] },
				[T]: { tokens: ['Bananas are', ' yellow and', ' rich in potassium.'] }
			}
		}
	});
	await run(page, 8000);
	const figure = page.getByTestId('agreement');
	await expect(figure).toHaveAttribute('data-status', 'done');
	await expect(figure).toContainText('Agreement between the answers:');
	await expect(figure).toContainText(`cosine similarity of their embeddings by ${EMBEDDER}`);
	const score = Number(await page.getByTestId('agreement-figure').getAttribute('data-score'));
	expect(score).toBeLessThan(0.5);
	await expect(page.getByTestId('agreement-figure')).toHaveText(`${Math.round(score * 100)}%`);
	expect(testEngine.events.filter((e) => e.type === 'embed')).toHaveLength(1);
	// The compared models stayed loaded: nothing was unloaded for the figure.
	expect(testEngine.events.filter((e) => e.type === 'unload')).toHaveLength(0);
});

test('when the embedding model does not fit beside the compared models, the figure says why and nothing is unloaded', async ({
	page,
	testEngine,
	modelServer
}) => {
	test.setTimeout(90_000);
	const model = modelServer.addModel(EMBEDDER, { modelType: 'bert', contextWindow: 512 });
	await openApp(page, '/models/');
	await addCustomModel(page, model);
	const entry = modelEntry(page, model.modelId);
	await entry.getByRole('button', { name: 'Download', exact: true }).click();
	await expect(entry.getByTestId('ready-offline')).toBeVisible({ timeout: 30_000 });
	testEngine.script({ chat: { tokens: ['Paris.'] } });
	// Its VRAM is unknown: Lantern cannot tell that it fits beside the two compared models.
	await run(page, 8000);
	await expect(page.getByTestId('agreement-unavailable')).toHaveAttribute('data-reason', 'no-room');
	await expect(page.getByTestId('agreement-unavailable')).toContainText(
		'Agreement is not shown: the embedding model does not fit in GPU memory beside the models compared'
	);
	expect(testEngine.events.filter((e) => e.type === 'embed')).toHaveLength(0);
	expect(testEngine.events.filter((e) => e.type === 'unload')).toHaveLength(0);
});
