// History at scale: 1,000 conversations with 50,000 messages, restored through the app's own
// "Restore a backup" from a generated backup file. Then, on a fresh page load: the time until the
// sidebar lists every conversation, and the time a search takes to show its result, cold (the
// search index is read on first use) and warm. Also the long tasks seen meanwhile.
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
 * Records, in the page, when the sidebar first lists `count` conversations and every long task.
 * @param {number} count
 */
function watchInit(count) {
	const marks = { longTasks: /** @type {number[]} */ ([]), hydrated: 0, sidebar: 0 };
	Object.assign(window, { __bench: marks });
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) marks.longTasks.push(Math.round(entry.duration));
	}).observe({ type: 'longtask', buffered: true });
	new MutationObserver(() => {
		if (!marks.hydrated && document.documentElement.dataset.hydrated)
			marks.hydrated = performance.now();
		if (!marks.sidebar && document.querySelectorAll('[data-testid="conversation"]').length >= count)
			marks.sidebar = performance.now();
	}).observe(document, { subtree: true, childList: true, attributes: true });
}

/**
 * Types `query` into the search box and resolves with the milliseconds until `expected`
 * conversations are listed with a highlighted match.
 * @param {import('@playwright/test').Page} page
 * @param {string} query
 */
async function timeSearch(page, query) {
	return page.evaluate(
		(q) =>
			new Promise((resolve) => {
				const input = /** @type {HTMLInputElement | null} */ (
					document.querySelector('[data-testid="search"]')
				);
				if (!input) throw new Error('no search box');
				const started = performance.now();
				const done = () => {
					const marks = document.querySelectorAll('[data-testid="snippet"] mark');
					const items = document.querySelectorAll('[data-testid="conversation"]');
					if (marks.length === 1 && items.length === 1) {
						observer.disconnect();
						resolve(performance.now() - started);
					}
				};
				const observer = new MutationObserver(done);
				observer.observe(document.body, { subtree: true, childList: true, characterData: true });
				input.value = q;
				input.dispatchEvent(new Event('input', { bubbles: true }));
			}),
		query
	);
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
			.filter({ hasText: 'Restored 1000 conversations' })
			.waitFor({ timeout: 120_000 });
		console.log(
			`seeded ${CONVERSATIONS} conversations, ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages (${(file.length / 1e6).toFixed(1)} MB backup) through Restore in ${Date.now() - seeding} ms`
		);

		const fresh = await context.newPage();
		await fresh.addInitScript(watchInit, FIRST_PAGE);
		await fresh.goto(server.url);
		await fresh.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await fresh.waitForFunction(
			() => {
				const marks = /** @type {{ __bench?: { sidebar: number } }} */ (
					/** @type {unknown} */ (window)
				).__bench;
				return Boolean(marks?.sidebar);
			},
			undefined,
			{ timeout: 60_000 }
		);
		const listed = await fresh.getByTestId('conversation').count();
		const longTasksAtReady = Number(await fresh.evaluate('window.__bench.longTasks.length'));
		const coldStarted = Date.now();
		const cold = Number(await timeSearch(fresh, 'zanzibar'));
		// Until the whole index is read, the sidebar says it is still searching.
		await fresh.getByText('Searching all messages…').waitFor({ state: 'detached' });
		const indexed = Date.now() - coldStarted;
		const warm = Number(await timeSearch(fresh, 'quokka'));
		const marks = /** @type {{ hydrated: number, sidebar: number, longTasks: number[] }} */ (
			await fresh.evaluate('window.__bench')
		);
		console.log(
			`sidebar ready (newest ${listed} of ${CONVERSATIONS} conversations drawn, the rest as it scrolls) ${Math.round(marks.sidebar)} ms after navigation start, ${Math.round(marks.sidebar - marks.hydrated)} ms after hydration`
		);
		console.log(
			`first search, typed as soon as the sidebar is ready, while the search index is still read in the background: result shown after ${Math.round(cold)} ms, search complete after ${indexed} ms`
		);
		console.log(`search: ${Math.round(warm)} ms`);
		const loading = marks.longTasks.slice(0, longTasksAtReady);
		const later = marks.longTasks.slice(longTasksAtReady);
		console.log(
			`long tasks over 50 ms: ${loading.length} while the page loads (${loading.join(', ') || '-'} ms), ${later.length} while indexing and searching (${later.join(', ') || '-'} ms)`
		);
		console.log(`history_sidebar_ready_ms=${Math.round(marks.sidebar)}`);
		console.log(`history_sidebar_after_hydration_ms=${Math.round(marks.sidebar - marks.hydrated)}`);
		console.log(`history_first_search_ms=${Math.round(cold)}`);
		console.log(`history_first_search_complete_ms=${indexed}`);
		console.log(`history_search_ms=${Math.round(warm)}`);
	} catch (error) {
		console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
		ok = false;
	} finally {
		await browser.close();
		await server.close();
	}
	return ok;
}
