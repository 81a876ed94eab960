// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** package.json's version, set by vite.config.ts. */
	const __APP_VERSION__: string;
	/** Origins (CSP host sources) models may be downloaded from: scripts/csp.js. */
	const __MODEL_HOSTS__: string[];

	namespace App {
		// interface Error {}
		// interface Locals {}
		interface PageData {
			/**
			 * The page frame the root layout gives this page: every page is centred at the reading
			 * width, and a page whose load returns `frame: 'wide'` (Compare's panes) gets more room.
			 */
			frame?: 'wide';
		}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
