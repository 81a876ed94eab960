// The images waiting in the message box: a model without vision refuses them with a reason, the
// box knows while one is still being read, a failed image says so, and a send clears only what it sent.
import { describe, expect, it } from 'vitest';
import { ImageAttachments } from '$lib/chat/ImageAttachments.svelte';
import { text } from '$lib/strings';

const image = (name: string) => new File(['x'], name, { type: 'image/png' });
const pdf = new File(['%PDF'], 'a.pdf', { type: 'application/pdf' });

/** A downscale that waits until `finish` is called, and fails for files named "bad". */
function slowDownscale() {
	const waiting: (() => void)[] = [];
	const downscale = (file: File) =>
		new Promise<string>((resolve, reject) =>
			waiting.push(() =>
				file.name === 'bad' ? reject(new Error('decode')) : resolve(`data:${file.name}`)
			)
		);
	const finish = async () => {
		while (waiting.length) {
			waiting.shift()?.();
			await new Promise((r) => setTimeout(r));
		}
	};
	return { downscale, finish };
}

describe('ImageAttachments', () => {
	it('takes only images, and is reading until each is downscaled', async () => {
		const { downscale, finish } = slowDownscale();
		const images = new ImageAttachments(downscale);
		const adding = images.add([image('a'), pdf, image('b')], true);
		expect(images.reading).toBe(true);
		await finish();
		await adding;
		expect(images.reading).toBe(false);
		expect(images.list).toEqual(['data:a', 'data:b']);
		expect(images.error).toBe('');
	});

	it('refuses images for a model without vision, saying why', async () => {
		const images = new ImageAttachments(async () => 'data:x');
		await images.add([image('a')], false);
		expect(images.list).toEqual([]);
		expect(images.error).toBe(text.chat.imagesNeedVision);
	});

	it('keeps the others when one image cannot be read, and says so', async () => {
		const { downscale, finish } = slowDownscale();
		const images = new ImageAttachments(downscale);
		const adding = images.add([image('bad'), image('ok')], true);
		await finish();
		await adding;
		expect(images.list).toEqual(['data:ok']);
		expect(images.error).toBe(text.chat.imageFailed);
		expect(images.reading).toBe(false);
	});

	it('clears what was sent, but not images changed while the message was being stored', async () => {
		const images = new ImageAttachments(async (f) => `data:${f.name}`);
		await images.add([image('a')], true);
		const sent = images.list;
		images.clearSent(sent);
		expect(images.list).toEqual([]);

		await images.add([image('b')], true);
		const second = images.list;
		await images.add([image('c')], true);
		images.clearSent(second);
		expect(images.list).toEqual(['data:b', 'data:c']);
		images.remove('data:b');
		expect(images.list).toEqual(['data:c']);
	});
});
