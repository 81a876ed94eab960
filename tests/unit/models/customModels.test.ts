import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
	customKind,
	ModelRepository,
	readCustomModel,
	type CustomModelEntry
} from '$lib/models/customModels';
import { connect } from '$lib/storage/db';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

const record = {
	model: 'http://127.0.0.1:9/m/Tiny',
	model_id: 'Tiny',
	model_lib: 'http://127.0.0.1:9/t.wasm'
};

describe('model repository', () => {
	it('keeps custom models and notes, and skips records it cannot use', async () => {
		const db = connect('models-test');
		const repo = new ModelRepository(db);
		await repo.saveCustomModel({ modelId: 'Tiny', record, addedAt: 5 });
		// Written by another version, or by hand: not a usable record.
		const broken: unknown = { modelId: 'Broken', record: { model_id: 'Broken' } };
		await (await db()).put('customModels', broken as CustomModelEntry);
		expect(await repo.customModels()).toEqual([{ modelId: 'Tiny', record, addedAt: 5 }]);

		await repo.updateNote('Tiny', { sizeBytes: 1234 });
		await repo.updateNote('Tiny', { lastUsedAt: 99 });
		expect(await repo.notes()).toEqual([{ modelId: 'Tiny', sizeBytes: 1234, lastUsedAt: 99 }]);

		await repo.removeCustomModel('Tiny');
		expect(await repo.customModels()).toEqual([]);
		expect(await repo.notes()).toEqual([]);
	});

	it('reads back only the fields it knows, with the right types', () => {
		expect(
			readCustomModel({
				modelId: 'Tiny',
				record: { ...record, vram_required_MB: 'lots', required_features: ['shader-f16', 3] },
				addedAt: -1
			})
		).toEqual({
			modelId: 'Tiny',
			record: { ...record, required_features: ['shader-f16'] },
			addedAt: 0
		});
		expect(readCustomModel({ modelId: 'Other', record })).toBeNull();
	});
});

describe('custom model kind', () => {
	it('reads entries written before Lantern recorded a kind, and keeps the kind when there is one', () => {
		const old = readCustomModel({ modelId: 'Tiny', record, addedAt: 1 });
		expect(old).toEqual({ modelId: 'Tiny', record, addedAt: 1 });
		expect(old && customKind(old)).toBe('chat');
		const embedding = readCustomModel({
			modelId: 'Tiny',
			record: { ...record, model_type: 1 },
			addedAt: 1
		});
		expect(embedding && customKind(embedding)).toBe('embedding');
		const recorded = readCustomModel({
			modelId: 'Tiny',
			record,
			addedAt: 1,
			type: 'vision',
			source: 'files'
		});
		expect(recorded).toMatchObject({ type: 'vision', source: 'files' });
		expect(recorded && customKind(recorded)).toBe('vision');
		expect(readCustomModel({ modelId: 'Tiny', record, addedAt: 1, type: 'robot' })).toEqual({
			modelId: 'Tiny',
			record,
			addedAt: 1
		});
	});
});
