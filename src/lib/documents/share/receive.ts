// The service worker's side of "Share to Lantern" (Web Share Target, the manifest's `share_target`
// in vite.config.ts). The system POSTs the shared files and text to the app's own share address as
// multipart/form-data; no server ever sees it: the service worker answers that request itself,
// keeps what arrived in the inbox on this device (inbox.ts) and sends the browser on to the app
// (303, so a reload does not post again), which opens it in a new conversation (open.ts).
import type { Inbox, SharedItem } from './inbox';

/** The share address, relative to the app's scope (the manifest's `share_target.action`). */
export const SHARE_PATH = 'share/';
/** The query parameter that names the share to the page. */
export const SHARE_PARAM = 'share';
/**
 * What the share parameter says when no service worker took the share (the site's data, and with
 * it the service worker, was cleared, but the app stays installed): the static server answers the
 * POST with a redirect to `?share=lost` instead (scripts/serve.js, which a unit test keeps equal).
 */
export const SHARE_LOST = 'lost';

/** Whether this request is a share posted to the app (and so the service worker's to answer). */
export function isShareRequest(request: Request, scope: string): boolean {
	return (
		request.method === 'POST' &&
		new URL(request.url).pathname === new URL(SHARE_PATH, scope).pathname
	);
}

const field = (form: FormData, name: string): string => {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
};

/**
 * Keeps the share and answers with the way to the app: `?share=<id>`. A form that cannot be read,
 * or an inbox that cannot store it, stores nothing: the page finds no share under the id and says
 * so. A file field left empty (no name, no bytes) is not a file.
 */
export async function receiveShare(
	request: Request,
	inbox: Pick<Inbox, 'put'>,
	scope: string,
	id: string = crypto.randomUUID(),
	now: number = Date.now()
): Promise<Response> {
	const to = new URL(scope);
	to.searchParams.set(SHARE_PARAM, id);
	try {
		const form = await request.formData();
		const files = form
			.getAll('files')
			.filter((f): f is File => typeof f !== 'string' && (f.name !== '' || f.size > 0));
		const item: SharedItem = {
			id,
			files,
			title: field(form, 'title'),
			text: field(form, 'text'),
			url: field(form, 'url'),
			receivedAt: now
		};
		await inbox.put(item);
	} catch {
		// Nothing stored: the page says the share did not arrive, and to share it again.
	}
	return Response.redirect(to.href, 303);
}
