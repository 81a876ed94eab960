// Startup: how soon the app paints and how soon its message box takes a typed character, next to a
// page holding only a textarea, served by the same server in the same run. Each on a fresh profile
// (nothing cached, no service worker) and on a second visit (the same profile again: HTTP cache and
// the app's service worker). Medians of BENCH_RUNS runs (default 5).
//
// "Takes a typed character": from the start of the navigation, the bench keeps focusing the message
// box (the shell's, or the app's) and inserting a character, as a user typing at once would, until
// one arrives; the time is when the page saw it. The app's message box is the prerendered shell's
// until the app's code is there, which keeps what was typed (tests/e2e/shell.spec.ts), so this is
// also shown: the time until the app is there (the chat works: the layout's `lantern:app` mark),
// and how far the message box moved when the app's took the shell's place (at 1280x720).
// Aims (issue 14): first paint within 100 ms of the bare page's, message box within 150 ms.
import { chromium } from '@playwright/test';
import { rmSync, writeFileSync } from 'node:fs';
import { findChromium, QUIET_FLAGS } from '../browser.js';
import { serveBuild } from '../serve.js';
import { median } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BARE = '__bench-bare.html';
const BARE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bare</title></head><body><textarea aria-label="Message" rows="3"></textarea></body></html>`;
const AIMS = { fcp: 100, typing: 150 };

const ms = (/** @type {number | undefined} */ value) =>
	value === undefined ? 'n/a' : `${value.toFixed(0)} ms`;

/** Records, in the page, when the first character reached a textarea. */
function watchTyping() {
	document.addEventListener(
		'input',
		(event) => {
			const w = /** @type {{ __typedAt?: number }} */ (/** @type {unknown} */ (window));
			if (event.target instanceof HTMLTextAreaElement && w.__typedAt === undefined) {
				w.__typedAt = performance.now();
			}
		},
		true
	);
}

/**
 * One visit: navigates, types as soon as a message box takes focus, then reads the figures.
 * @param {import('@playwright/test').Page} page
 * @param {import('@playwright/test').CDPSession} cdp
 * @param {string} url
 * @param {string} box
 * @param {boolean} app
 */
async function visit(page, cdp, url, box, app) {
	await page.goto(url, { waitUntil: 'commit' });
	const deadline = Date.now() + 30_000;
	/** Where the box typed into stood (its top, in CSS pixels). */
	let top;
	for (;;) {
		if (Date.now() > deadline) throw new Error(`no message box took a character at ${url}`);
		const focused = await page
			.evaluate((selector) => {
				const element = document.querySelector(selector);
				if (!(element instanceof HTMLTextAreaElement)) return null;
				element.focus();
				return document.activeElement === element ? element.getBoundingClientRect().top : null;
			}, box)
			.catch(() => null);
		if (focused !== null) {
			top = focused;
			await cdp.send('Input.insertText', { text: 'x' });
			const typed = await page
				.evaluate(() => /** @type {{ __typedAt?: number }} */ (window).__typedAt !== undefined)
				.catch(() => false);
			if (typed) break;
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	/** How far the message box moved when the app took over from the shell. */
	let moved;
	if (app) {
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		const composer = page.getByTestId('composer');
		await composer.waitFor();
		const y = (await composer.boundingBox())?.y;
		moved = y === undefined || top === undefined ? undefined : Math.abs(y - top);
	}
	// First contentful paint is reported a little after it happens.
	const deadlineFcp = Date.now() + 10_000;
	for (;;) {
		const figures = await page.evaluate(() => ({
			fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
			typing: /** @type {{ __typedAt?: number }} */ (window).__typedAt,
			app: performance.getEntriesByName('lantern:app')[0]?.startTime
		}));
		if (figures.fcp !== undefined || Date.now() > deadlineFcp) return { ...figures, moved };
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/**
 * A fresh profile's first visit and its second visit, RUNS times.
 * @param {import('@playwright/test').Browser} browser
 * @param {string} url
 * @param {string} box
 * @param {boolean} app
 */
async function measure(browser, url, box, app) {
	/** @type {Record<'fresh' | 'second', Array<{ fcp?: number, typing?: number, app?: number, moved?: number }>>} */
	const runs = { fresh: [], second: [] };
	for (let i = 0; i < RUNS; i++) {
		const context = await browser.newContext();
		await context.addInitScript(watchTyping);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		runs.fresh.push(await visit(page, cdp, url, box, app));
		if (app) {
			// The second visit is served by the service worker: wait until it has taken over.
			await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
			await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
		}
		runs.second.push(await visit(page, cdp, url, box, app));
		await context.close();
	}
	/** @param {'fresh' | 'second'} when @param {'fcp' | 'typing' | 'app' | 'moved'} key */
	const of = (when, key) => {
		const values = runs[when].map((r) => r[key]).filter((v) => v !== undefined);
		return values.length ? median(/** @type {number[]} */ (values)) : undefined;
	};
	return {
		fresh: {
			fcp: of('fresh', 'fcp'),
			typing: of('fresh', 'typing'),
			app: of('fresh', 'app'),
			moved: of('fresh', 'moved')
		},
		second: {
			fcp: of('second', 'fcp'),
			typing: of('second', 'typing'),
			app: of('second', 'app'),
			moved: of('second', 'moved')
		}
	};
}

export async function benchStartup() {
	const server = await serveBuild({ port: 0 });
	writeFileSync(`build/${BARE}`, BARE_HTML);
	const browser = await chromium.launch({
		executablePath: findChromium(),
		// With WebGPU, as the users it is built for: without it the page adds a notice on how to turn
		// WebGPU on, which (rightly) moves the message box down when the app arrives.
		args: [
			'--no-sandbox',
			'--enable-unsafe-webgpu',
			'--use-webgpu-adapter=swiftshader',
			...QUIET_FLAGS
		]
	});
	try {
		const bare = await measure(browser, `${server.url}${BARE}`, 'textarea', false);
		const app = await measure(
			browser,
			server.url,
			'textarea[data-testid="composer"], textarea[data-testid="shell-composer"]',
			true
		);
		console.log(`medians of ${RUNS} runs (ms from the start of the navigation)`);
		for (const when of /** @type {const} */ (['fresh', 'second'])) {
			const label = when === 'fresh' ? 'fresh profile' : 'second visit';
			const a = app[when];
			const b = bare[when];
			const gap = (/** @type {'fcp' | 'typing'} */ key) =>
				a[key] !== undefined && b[key] !== undefined ? a[key] - b[key] : undefined;
			const verdict = (/** @type {'fcp' | 'typing'} */ key) => {
				const g = gap(key);
				return g === undefined ? '' : g <= AIMS[key] ? ' (within the aim)' : ' (OVER the aim)';
			};
			console.log(
				`${label}: first paint ${ms(a.fcp)}, bare page ${ms(b.fcp)}: +${ms(gap('fcp'))}, aim +${AIMS.fcp} ms${verdict('fcp')}`
			);
			console.log(
				`${label}: message box takes a character at ${ms(a.typing)}, bare page ${ms(b.typing)}: +${ms(gap('typing'))}, aim +${AIMS.typing} ms${verdict('typing')}`
			);
			console.log(`${label}: the app is there (the chat works) at ${ms(a.app)}`);
			console.log(
				`${label}: the message box moved ${a.moved?.toFixed(0) ?? 'n/a'} px when the app took over (aim 0)`
			);
			console.log(
				`startup_${when}_fcp_ms=${a.fcp?.toFixed(0)} bare_${when}_fcp_ms=${b.fcp?.toFixed(0)}`
			);
			console.log(
				`startup_${when}_typing_ms=${a.typing?.toFixed(0)} bare_${when}_typing_ms=${b.typing?.toFixed(0)}`
			);
			console.log(`startup_${when}_app_ms=${a.app?.toFixed(0)}`);
			console.log(`startup_${when}_box_moved_px=${a.moved?.toFixed(0)}`);
		}
	} finally {
		await browser.close();
		await server.close();
		rmSync(`build/${BARE}`, { force: true });
	}
	return true;
}
