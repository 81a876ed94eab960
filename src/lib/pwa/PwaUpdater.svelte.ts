// Service-worker registration through workbox-window. A new version waits until the user agrees
// to reload: taking over mid-answer would cut a generation short.
import { Workbox } from 'workbox-window';

export class PwaUpdater {
	#needRefresh = $state(false);
	#offlineReady = $state(false);
	#updatedElsewhere = $state(false);
	#reloadPending = $state(false);
	#applying = false;
	#workbox: Workbox | null = null;

	/**
	 * True when another tab let a new version take over: this page still runs the old one, whose
	 * files the new service worker no longer keeps, so a part it has not opened yet may not load.
	 */
	get updatedElsewhere() {
		return this.#updatedElsewhere;
	}

	/** True when a new version is installed and waiting for the user's go-ahead. */
	get needRefresh() {
		return this.#needRefresh;
	}

	/**
	 * True when the user chose Reload while another tab writes an answer: the reload happens once
	 * no answer is being written elsewhere (UpdatePrompt applies it), unless cancelled first.
	 */
	get reloadPending() {
		return this.#reloadPending;
	}

	/** True once, after the first install: the app now starts without a network. */
	get offlineReady() {
		return this.#offlineReady;
	}

	register(scriptUrl: string, scope: string) {
		if (!('serviceWorker' in navigator) || this.#workbox) return;
		// The first install takes control at once (clientsClaim): only the replacement of a
		// controller, not asked for here, is another tab's update.
		let controller = navigator.serviceWorker.controller;
		navigator.serviceWorker.addEventListener('controllerchange', () => {
			const replaced = controller !== null;
			controller = navigator.serviceWorker.controller;
			if (!replaced || this.#applying) return;
			this.#updatedElsewhere = true;
			this.#needRefresh = false;
		});
		const wb = new Workbox(scriptUrl, { scope });
		wb.addEventListener('waiting', () => (this.#needRefresh = true));
		wb.addEventListener('installed', (event) => {
			if (!event.isUpdate) this.#offlineReady = true;
		});
		this.#workbox = wb;
		// Registration can fail (a browser that refuses service workers in private windows, a
		// blocked worker): the app still runs, only it cannot start offline. Not an error to throw.
		wb.register().catch(() => undefined);
	}

	/** Reload as soon as nothing else is being written (`busy` says whether something is now). */
	requestReload(busy: boolean) {
		if (busy) this.#reloadPending = true;
		else this.applyUpdate();
	}

	cancelReload() {
		this.#reloadPending = false;
	}

	/** Lets the waiting service worker take over; the page reloads when it does. */
	applyUpdate() {
		this.#reloadPending = false;
		if (this.#updatedElsewhere) {
			location.reload();
			return;
		}
		const wb = this.#workbox;
		if (!wb) return;
		this.#applying = true;
		// Reload only once the new worker controls the page, so the reload is served by it.
		wb.addEventListener('controlling', () => location.reload());
		wb.messageSkipWaiting();
	}

	dismiss() {
		this.#reloadPending = false;
		this.#needRefresh = false;
		this.#offlineReady = false;
		this.#updatedElsewhere = false;
	}
}
