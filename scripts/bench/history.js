// History at scale: 1,000 conversations with 50,000 messages, restored through the app's own
// "Restore a backup" from a generated backup file; the search index is then built in the
// background (its time, and the long tasks meanwhile). Then, on a fresh page load: the time until
// the sidebar lists its first page, and a search typed the moment the page is ready (hydrated,
// list shown): when its result shows and when it is complete, from that moment. Then a word in
// every conversation (results appear as they are found: first and complete), and the long tasks.
import { chromium } from '@playwright/test';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';

const CONVERSATIONS = 1000;
const MESSAGES_PER_CONVERSATION = 50;
/** The sidebar draws this many conversations first, more as it is scrolled (Sidebar.svelte). */
const FIRST_PAGE = 60;

const WORDS = (
	'answer question model token context window browser memory cache worker render stream layout ' +
	'python table list code block function value index search history export import backup theme'
).split(' ');

/** A backup file in Lantern's format; two rare words are hidden in single messages. */
export function generateBackup() {
	let seed = 11;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	/** @param {number} n */
	const words = (n) =>
		Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
	const start = Date.UTC(2026, 0, 1);
	const conversations = [];
	const messages = [];
	let time = start;
	for (let c = 0; c < CONVERSATIONS; c++) {
		const id = `c-${c}`;
		const createdAt = time;
		for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
			time += 1000;
			const user = m % 2 === 0;
			let content = user
				? `${words(20)}?`
				: `${words(40)}.\n\n- ${words(10)}\n- ${words(10)}\n\n${words(20)}.`;
			if (c === 500 && m === 31) content += ' zanzibar';
			if (c === 123 && m === 8) content += ' quokka';
			messages.push({
				id: `m-${c}-${m}`,
				conversationId: id,
				role: user ? 'user' : 'assistant',
				content,
				createdAt: time,
				status: 'complete',
				...(user ? {} : { modelId: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' })
			});
		}
		conversations.push({
			id,
			title: `Conversation ${c}: ${words(4)}`,
			createdAt,
			updatedAt: time,
			modelId: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
			systemPrompt: '',
			settings: {}
		});
	}
	return {
		format: 'lantern-backup',
		version: 1,
		exportedAt: new Date(time).toISOString(),
		conversations,
		messages,
		presets: [],
		settings: []
	};
}

/**
 * Records, in the page, when the sidebar first lists `count` conversations, when it shows and stops
 * showing that the search index is being built, and every long task.
 * @param {number} count
 */
function watchInit(count) {
	const marks = {
		longTasks: /** @type {number[]} */ ([]),
		/** When each long task started, in the same order. */
		longTaskStarts: /** @type {number[]} */ ([]),
		hydrated: 0,
		sidebar: 0,
		indexing: 0,
		indexed: 0
	};
	Object.assign(window, { __bench: marks });
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			marks.longTasks.push(Math.round(entry.duration));
			marks.longTaskStarts.push(entry.startTime);
		}
	}).observe({ type: 'longtask', buffered: true });
	new MutationObserver(() => {
		if (!marks.hydrated && document.documentElement.dataset.hydrated)
			marks.hydrated = performance.now();
		if (!marks.sidebar && document.querySelectorAll('[data-testid="conversation"]').length >= count)
			marks.sidebar = performance.now();
		const indexing = document.querySelector('[data-testid="search-indexing"]');
		if (!marks.indexing && indexing) marks.indexing = performance.now();
		if (marks.indexing && !marks.indexed && !indexing) marks.indexed = performance.now();
	}).observe(document, { subtree: true, childList: true, attributes: true });
}

/**
 * Types `query` into the search box and resolves with the milliseconds until the first result is
 * listed (`first`: a conversation with a highlighted match), and until the search is complete
 * (`complete`: the sidebar no longer says it is searching, with `expected` conversations listed).
 * @param {import('@playwright/test').Page} page
 * @param {string} query
 * @param {number} expected
 * @returns {Promise<{ first: number, complete: number }>}
 */
async function timeSearch(page, query, expected) {
	return page.evaluate(
		([q, n]) =>
			new Promise((resolve) => {
				const input = /** @type {HTMLInputElement | null} */ (
					document.querySelector('[data-testid="search"]')
				);
				if (!input) throw new Error('no search box');
				const started = performance.now();
				let first = 0;
				const check = () => {
					const marks = document.querySelectorAll('[data-testid="snippet"] mark');
					const items = document.querySelectorAll('[data-testid="conversation"]');
					const searching = document.querySelector('[data-testid="searching"]');
					if (!first && marks.length > 0) first = performance.now() - started;
					if (first && !searching && items.length === n) {
						observer.disconnect();
						resolve({ first, complete: performance.now() - started });
					}
				};
				const observer = new MutationObserver(check);
				observer.observe(document.body, { subtree: true, childList: true, characterData: true });
				input.value = q;
				input.dispatchEvent(new Event('input', { bubbles: true }));
			}),
		/** @type {[string, number]} */ ([query, expected])
	);
}

/**
 * Opens the app in a new page that records its marks, and waits until the sidebar is ready.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} url
 */
