// What the app remembers about models in its own database (src/lib/storage/db.ts): the models a
// user added by URL, and per model its exact download size (so it is known offline, without
// fetching tensor-cache.json again) and when it was last loaded. Everything read back is checked,
// and a bad record is skipped rather than allowed to break the Models page.
import type { ModelRecord } from '$lib/engine/types';
import { modelKind, type ModelKind } from './catalog';
import { connect, type Connection } from '$lib/storage/db';
import { storageOp } from '$lib/storage/errors';

export interface CustomModelEntry {
	/** Equal to `record.model_id`: the key. */
	modelId: string;
	/** A WebLLM model record, used exactly like a catalog one. */
	record: ModelRecord;
	/** Epoch ms. */
	addedAt: number;
	/**
	 * Chat, embedding or vision, as read from its config or chosen when it was added. Entries
	 * written before Lantern recorded it have none: `customKind` falls back to the record.
	 */
	type?: ModelKind;
	/** How it came: by URL (absent) or imported from files (its URLs are made up, never fetched). */
	source?: 'files';
}

const KINDS: readonly ModelKind[] = ['chat', 'embedding', 'vision'];

/** The entry's kind: recorded, or else what its WebLLM record says. */
export function customKind(entry: CustomModelEntry): ModelKind {
	return entry.type ?? modelKind(entry.record);
}

export interface ModelNoteEntry {
	modelId: string;
	/** Exact download size in bytes, once tensor-cache.json has been read. */
	sizeBytes?: number;
	/** Epoch ms of the last successful load. */
	lastUsedAt?: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
	return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/** A stored model record, keeping only the fields Lantern uses, or null if it is unusable. */
export function readModelRecord(x: unknown): ModelRecord | null {
	if (!isRecord(x)) return null;
	const { model, model_id, model_lib } = x;
	if (typeof model !== 'string' || typeof model_id !== 'string' || typeof model_lib !== 'string')
		return null;
	if (!model_id) return null;
	const record: ModelRecord = { model, model_id, model_lib };
	if (isRecord(x.overrides)) record.overrides = x.overrides;
	if (isCount(x.vram_required_MB)) record.vram_required_MB = x.vram_required_MB;
	if (isCount(x.buffer_size_required_bytes))
		record.buffer_size_required_bytes = x.buffer_size_required_bytes;
	if (typeof x.low_resource_required === 'boolean')
		record.low_resource_required = x.low_resource_required;
	if (Array.isArray(x.required_features))
		record.required_features = x.required_features.filter((f) => typeof f === 'string');
	if (isCount(x.model_type)) record.model_type = x.model_type;
	return record;
}

export function readCustomModel(x: unknown): CustomModelEntry | null {
	if (!isRecord(x)) return null;
	const record = readModelRecord(x.record);
	if (!record || x.modelId !== record.model_id) return null;
	const entry: CustomModelEntry = {
		modelId: record.model_id,
		record,
		addedAt: isCount(x.addedAt) ? x.addedAt : 0
	};
	if (KINDS.includes(x.type as ModelKind)) entry.type = x.type as ModelKind;
	if (x.source === 'files') entry.source = 'files';
	return entry;
}

export function readModelNote(x: unknown): ModelNoteEntry | null {
	if (!isRecord(x) || typeof x.modelId !== 'string') return null;
	const note: ModelNoteEntry = { modelId: x.modelId };
	if (isCount(x.sizeBytes)) note.sizeBytes = x.sizeBytes;
	if (isCount(x.lastUsedAt)) note.lastUsedAt = x.lastUsedAt;
	return note;
}

export class ModelRepository {
	#db: Connection;

	constructor(db: Connection = connect()) {
		this.#db = db;
	}

	/** Custom models, oldest first. */
	customModels(): Promise<CustomModelEntry[]> {
		return storageOp(async () => {
			const raw: unknown[] = await (await this.#db()).getAll('customModels');
			return raw
				.map(readCustomModel)
				.filter((e): e is CustomModelEntry => e !== null)
				.sort((a, b) => a.addedAt - b.addedAt);
		});
	}

	saveCustomModel(entry: CustomModelEntry): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('customModels', entry);
		});
	}

	removeCustomModel(modelId: string): Promise<void> {
		return storageOp(async () => {
			const db = await this.#db();
			await db.delete('customModels', modelId);
			await db.delete('modelNotes', modelId);
		});
	}

	notes(): Promise<ModelNoteEntry[]> {
		return storageOp(async () => {
			const raw: unknown[] = await (await this.#db()).getAll('modelNotes');
			return raw.map(readModelNote).filter((n): n is ModelNoteEntry => n !== null);
		});
	}

	/** Merges `patch` into the model's note and returns the result. */
	updateNote(modelId: string, patch: Omit<ModelNoteEntry, 'modelId'>): Promise<ModelNoteEntry> {
		return storageOp(async () => {
			const db = await this.#db();
			const tx = db.transaction('modelNotes', 'readwrite');
			const old = readModelNote(await tx.store.get(modelId)) ?? { modelId };
			const note: ModelNoteEntry = { ...old, ...patch, modelId };
			await tx.store.put(note);
			await tx.done;
			return note;
		});
	}
}
