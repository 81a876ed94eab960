// Exporting a stored model, for another computer: its files in MLC's layout (config, tokenizer,
// tensor-cache.json, shards), its model library and lantern-model.json (manifest.ts), read back
// from WebLLM's caches one file at a time and written to a destination (a `ExportSink`):
//   - a folder (File System Access: a sub-folder named after the model, one writable stream per
//     file), which any Lantern imports, and which is also a plain MLC model folder;
//   - one archive file (tar.ts) written as a stream to a file the user picked, where folders
//     cannot be written but files can;
//   - one archive assembled from Blobs (the browser keeps their bytes, on disk when they are big),
//     then saved as a download, where the page can write nothing at all.
// Memory: one shard read while the last one is written (two at most), whatever the model's size.
// A cancelled or failed export removes what it wrote (the sink's `abort`).
import { configArtifact, modelArtifacts, type Artifact, type ArtifactRecord } from './artifacts';
import type { ModelKind } from './catalog';
import { decodeConfig, modelStatus, storedTensorCache } from './inventory';
import { makeManifest } from './manifest';
import { CONFIG_FILE, MANIFEST_FILE } from './modelFiles';
import { snapshot, SpeedMeter, type ProgressSnapshot } from './progress';
import { releaseBuffer } from './release';
import type { ArtifactStore } from './store';
import { tarEnd, tarHeader, tarPadding } from './tar';
import { ExportError, isAbort } from './transferErrors';

/** Where an export goes. Files are written one after the other, each whole. */
export interface ExportSink {
	write(name: string, data: Uint8Array): Promise<void>;
	/** Everything was written. */
	close(): Promise<void>;
	/** Undoes what was written, as far as the destination allows. */
	abort(): Promise<void>;
}

export interface ExportProgress extends ProgressSnapshot {
	file: string | null;
}

export interface ExportOptions {
	kind: ModelKind;
	custom: boolean;
	onProgress?: (progress: ExportProgress) => void;
	signal?: AbortSignal;
	now?: () => number;
}

/** A file of the export: its name in the folder and where it is stored. */
interface Planned {
	name: string;
	artifact: Artifact | null;
	bytes: number;
}

const fileName = (url: string) => decodeURIComponent(url.split('?')[0]?.split('/').pop() ?? '');

/** The model library's file name in an export ("Model-q4f32_1-webgpu.wasm"). */
export function libraryFileName(record: ArtifactRecord): string {
	const name = fileName(record.model_lib);
	return /\.wasm$/i.test(name) && !name.includes('/') ? name : `${record.model_id}.wasm`;
}

/** The folder (or archive) name: the model's id, made safe for every file system. */
export function exportFolderName(record: ArtifactRecord): string {
	const safe = [...record.model_id]
		.map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c))
		.join('');
	return safe.slice(0, 120) || 'model';
}

/**
 * Writes the model to `sink`. Throws 'incomplete' unless every file is stored, 'read-failed'
 * when one cannot be read back, 'write-failed' when the destination refuses, 'aborted'.
 */
