// The page's side of "Share to Lantern": what a share, taken from the inbox the service worker put
// it in (receive.ts), becomes in the app. Its files are attached to a new conversation, as files
// opened with Lantern are; its text becomes the message draft, or, when long, a text document.
import { formatDayTime } from '$lib/i18n/format';
import { LONG_TEXT_CHARS, textDocument } from '$lib/text/longText';
import { documentsText } from '../strings';
import { openInbox, type Inbox, type SharedItem } from './inbox';

/**
 * receive.ts's SHARE_LOST, copied: importing it here (a lazily loaded module) beside the page's own
 * import of receive.ts split receive.ts into a chunk of its own, one more request on the first page.
 * The unit test of the lost share opens it with receive.ts's constant, which holds the two equal.
 */
const SHARE_LOST = 'lost';

export type SharedOpening =
	/** Nothing was kept under this id: the form could not be read or stored. */
	| { kind: 'missing' }
	/** No service worker took the share (the site's data was cleared): the server sent us here. */
	| { kind: 'lost' }
	/** The share held no file and no text. */
	| { kind: 'empty' }
	| { kind: 'open'; files: File[]; draft: string };

/**
 * The words that came with a share. With files, a title is usually the file's own name: it is left
 * out then. A link that the text already holds (as some systems send it) is not repeated.
 */
export function sharedWords(item: Pick<SharedItem, 'files' | 'title' | 'text' | 'url'>): string {
	const parts = [item.files.length ? '' : item.title, item.text];
	if (item.url && !item.text.includes(item.url)) parts.push(item.url);
	return parts.filter((p) => p !== '').join('\n\n');
}

/** What the page does with a share (null: it was not found). */
export function openingOf(item: SharedItem | null): SharedOpening {
	if (!item) return { kind: 'missing' };
	const words = sharedWords(item);
	if (item.files.length === 0 && words === '') return { kind: 'empty' };
	if (words.length < LONG_TEXT_CHARS) return { kind: 'open', files: item.files, draft: words };
	const name = documentsText.share.textName(formatDayTime(item.receivedAt));
	return { kind: 'open', files: [...item.files, textDocument(words, name)], draft: '' };
}

/** Takes the share from the inbox (once: a reload finds it gone) and says what to do with it. */
export async function takeShared(id: string, inbox: Inbox = openInbox()): Promise<SharedOpening> {
	if (id === SHARE_LOST) return { kind: 'lost' };
	const item = id ? await inbox.take(id).catch(() => null) : null;
	return openingOf(item);
}

/**
 * The key under which the message box keeps this tab's draft (app/takeOver.ts's DRAFT_KEY, which
 * a unit test keeps equal): not imported, because that module belongs to the first page and
 * sharing it with this lazily loaded one would split it into a chunk of its own.
 */
export const DRAFT_KEY = 'lantern:draft';

/** Puts the shared words in the message box's draft, after what is already there. */
export function addToDraft(words: string, storage: Pick<Storage, 'getItem' | 'setItem'>): void {
	const before = storage.getItem(DRAFT_KEY);
	storage.setItem(DRAFT_KEY, before ? `${before}\n\n${words}` : words);
}

/** The notice for a share that brought nothing to open; null for one that did. */
export function sharedNotice(opening: SharedOpening): string | null {
	if (opening.kind === 'missing') return documentsText.share.missing;
	if (opening.kind === 'lost') return documentsText.share.lost;
	if (opening.kind === 'empty') return documentsText.share.empty;
	return null;
}