async function freshPage(context, url) {
	const page = await context.newPage();
	await page.addInitScript(watchInit, FIRST_PAGE);
	await page.goto(url);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.waitForFunction(
		() => {
			const marks = /** @type {{ __bench?: { sidebar: number } }} */ (
				/** @type {unknown} */ (window)
			).__bench;
			return Boolean(marks?.sidebar);
		},
		undefined,
		{ timeout: 60_000 }
	);
	return page;
}

export async function benchHistory() {
	const server = await serveBuild({ port: 0 });
	const browser = await chromium.launch({
		executablePath: findChromium(),
		args: ['--no-sandbox', ...QUIET_FLAGS]
	});
	let ok = true;
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		await page.addInitScript(watchInit, FIRST_PAGE);
		await page.goto(server.url);
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		const file = JSON.stringify(generateBackup());
		const seeding = Date.now();
		await page.getByTestId('restore').setInputFiles({
			name: 'backup.json',
			mimeType: 'application/json',
			buffer: Buffer.from(file)
		});
		await page
			.getByTestId('notice')
			.filter({ hasText: /Restored 1,?000 conversations/ })
			.waitFor({ timeout: 300_000 });
		console.log(
			`seeded ${CONVERSATIONS} conversations, ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages (${(file.length / 1e6).toFixed(1)} MB backup) through Restore in ${Date.now() - seeding} ms`
		);

		// The restore leaves the search index to be built in the background (it is derived data).
		await page.waitForFunction(
			() =>
				Boolean(
					/** @type {{ __bench?: { indexed: number } }} */ (/** @type {unknown} */ (window)).__bench
						?.indexed
				),
			undefined,
			{ timeout: 600_000 }
		);
		const built = Math.round(
			Number(await page.evaluate('window.__bench.indexed - window.__bench.indexing'))
		);
		// Only the tasks that began while the index was built.
		const buildTasks = /** @type {number[]} */ (
			await page.evaluate(() => {
				const marks =
					/** @type {{ __bench: { longTasks: number[], longTaskStarts: number[], indexing: number } }} */ (
						/** @type {unknown} */ (window)
					).__bench;
				return marks.longTasks.filter((_, i) => (marks.longTaskStarts[i] ?? 0) >= marks.indexing);
			})
		);
		await page.close();

		const fresh = await freshPage(context, server.url);
		const listed = await fresh.getByTestId('conversation').count();
		const longTasksAtReady = Number(await fresh.evaluate('window.__bench.longTasks.length'));
		// Typed the moment the page is ready: the index answers, no history is read first.
		const rare = await timeSearch(fresh, 'zanzibar', 1);
		const warm = await timeSearch(fresh, 'quokka', 1);
		// A word in every conversation: results as they are found, complete once all are read.
		const common = await timeSearch(fresh, 'window', FIRST_PAGE);
		const marks = /** @type {{ hydrated: number, sidebar: number, longTasks: number[] }} */ (
			await fresh.evaluate('window.__bench')
		);
		await fresh.close();

		console.log(
			`sidebar ready (newest ${listed} of ${CONVERSATIONS} conversations drawn, the rest as it scrolls) ${Math.round(marks.sidebar)} ms after navigation start, ${Math.round(marks.sidebar - marks.hydrated)} ms after hydration`
		);
		console.log(
			`search typed as soon as the page is ready: result shown after ${Math.round(rare.first)} ms, search complete after ${Math.round(rare.complete)} ms`
		);
		console.log(`another rare word: complete after ${Math.round(warm.complete)} ms`);
		console.log(
			`a word in all ${CONVERSATIONS} conversations: first results after ${Math.round(common.first)} ms, complete after ${Math.round(common.complete)} ms`
		);
		const loading = marks.longTasks.slice(0, longTasksAtReady);
		const later = marks.longTasks.slice(longTasksAtReady);
		console.log(
			`long tasks over 50 ms: ${loading.length} while the page loads (${loading.join(', ') || '-'} ms), ${later.length} while searching (${later.join(', ') || '-'} ms)`
		);
		console.log(
			`search index built in the background after the restore: ${built} ms for ${CONVERSATIONS} conversations; longest task meanwhile ${Math.max(0, ...buildTasks)} ms`
		);
		console.log(`history_sidebar_ready_ms=${Math.round(marks.sidebar)}`);
		console.log(`history_sidebar_after_hydration_ms=${Math.round(marks.sidebar - marks.hydrated)}`);
		console.log(`history_first_search_ms=${Math.round(rare.first)}`);
		console.log(`history_first_search_complete_ms=${Math.round(rare.complete)}`);
		console.log(`history_search_ms=${Math.round(warm.complete)}`);
		console.log(`history_common_word_first_ms=${Math.round(common.first)}`);
		console.log(`history_common_word_complete_ms=${Math.round(common.complete)}`);
		console.log(`history_index_build_ms=${built}`);
		const within = rare.complete <= 300 && marks.sidebar <= 300;
		if (!within)
			console.log(
				'NOTE: above the 300 ms targets (first page of the sidebar, search typed at once)'
			);
	} catch (error) {
		console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
		ok = false;
	} finally {
		await browser.close();
		await server.close();
	}
	return ok;
}
