// Images for vision models are downscaled on the device before they are stored or sent: a phone
// photo is 12 megapixels, the model sees a few hundred tokens' worth, and IndexedDB keeps every byte.

export const MAX_IMAGE_SIDE = 1024;
export const JPEG_QUALITY = 0.85;

export interface Size {
	width: number;
	height: number;
}

/**
 * The largest size within `maxSide` × `maxSide` with the same aspect ratio, in whole pixels (at
 * least 1). Never upscales. Throws a RangeError for a size that is not positive and finite.
 */
export function fitWithin(size: Size, maxSide = MAX_IMAGE_SIDE): Size {
	const { width, height } = size;
	if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height)))
		throw new RangeError(`Invalid image size ${width}×${height}`);
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return {
		width: Math.max(1, Math.round(width * scale)),
		height: Math.max(1, Math.round(height * scale))
	};
}

function toDataUrl(blob: Blob): Promise<string> {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(String(reader.result));
		reader.onerror = () => reject(reader.error ?? new Error('Could not read the image'));
		reader.readAsDataURL(blob);
	});
}

/**
 * Browser only: decodes `image` (a File from a picker, paste or drop), scales it to fit `maxSide`
 * and re-encodes it as a JPEG data URL. Transparent areas become white (JPEG has no alpha). Rejects
 * if the browser cannot decode the file.
 */
export async function downscaleImage(
	image: Blob,
	{ maxSide = MAX_IMAGE_SIDE, quality = JPEG_QUALITY } = {}
): Promise<string> {
	const bitmap = await createImageBitmap(image, { imageOrientation: 'from-image' });
	try {
		const { width, height } = fitWithin(bitmap, maxSide);
		const canvas = new OffscreenCanvas(width, height);
		const context = canvas.getContext('2d');
		if (!context) throw new Error('2D canvas is unavailable');
		context.fillStyle = '#fff';
		context.fillRect(0, 0, width, height);
		context.imageSmoothingQuality = 'high';
		context.drawImage(bitmap, 0, 0, width, height);
		return await toDataUrl(await canvas.convertToBlob({ type: 'image/jpeg', quality }));
	} finally {
		bitmap.close();
	}
}
