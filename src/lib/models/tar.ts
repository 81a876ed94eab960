// The one-file form of an exported model: an uncompressed tar (POSIX ustar), because it can be
// written as a stream (a header, the file's bytes, padding; no index at the end), read back by
// slicing the file without loading it, and opened by any archive tool. Model weights do not
// compress, so there is nothing to gain from gzip. Only what Lantern needs: regular files and
// folders, long names through the ustar prefix field (and, when reading, GNU and pax long names).

export const BLOCK = 512;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function putString(header: Uint8Array, offset: number, length: number, value: string) {
	const bytes = encoder.encode(value);
	if (bytes.byteLength > length) throw new RangeError(`tar: "${value}" is too long`);
	header.set(bytes, offset);
}

function putOctal(header: Uint8Array, offset: number, length: number, value: number) {
	putString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into ustar's prefix (up to 155 bytes) and name (up to 100). */
function splitPath(path: string): { prefix: string; name: string } {
	if (encoder.encode(path).byteLength <= 100) return { prefix: '', name: path };
	for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
		const prefix = path.slice(0, cut);
		const name = path.slice(cut + 1);
		if (encoder.encode(prefix).byteLength <= 155 && encoder.encode(name).byteLength <= 100) {
			return { prefix, name };
		}
	}
	throw new RangeError(`tar: the path "${path}" is too long`);
}

/** The 512-byte header of a regular file of `size` bytes at `path` ("Model/params_shard_0.bin"). */
export function tarHeader(path: string, size: number, mtimeSeconds = 0): Uint8Array {
	const header = new Uint8Array(BLOCK);
	const { prefix, name } = splitPath(path);
	putString(header, 0, 100, name);
	putOctal(header, 100, 8, 0o644);
	putOctal(header, 108, 8, 0);
	putOctal(header, 116, 8, 0);
	putOctal(header, 124, 12, size);
	putOctal(header, 136, 12, Math.floor(mtimeSeconds));
	header.fill(0x20, 148, 156); // The checksum counts its own field as spaces.
	header[156] = 0x30; // '0': a regular file
	putString(header, 257, 6, 'ustar\0');
	putString(header, 263, 2, '00');
	putString(header, 345, 155, prefix);
	const sum = header.reduce((a, b) => a + b, 0);
	putString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
	return header;
}

/** Zero bytes that end a file's data on a block boundary. */
export function tarPadding(size: number): Uint8Array {
	return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks: the end of the archive. */
export function tarEnd(): Uint8Array {
	return new Uint8Array(2 * BLOCK);
}

/** Bytes an archive of files of these sizes takes (headers, padding and the end included). */
export function tarSize(sizes: readonly number[]): number {
	return sizes.reduce((sum, s) => sum + BLOCK + s + tarPadding(s).byteLength, 2 * BLOCK);
}

export interface TarEntry {
	path: string;
	/** The file's bytes, a slice of the archive (nothing is read until asked). */
	file: Blob;
}

function readString(block: Uint8Array, offset: number, length: number): string {
	const bytes = block.subarray(offset, offset + length);
	const end = bytes.indexOf(0);
	return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
	const text = readString(block, offset, length).trim();
	return text === '' ? 0 : parseInt(text, 8);
}

/** The "path" record of a pax extended header, if it has one. */
function paxPath(text: string): string | null {
	for (const line of text.split('\n')) {
		const match = /^\d+ path=(.*)$/.exec(line);
		if (match) return match[1] ?? null;
	}
	return null;
}

/**
 * The regular files of an archive, as slices of it. Reads only the headers (512 bytes each).
 * Throws a RangeError when the archive is not a tar file or is cut short.
 */
export async function readTar(archive: Blob): Promise<TarEntry[]> {
	const entries: TarEntry[] = [];
	let offset = 0;
	let longName: string | null = null;
	while (offset + BLOCK <= archive.size) {
		const block = new Uint8Array(await archive.slice(offset, offset + BLOCK).arrayBuffer());
		if (block.every((b) => b === 0)) return entries;
		const stored = readOctal(block, 148, 8);
		const copy = block.slice();
		copy.fill(0x20, 148, 156);
		if (copy.reduce((a, b) => a + b, 0) !== stored) {
			throw new RangeError(`tar: bad header checksum at byte ${offset}`);
		}
		const size = readOctal(block, 124, 12);
		const type = String.fromCharCode(block[156] ?? 0);
		const dataStart = offset + BLOCK;
		const dataEnd = dataStart + size;
		if (dataEnd > archive.size) throw new RangeError('tar: the archive is cut short');
		if (type === 'L' || type === 'x') {
			const text = decoder.decode(await archive.slice(dataStart, dataEnd).arrayBuffer());
			longName = type === 'L' ? text.replace(/\0+$/, '') : paxPath(text);
		} else if (type === '0' || type === '\0') {
			const prefix = readString(block, 345, 155);
			const name = readString(block, 0, 100);
			const path = longName ?? (prefix ? `${prefix}/${name}` : name);
			entries.push({ path, file: archive.slice(dataStart, dataEnd) });
			longName = null;
		} else {
			longName = null; // Folders, links, global pax headers: nothing to read.
		}
		offset = dataEnd + tarPadding(size).byteLength;
	}
	// No end marker: fine if the archive ends exactly after a file (some writers omit it), but
	// bytes left over mean it was cut short.
	if (offset !== archive.size) throw new RangeError('tar: the archive is cut short');
	if (entries.length === 0) throw new RangeError('tar: no files');
	return entries;
}
