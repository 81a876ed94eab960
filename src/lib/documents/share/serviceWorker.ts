// Added to the app's service worker (workbox's generateSW, vite.config.ts `importScripts`), built as
// one classic script by scripts/share-target-plugin.js. It answers only the share POST; everything
// else falls through to workbox's routes.
import { openInbox } from './inbox';
import { isShareRequest, receiveShare } from './receive';

/** The parts of a service worker's scope and fetch event used here (the DOM lib has no types). */
interface FetchEventLike extends Event {
	request: Request;
	respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
	registration: { scope: string };
	addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

const worker = self as unknown as WorkerScope;
const inbox = openInbox();

worker.addEventListener('fetch', (event) => {
	const scope = worker.registration.scope;
	if (isShareRequest(event.request, scope))
		event.respondWith(receiveShare(event.request, inbox, scope));
});
