// The images waiting in the message box for a vision model. Each is downscaled on the device as it
// is added (`image.ts`), so the box knows when one is still being read and cannot be sent yet.
import { text } from '$lib/strings';
import { downscaleImage } from './image';

export const isImage = (file: File): boolean => file.type.startsWith('image/');

export class ImageAttachments {
	#images = $state.raw<string[]>([]);
	#error = $state('');
	#reading = $state(0);

	/** `downscale` turns a file into the data URL sent to the model (replaced in unit tests). */
	constructor(private readonly downscale: (file: File) => Promise<string> = downscaleImage) {}

	/** The images as data URLs, in the order they were added. */
	get list(): readonly string[] {
		return this.#images;
	}
	/** Why the last images were not taken, worded for the user; empty when nothing went wrong. */
	get error(): string {
		return this.#error;
	}
	/** Some image is still being read: sending now would leave it behind. */
	get reading(): boolean {
		return this.#reading > 0;
	}

	/** Takes the images among `files`; a model that reads no images refuses them with a reason. */
	async add(files: Iterable<File>, vision: boolean): Promise<void> {
		const list = [...files].filter(isImage);
		if (!list.length) return;
		if (!vision) {
			this.#error = text.chat.imagesNeedVision;
			return;
		}
		this.#error = '';
		this.#reading += list.length;
		for (const file of list) {
			try {
				this.#images = [...this.#images, await this.downscale(file)];
			} catch {
				this.#error = text.chat.imageFailed;
			} finally {
				this.#reading--;
			}
		}
	}

	remove(src: string): void {
		this.#images = this.#images.filter((x) => x !== src);
	}

	/** After `sent` went out: empties the box, unless images were added or removed meanwhile. */
	clearSent(sent: readonly string[]): void {
		if (this.#images === sent) this.#images = [];
	}
}
