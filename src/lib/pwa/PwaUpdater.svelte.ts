// Service-worker registration through workbox-window. A new version waits until the user agrees
// to reload: taking over mid-answer would cut a generation short.
import { Workbox } from 'workbox-window';

export class PwaUpdater {
	#needRefresh = $state(false);
	#offlineReady = $state(false);
	#workbox: Workbox | null = null;

	/** True when a new version is installed and waiting for the user's go-ahead. */
	get needRefresh() {
		return this.#needRefresh;
	}

	/** True once, after the first install: the app now starts without a network. */
	get offlineReady() {
		return this.#offlineReady;
	}

	register(scriptUrl: string, scope: string) {
		if (!('serviceWorker' in navigator) || this.#workbox) return;
		const wb = new Workbox(scriptUrl, { scope });
		wb.addEventListener('waiting', () => (this.#needRefresh = true));
		wb.addEventListener('installed', (event) => {
			if (!event.isUpdate) this.#offlineReady = true;
		});
		this.#workbox = wb;
		void wb.register();
	}

	/** Lets the waiting service worker take over; the page reloads when it does. */
	applyUpdate() {
		const wb = this.#workbox;
		if (!wb) return;
		// Reload only once the new worker controls the page, so the reload is served by it.
		wb.addEventListener('controlling', () => location.reload());
		wb.messageSkipWaiting();
	}

	dismiss() {
		this.#needRefresh = false;
		this.#offlineReady = false;
	}
}
