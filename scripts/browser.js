// Finds a Chromium-family browser for the scripts that drive the app (bench, smoke:real).
import { existsSync } from 'node:fs';

const CANDIDATES = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/usr/bin/google-chrome-stable',
	'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
	'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
];

/** CHROMIUM_PATH wins; otherwise the first installed Chrome or Chromium. */
export function findChromium() {
	const path = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
	if (!path) {
		throw new Error(
			'No Chrome or Chromium found. Install one, or set CHROMIUM_PATH to its executable.'
		);
	}
	return path;
}

export const QUIET_FLAGS = [
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