export async function exportModel(
	store: ArtifactStore,
	record: ArtifactRecord,
	sink: ExportSink,
	options: ExportOptions
): Promise<number> {
	const { signal } = options;
	const status = await modelStatus(store, record);
	if (!status.readyOffline) throw new ExportError('incomplete', 'not every file is stored');
	const manifest = new TextEncoder().encode(
		JSON.stringify(
			makeManifest(record, options.kind, libraryFileName(record), options.custom),
			null,
			2
		)
	);
	const cache = await storedTensorCache(store, record);
	const config = decodeConfig(await store.get('webllm/config', configArtifact(record).url));
	const plan: Planned[] = [{ name: MANIFEST_FILE, artifact: null, bytes: manifest.byteLength }];
	for (const artifact of modelArtifacts(record, config, cache)) {
		if (artifact.kind === 'manifest') continue;
		const known = status.artifacts.find((s) => s.artifact.url === artifact.url);
		const name =
			artifact.kind === 'library'
				? libraryFileName(record)
				: artifact.kind === 'config'
					? CONFIG_FILE
					: fileName(artifact.url);
		plan.push({ name, artifact, bytes: artifact.nbytes ?? known?.bytes ?? 0 });
	}
	const totalBytes = plan.reduce((sum, p) => sum + p.bytes, 0);
	const now = options.now ?? (() => Date.now());
	const meter = new SpeedMeter(now);
	let doneBytes = 0;
	let last = -Infinity;
	const report = (file: string | null, force = false) => {
		const at = now();
		if (!options.onProgress || (!force && at - last < 250)) return;
		last = at;
		options.onProgress({ file, ...snapshot(doneBytes, totalBytes, meter.speed()) });
	};

	const read = async (p: Planned): Promise<Uint8Array> => {
		if (!p.artifact) return manifest;
		let data: unknown;
		try {
			data = await store.get(p.artifact.db, p.artifact.url);
		} catch (error) {
			throw new ExportError('read-failed', String(error), p.name);
		}
		if (data === undefined) throw new ExportError('incomplete', 'not stored', p.name);
		if (data instanceof ArrayBuffer) return new Uint8Array(data);
		if (ArrayBuffer.isView(data))
			return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		// tensor-cache.json is stored parsed: write it back as JSON (its shards' MD5s included).
		return new TextEncoder().encode(JSON.stringify(data));
	};

	try {
		// Reading the next file overlaps writing this one.
		let next: Promise<Uint8Array> | null = plan[0] ? read(plan[0]) : null;
		for (let i = 0; i < plan.length; i++) {
			const p = plan[i] as Planned;
			if (signal?.aborted) throw new ExportError('aborted', 'cancelled');
			const data = await (next as Promise<Uint8Array>);
			const following = plan[i + 1];
			next = following ? read(following) : null;
			report(p.name, true);
			try {
				await sink.write(p.name, data);
			} catch (error) {
				if (isAbort(error)) throw new ExportError('aborted', 'cancelled');
				throw new ExportError('write-failed', String(error), p.name);
			}
			doneBytes += data.byteLength;
			meter.add(data.byteLength);
			if (p.artifact?.kind === 'shard') releaseBuffer(data.buffer as ArrayBuffer);
			report(p.name);
		}
		if (signal?.aborted) throw new ExportError('aborted', 'cancelled');
		try {
			await sink.close();
		} catch (error) {
			throw new ExportError('write-failed', String(error));
		}
	} catch (error) {
		await sink.abort().catch(() => undefined);
		if (error instanceof ExportError) throw error;
		throw new ExportError('write-failed', String(error));
	}
	report(null, true);
	return doneBytes;
}

/** Writes into a folder (File System Access): `<parent>/<folder>/<file>`. */
export function folderSink(parent: FileSystemDirectoryHandle, folder: string): ExportSink {
	let dir: Promise<FileSystemDirectoryHandle> | null = null;
	const open = () => (dir ??= parent.getDirectoryHandle(folder, { create: true }));
	return {
		async write(name, data) {
			const handle = await (await open()).getFileHandle(name, { create: true });
			const writable = await handle.createWritable();
			try {
				await writable.write(data as Uint8Array<ArrayBuffer>);
				await writable.close();
			} catch (error) {
				await writable.abort().catch(() => undefined);
				throw error;
			}
		},
		async close() {},
		async abort() {
			if (dir) await parent.removeEntry(folder, { recursive: true });
		}
	};
}

/** Anything a tar archive can be streamed into (a FileSystemWritableFileStream, a stream's writer). */
export interface ByteWriter {
	write(data: Uint8Array): Promise<void>;
	close(): Promise<void>;
	abort(): Promise<void>;
}

/** One archive file: `<folder>/<file>` entries, streamed through `writer`. */
export function tarSink(writer: ByteWriter, folder: string): ExportSink {
	return {
		async write(name, data) {
			await writer.write(tarHeader(`${folder}/${name}`, data.byteLength, Date.now() / 1000));
			await writer.write(data);
			const padding = tarPadding(data.byteLength);
			if (padding.byteLength > 0) await writer.write(padding);
		},
		async close() {
			await writer.write(tarEnd());
			await writer.close();
		},
		abort: () => writer.abort()
	};
}

/**
 * Collects the archive as Blob parts: each file's bytes become a Blob as soon as they are read,
 * so the page's memory holds none of them (the browser keeps Blob data itself, on disk when it is
 * large). `result()` gives the archive once closed.
 */
export function blobWriter(): ByteWriter & { result(): Blob } {
	let parts: Blob[] = [];
	let done: Blob | null = null;
	return {
		async write(data) {
			parts.push(new Blob([data as Uint8Array<ArrayBuffer>]));
		},
		async close() {
			done = new Blob(parts, { type: 'application/x-tar' });
			parts = [];
		},
		async abort() {
			parts = [];
		},
		result() {
			if (!done) throw new Error('the archive is not finished');
			return done;
		}
	};
}
