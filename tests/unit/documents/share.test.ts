// "Share to Lantern" without a system to share from: the service worker's handler gets the
// multipart POST the platform sends (a real Request with FormData), and the page's side gets what
// the handler kept. The e2e test (documents-share.spec.ts) posts a real form to the real worker.
import { describe, expect, it } from 'vitest';
import type { Inbox, SharedItem } from '$lib/documents/share/inbox';
import { DRAFT_KEY as BOX_DRAFT } from '$lib/app/takeOver';
import {
	addToDraft,
	DRAFT_KEY,
	openingOf,
	sharedNotice,
	sharedWords,
	takeShared
} from '$lib/documents/share/open';
import { SHARE_LOST, isShareRequest, receiveShare } from '$lib/documents/share/receive';
import { LONG_TEXT_CHARS } from '$lib/text/longText';

const SCOPE = 'https://app.example/lantern/';

/** The inbox, in memory. */
function memoryInbox(fail = false) {
	const items = new Map<string, SharedItem>();
	const inbox: Inbox = {
		async put(item) {
			if (fail) throw new DOMException('full', 'QuotaExceededError');
			items.set(item.id, item);
		},
		async take(id) {
			const item = items.get(id) ?? null;
			items.delete(id);
			return item;
		}
	};
	return { inbox, items };
}

/** The POST the platform sends for a share (the manifest's `share_target`). */
function sharePost(fields: Array<[string, string | File]>, url = `${SCOPE}share/`): Request {
	const form = new FormData();
	for (const [name, value] of fields) form.append(name, value);
	return new Request(url, { method: 'POST', body: form });
}

const item = (over: Partial<SharedItem> = {}): SharedItem => ({
	id: 's1',
	files: [],
	title: '',
	text: '',
	url: '',
	receivedAt: Date.UTC(2026, 11, 3, 12, 14),
	...over
});

describe('the service worker receiving a share', () => {
	it('answers only a POST to the share address of its own scope', () => {
		expect(isShareRequest(sharePost([]), SCOPE)).toBe(true);
		expect(isShareRequest(new Request(`${SCOPE}share/`), SCOPE)).toBe(false);
		expect(isShareRequest(sharePost([], `${SCOPE}models/`), SCOPE)).toBe(false);
		expect(isShareRequest(sharePost([], 'https://app.example/share/'), SCOPE)).toBe(false);
	});

	it('keeps the files and words on the device and sends the browser on to the app (303)', async () => {
		const { inbox, items } = memoryInbox();
		const pdf = new File(['%PDF-1.7'], 'report.pdf', { type: 'application/pdf' });
		const notes = new File(['# Notes'], 'notes.md', { type: 'text/markdown' });
		const response = await receiveShare(
			sharePost([
				['title', ' Report '],
				['text', 'Read this'],
				['url', 'https://example.org/r'],
				['files', pdf],
				['files', notes]
			]),
			inbox,
			SCOPE,
			'id-1',
			42
		);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`${SCOPE}?share=id-1`);
		const kept = items.get('id-1');
		expect(kept?.files.map((f) => f.name)).toEqual(['report.pdf', 'notes.md']);
		expect(await kept?.files[1]?.text()).toBe('# Notes');
		expect(kept).toMatchObject({
			title: 'Report',
			text: 'Read this',
			url: 'https://example.org/r',
			receivedAt: 42
		});
	});

	it('does not count a file field left empty as a file', async () => {
		const { inbox, items } = memoryInbox();
		await receiveShare(
			sharePost([
				['files', new File([], '')],
				['text', 'just words']
			]),
			inbox,
			SCOPE,
			'id-2'
		);
		expect(items.get('id-2')?.files).toEqual([]);
		expect(items.get('id-2')?.text).toBe('just words');
	});

	it('still sends the browser to the app when the share cannot be read or kept', async () => {
		const unreadable = new Request(`${SCOPE}share/`, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
			body: 'not a form'
		});
		const { inbox, items } = memoryInbox();
		const response = await receiveShare(unreadable, inbox, SCOPE, 'id-3');
		expect(response.status).toBe(303);
		expect(items.size).toBe(0);

		const full = memoryInbox(true);
		const kept = await receiveShare(sharePost([['text', 'hi']]), full.inbox, SCOPE, 'id-4');
		expect(kept.headers.get('location')).toBe(`${SCOPE}?share=id-4`);
		// The page then finds nothing under that id and says so.
		const opening = await takeShared('id-4', full.inbox);
		expect(opening).toEqual({ kind: 'missing' });
		expect(sharedNotice(opening)).toMatch(/did not reach Lantern/);
	});
});

describe('the page opening a share', () => {
	it('attaches the files and puts short words in the message box', () => {
		const file = new File(['x'], 'a.txt', { type: 'text/plain' });
		const opening = openingOf(item({ files: [file], title: 'a.txt', text: 'What does it say?' }));
		// With files, the title is the file's name: not repeated in the draft.
		expect(opening).toEqual({ kind: 'open', files: [file], draft: 'What does it say?' });
		expect(sharedNotice(opening)).toBeNull();
	});

	it('writes title, text and a link not already in the text, each once', () => {
		expect(sharedWords({ files: [], title: 'T', text: 'see', url: 'https://x.org' })).toBe(
			'T\n\nsee\n\nhttps://x.org'
		);
		expect(
			sharedWords({ files: [], title: '', text: 'see https://x.org', url: 'https://x.org' })
		).toBe('see https://x.org');
	});

	it('keeps a long text as a document instead of a draft', async () => {
		const long = Array.from({ length: LONG_TEXT_CHARS / 4 }, () => 'word').join(' ');
		const opening = openingOf(item({ text: long }));
		if (opening.kind !== 'open') throw new Error(opening.kind);
		expect(opening.draft).toBe('');
		expect(opening.files).toHaveLength(1);
		expect(opening.files[0]?.name).toMatch(/^Shared text, Dec 3/);
		expect(opening.files[0]?.type).toBe('text/plain');
		expect(await opening.files[0]?.text()).toBe(long);
	});

	it('says so when nothing usable arrived', () => {
		const opening = openingOf(item({ files: [] }));
		expect(opening).toEqual({ kind: 'empty' });
		expect(sharedNotice(opening)).toMatch(/no file and no text/);
	});

	it('says the share was lost when the server, not the service worker, received it', async () => {
		const { inbox, items } = memoryInbox();
		const opening = await takeShared(SHARE_LOST, inbox);
		expect(opening).toEqual({ kind: 'lost' });
		expect(sharedNotice(opening)).toMatch(/offline data was cleared.*share it once more/);
		expect(items.size).toBe(0);
	});

	it('takes a share once: a reload finds it gone', async () => {
		const { inbox } = memoryInbox();
		await inbox.put(item({ id: 'once', text: 'hello' }));
		expect(await takeShared('once', inbox)).toEqual({ kind: 'open', files: [], draft: 'hello' });
		expect(await takeShared('once', inbox)).toEqual({ kind: 'missing' });
		expect(await takeShared('', inbox)).toEqual({ kind: 'missing' });
	});

	it("puts the words in the message box's draft, after what was typed", () => {
		expect(DRAFT_KEY).toBe(BOX_DRAFT);
		const stored = new Map<string, string>();
		const storage = {
			getItem: (k: string) => stored.get(k) ?? null,
			setItem: (k: string, v: string) => void stored.set(k, v)
		};
		addToDraft('first', storage);
		addToDraft('second', storage);
		expect(stored.get(DRAFT_KEY)).toBe('first\n\nsecond');
	});
});
