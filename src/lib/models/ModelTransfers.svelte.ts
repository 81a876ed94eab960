// Moving models through files: one import and one export at a time, with their progress, result
// or failure, for the Models page. The work is done by import.ts and export.ts; this class picks
// folders and files through the browser, hands what they hold to them, and tells the library
// about an imported model. Created in the root layout, so an import goes on while the user looks
// at another page.
//
// Which way files are read and written depends on the browser: File System Access
// (`showDirectoryPicker`, `showSaveFilePicker`: Chromium) where it exists; elsewhere a folder input
// and a download. A picker dismissed by the user is not an error.
import type { ModelRecord } from '$lib/engine/types';
import { modelKind, type ModelKind } from './catalog';
import { customKind } from './customModels';
import {
	blobWriter,
	exportFolderName,
	exportModel,
	folderSink,
	tarSink,
	type ExportProgress,
	type ExportSink
} from './export';
import { checkFolder, identifyFolder, storeImport, type ImportProgress } from './import';
import { storedTensorCache } from './inventory';
import type { ModelLibrary } from './ModelLibrary.svelte';
import { fromDirectoryHandle, modelFolder, type PickedFile } from './modelFiles';
import { ArtifactStore } from './store';
import { ExportError, ImportError, isAbort } from './transferErrors';

export type ImportState =
	| { phase: 'idle' }
	| { phase: 'checking' }
	| { phase: 'copying'; progress: ImportProgress | null }
	| { phase: 'done'; modelId: string; custom: boolean; bytes: number }
	| { phase: 'failed'; error: ImportError };

export type ExportState =
	| { phase: 'idle' }
	| { phase: 'exporting'; modelId: string; progress: ExportProgress | null }
	| { phase: 'done'; modelId: string; bytes: number; where: { folder: string } | { file: string } }
	| { phase: 'failed'; modelId: string; error: ExportError };

/** The File System Access pickers, where the browser has them. */
interface PickerWindow {
	showDirectoryPicker?: (options?: {
		id?: string;
		mode?: 'read' | 'readwrite';
	}) => Promise<FileSystemDirectoryHandle>;
	showSaveFilePicker?: (options?: {
		id?: string;
		suggestedName?: string;
		types?: Array<{ description: string; accept: Record<string, string[]> }>;
	}) => Promise<FileSystemFileHandle>;
}

export interface ModelTransfersDeps {
	store?: ArtifactStore;
	window?: () => (Window & PickerWindow) | undefined;
	estimate?: () => Promise<{ quota?: number; usage?: number }>;
}

export class ModelTransfers {
	#import = $state.raw<ImportState>({ phase: 'idle' });
	#export = $state.raw<ExportState>({ phase: 'idle' });
	#importAbort: AbortController | null = null;
	#exportAbort: AbortController | null = null;
	readonly #library: ModelLibrary;
	readonly #store: ArtifactStore;
	readonly #window: () => (Window & PickerWindow) | undefined;
	readonly #estimate: ModelTransfersDeps['estimate'];

	constructor(library: ModelLibrary, deps: ModelTransfersDeps = {}) {
		this.#library = library;
		this.#store = deps.store ?? new ArtifactStore();
		this.#window = deps.window ?? (() => (typeof window === 'undefined' ? undefined : window));
		this.#estimate = deps.estimate;
	}

	get importState(): ImportState {
		return this.#import;
	}
	get exportState(): ExportState {
		return this.#export;
	}
	get importing(): boolean {
		return this.#import.phase === 'checking' || this.#import.phase === 'copying';
	}
	get exporting(): boolean {
		return this.#export.phase === 'exporting';
	}
	/** Folders can be picked and written through File System Access. */
	get canUseFolders(): boolean {
		return typeof this.#window()?.showDirectoryPicker === 'function';
	}

	/**
	 * Opens the folder picker and imports what it gives. Returns false when this browser has no
	 * folder picker (the page then uses its folder input).
	 */
	async pickFolderAndImport(library?: PickedFile, kind?: ModelKind): Promise<boolean> {
		const picker = this.#window()?.showDirectoryPicker;
		if (!picker || this.importing) return Boolean(picker);
		let handle: FileSystemDirectoryHandle;
		try {
			handle = await picker({ id: 'lantern-import', mode: 'read' });
		} catch {
			return true; // Dismissed.
		}
		this.#import = { phase: 'checking' };
		await this.importFiles(await fromDirectoryHandle(handle).catch(() => []), library, kind);
		return true;
	}

