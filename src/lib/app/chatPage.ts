// The chat page's own code, loaded after the app (the prerendered shell stands in for it). The
// layout starts this load beside the app's on the chat page, so the page's code is there when the
// app renders it instead of being requested only then; the page awaits the same promise.
import type ChatPanel from '$lib/chat/components/ChatPanel.svelte';
import type AttachedDocuments from '$lib/documents/components/AttachedDocuments.svelte';

let loading: Promise<[typeof ChatPanel, typeof AttachedDocuments]> | null = null;

export function loadChatPage(): Promise<[typeof ChatPanel, typeof AttachedDocuments]> {
	loading ??= Promise.all([
		import('$lib/chat/components/ChatPanel.svelte'),
		import('$lib/documents/components/AttachedDocuments.svelte')
	]).then(([panel, attached]) => [panel.default, attached.default]);
	// A failed load (offline without the service worker) is tried again next time.
	loading.catch(() => (loading = null));
	return loading;
}
