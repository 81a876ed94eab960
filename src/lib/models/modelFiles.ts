// What the user picked, as one shape: files by their path inside the pick. A folder from the
// folder picker (File System Access), a folder input (`webkitdirectory`), a dropped folder or an
// exported archive all become a `PickedFiles`; `modelFolder` then finds the model in it. Every
// file stays a Blob backed by the disk until the import reads it, one shard at a time.
import { readTar } from './tar';
import { ImportError } from './transferErrors';

export interface PickedFile {
	/** "Folder/sub/file.bin", as picked (the top folder's name first). */
	path: string;
	file: Blob;
}

/** A model folder found in a pick. */
export interface ModelFolder {
	/** The folder's name: the model's name unless its manifest says otherwise. */
	name: string;
	/** The folder's files by name ("params_shard_0.bin"). MLC's layout is flat. */
	files: ReadonlyMap<string, Blob>;
	/** Every .wasm file in the pick, by name: the model library is one of them. */
	libraries: ReadonlyMap<string, Blob>;
}

export const CONFIG_FILE = 'mlc-chat-config.json';
/** Written by Lantern's export next to the model's files: who the model is. */
export const MANIFEST_FILE = 'lantern-model.json';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/**
 * The model in a pick: the folder holding mlc-chat-config.json nearest the top, with its files,
 * and every .wasm in the pick. An archive (.tar) in a pick without a config is opened instead.
 * Throws 'not-a-model-folder' when there is neither.
 */
export async function modelFolder(picked: readonly PickedFile[]): Promise<ModelFolder> {
	const configs = picked
		.filter((p) => baseName(p.path) === CONFIG_FILE)
		.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
	const config = configs[0];
	if (!config) {
		const archive = picked.find((p) => /\.tar$/i.test(p.path));
		if (archive) return modelFolder(await archiveFiles(archive.file));
		throw new ImportError('not-a-model-folder', `no ${CONFIG_FILE} in ${picked.length} files`);
	}
	const dir = dirName(config.path);
	const files = new Map<string, Blob>();
	const libraries = new Map<string, Blob>();
	for (const { path, file } of picked) {
		if (dirName(path) === dir) files.set(baseName(path), file);
		if (/\.wasm$/i.test(path)) libraries.set(baseName(path), file);
	}
	// Loose files (dropped without their folder) have no folder name to go by.
	const name = baseName(dir) || 'imported-model';
	return { name, files, libraries };
}

/** An exported archive's files. */
export async function archiveFiles(archive: Blob): Promise<PickedFile[]> {
	try {
		return (await readTar(archive)).map(({ path, file }) => ({ path, file }));
	} catch (error) {
		if (error instanceof RangeError) throw new ImportError('bad-archive', error.message);
		throw new ImportError('read-failed', String(error));
	}
}

/** Files from an `<input type="file">` (with `webkitdirectory`, each knows its path in the folder). */
export function fromFileList(files: Iterable<File>): PickedFile[] {
	return [...files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** A folder from `showDirectoryPicker` or a dropped item's `getAsFileSystemHandle`, two levels deep. */
export async function fromDirectoryHandle(
	handle: FileSystemDirectoryHandle,
	depth = 2
): Promise<PickedFile[]> {
	const out: PickedFile[] = [];
	const walk = async (dir: FileSystemDirectoryHandle, prefix: string, left: number) => {
		for await (const entry of dir.values()) {
			const path = `${prefix}/${entry.name}`;
			if (entry.kind === 'file') {
				out.push({ path, file: await (entry as FileSystemFileHandle).getFile() });
			} else if (left > 0) {
				await walk(entry as FileSystemDirectoryHandle, path, left - 1);
			}
		}
	};
	await walk(handle, handle.name, depth);
	return out;
}

/** A dropped folder or file through the older `webkitGetAsEntry`, two levels deep. */
export async function fromEntry(root: FileSystemEntry, depth = 2): Promise<PickedFile[]> {
	const out: PickedFile[] = [];
	const fileOf = (entry: FileSystemFileEntry) =>
		new Promise<File>((resolve, reject) => entry.file(resolve, reject));
	const children = (dir: FileSystemDirectoryEntry) =>
		new Promise<FileSystemEntry[]>((resolve, reject) => {
			const reader = dir.createReader();
			const all: FileSystemEntry[] = [];
			// readEntries returns a batch at a time (100 in Chromium) until an empty one.
			const next = () =>
				reader.readEntries((batch) => {
					if (batch.length === 0) resolve(all);
					else {
						all.push(...batch);
						next();
					}
				}, reject);
			next();
		});
	const walk = async (entry: FileSystemEntry, path: string, left: number) => {
		if (entry.isFile) out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
		else if (entry.isDirectory && left >= 0) {
			for (const child of await children(entry as FileSystemDirectoryEntry)) {
				await walk(child, `${path}/${child.name}`, left - 1);
			}
		}
	};
	await walk(root, root.name, depth);
	return out;
}

/** Whatever was dropped: folders (through either API) and files. */
export async function fromDrop(items: DataTransferItemList): Promise<PickedFile[]> {
	// Handles and entries must be asked for before the first await: the list empties after it.
	type HandleItem = DataTransferItem & {
		getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>;
	};
	const pending = [...items]
		.filter((item) => item.kind === 'file')
		.map((item) => ({
			handle: (item as HandleItem).getAsFileSystemHandle?.() ?? null,
			entry: item.webkitGetAsEntry?.() ?? null,
			file: item.getAsFile()
		}));
	const out: PickedFile[] = [];
	for (const { handle, entry, file } of pending) {
		// A handle where the browser gives one; some drops (from other apps) give none.
		const h = handle ? await handle.catch(() => null) : null;
		if (h?.kind === 'directory') {
			out.push(...(await fromDirectoryHandle(h as FileSystemDirectoryHandle)));
		} else if (h?.kind === 'file') {
			const f = await (h as FileSystemFileHandle).getFile();
			out.push({ path: f.name, file: f });
		} else if (entry?.isDirectory) out.push(...(await fromEntry(entry)));
		else if (file) out.push({ path: file.name, file });
	}
	return out;
}