	/** Imports a model from picked or dropped files (a folder's, or one exported archive). */
	async importFiles(picked: PickedFile[], library?: PickedFile, kind?: ModelKind): Promise<void> {
		if (this.#import.phase === 'copying') return;
		const abort = new AbortController();
		this.#importAbort = abort;
		this.#import = { phase: 'checking' };
		try {
			const folder = await modelFolder(picked);
			const checked = await checkFolder(
				folder,
				library
					? { name: library.path.split('/').pop() ?? library.path, file: library.file }
					: undefined
			);
			const custom = this.#library.customModels;
			const identity = await identifyFolder(
				checked,
				{
					catalog: this.#library.records.filter((r) => !this.#library.isCustom(r.model_id)),
					custom: custom.map((c) => c.record),
					storedCache: (record) => storedTensorCache(this.#store, record)
				},
				kind
			);
			this.#import = { phase: 'copying', progress: null };
			const bytes = await storeImport(checked, identity.record, {
				store: this.#store,
				estimate: this.#estimate,
				signal: abort.signal,
				onProgress: (progress) => {
					if (this.#import.phase === 'copying') this.#import = { phase: 'copying', progress };
				}
			});
			try {
				await this.#library.adoptImported({ ...identity, bytes });
			} catch (error) {
				throw new ImportError('storage', String(error));
			}
			this.#import = {
				phase: 'done',
				modelId: identity.record.model_id,
				custom: identity.custom,
				bytes
			};
		} catch (error) {
			const failure =
				error instanceof ImportError
					? error
					: isAbort(error)
						? new ImportError('aborted', 'cancelled')
						: new ImportError('read-failed', String(error));
			this.#import = { phase: 'failed', error: failure };
		} finally {
			if (this.#importAbort === abort) this.#importAbort = null;
		}
	}

	cancelImport(): void {
		this.#importAbort?.abort();
	}

	/** Exports to a sub-folder of a folder the user picks (File System Access). */
	async exportToFolder(modelId: string): Promise<void> {
		const picker = this.#window()?.showDirectoryPicker;
		const record = this.#library.find(modelId);
		if (!picker || !record || this.exporting) return;
		let parent: FileSystemDirectoryHandle;
		try {
			parent = await picker({ id: 'lantern-export', mode: 'readwrite' });
		} catch {
			return; // Dismissed.
		}
		const folder = exportFolderName(record);
		await this.#run(record, folderSink(parent, folder), { folder });
	}

	/**
	 * Exports as one archive: streamed into a file the user picks where the browser can write
	 * files, else assembled and saved as a download.
	 */
	async exportToFile(modelId: string): Promise<void> {
		const record = this.#library.find(modelId);
		const win = this.#window();
		if (!record || !win || this.exporting) return;
		const file = `${exportFolderName(record)}.tar`;
		const folder = exportFolderName(record);
		if (typeof win.showSaveFilePicker === 'function') {
			let handle: FileSystemFileHandle;
			try {
				handle = await win.showSaveFilePicker({
					id: 'lantern-export',
					suggestedName: file,
					types: [{ description: 'Model archive', accept: { 'application/x-tar': ['.tar'] } }]
				});
			} catch {
				return; // Dismissed.
			}
			const writable = await handle.createWritable();
			await this.#run(
				record,
				tarSink(
					{
						write: (data) => writable.write(data as Uint8Array<ArrayBuffer>),
						close: () => writable.close(),
						abort: () => writable.abort()
					},
					folder
				),
				{ file: handle.name }
			);
			return;
		}
		const writer = blobWriter();
		const ok = await this.#run(record, tarSink(writer, folder), { file });
		if (ok) this.#saveDownload(writer.result(), file);
	}

	cancelExport(): void {
		this.#exportAbort?.abort();
	}

	async #run(
		record: ModelRecord,
		sink: ExportSink,
		where: { folder: string } | { file: string }
	): Promise<boolean> {
		const abort = new AbortController();
		this.#exportAbort = abort;
		const modelId = record.model_id;
		const custom = this.#library.customModels.find((c) => c.modelId === modelId);
		this.#export = { phase: 'exporting', modelId, progress: null };
		try {
			const bytes = await exportModel(this.#store, record, sink, {
				kind: custom ? customKind(custom) : modelKind(record),
				custom: custom !== undefined,
				signal: abort.signal,
				onProgress: (progress) => {
					if (this.#export.phase === 'exporting') {
						this.#export = { phase: 'exporting', modelId, progress };
					}
				}
			});
			this.#export = { phase: 'done', modelId, bytes, where };
			return true;
		} catch (error) {
			const failure =
				error instanceof ExportError ? error : new ExportError('write-failed', String(error));
			this.#export = { phase: 'failed', modelId, error: failure };
			return false;
		} finally {
			if (this.#exportAbort === abort) this.#exportAbort = null;
		}
	}

	#saveDownload(blob: Blob, name: string) {
		const win = this.#window();
		if (!win) return;
		const url = URL.createObjectURL(blob);
		const link = win.document.createElement('a');
		link.href = url;
		link.download = name;
		link.click();
		// The download reads the Blob after the click: let go of it a minute later.
		setTimeout(() => URL.revokeObjectURL(url), 60_000);
	}
}
