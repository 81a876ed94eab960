import { afterEach, describe, expect, it } from 'vitest';
import { createChangeChannel, type ChangeChannel, type ChangeEvent } from '$lib/storage/broadcast';

const open: ChangeChannel[] = [];
function channel(name: string) {
	const c = createChangeChannel(name);
	open.push(c);
	return c;
}
afterEach(() => open.splice(0).forEach((c) => c.close()));

function nextEvent(c: ChangeChannel): Promise<ChangeEvent> {
	return new Promise((resolve) => {
		const stop = c.subscribe((event) => {
			stop();
			resolve(event);
		});
	});
}

describe('change channel', () => {
	it('tells other tabs what changed', async () => {
		const writer = channel('test-1');
		const reader = channel('test-1');
		const received = nextEvent(reader);
		writer.notify('messages', 'c1');
		expect(await received).toEqual({ kind: 'messages', id: 'c1' });
	});

	it('ignores messages that are not change events', async () => {
		const reader = channel('test-2');
		const raw = new BroadcastChannel('test-2');
		const received = nextEvent(reader);
		raw.postMessage({ kind: 'format-disk', id: 1 });
		raw.postMessage('hello');
		raw.postMessage({ kind: 'all', id: null });
		expect(await received).toEqual({ kind: 'all', id: null });
		raw.close();
	});

	it('stops calling a listener once unsubscribed', async () => {
		const writer = channel('test-3');
		const reader = channel('test-3');
		const seen: ChangeEvent[] = [];
		const stop = reader.subscribe((e) => seen.push(e));
		const done = nextEvent(reader);
		stop();
		writer.notify('conversation', 'x');
		await done;
		expect(seen).toEqual([]);
	});
});
