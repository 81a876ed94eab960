// Who an imported model is. When the files are a catalog model's, they are stored under that
// model's own addresses, so it simply shows as downloaded and ready offline; otherwise the model
// becomes a custom one. "The files are that model" means: the export's manifest names it (same
// id, weights address and library), or, for a folder from elsewhere, the folder has the name of
// the model's repository and the library the name of its library file; and in both cases, if a
// tensor-cache.json of that model is already stored here, the shards (names, sizes, MD5s) agree,
// so an older revision is never mixed with a newer one.
//
// A custom model from files gets made-up addresses under `lantern.invalid` (a name reserved so it
// can never resolve, and outside the Content-Security-Policy, so nothing is ever sent there).
// WebLLM reads a model from its cache by address and makes no request when everything is cached,
// which the import ensures. The address is derived from tensor-cache.json's MD5, so importing the
// same files again (here or on another computer) gives the same model, and an import cut short is
// resumed rather than duplicated.
import type { ModelRecord } from '$lib/engine/types';
import { isLibraryCacheable, modelBaseUrl, type ArtifactRecord } from './artifacts';
import { modelKind, type ModelKind } from './catalog';
import { importedRecord } from './imported';
import type { ExportManifest } from './manifest';
import { completeRecord } from './modelType';
import type { TensorCache } from './size';

export interface Identity {
	record: ArtifactRecord;
	kind: ModelKind;
	/** False: a catalog model. */
	custom: boolean;
	/** A custom model that is already in the list (the same files imported again). */
	existing: boolean;
}

export interface IdentityInput {
	/** The folder's name. */
	name: string;
	config: Record<string, unknown>;
	cache: TensorCache;
	/** MD5 of tensor-cache.json's bytes. */
	cacheDigest: string;
	libraryName: string;
	manifest: ExportManifest | null;
	/** The kind the user chose, if any. */
	kind?: ModelKind;
}

export interface IdentityContext {
	catalog: readonly ModelRecord[];
	custom: readonly ModelRecord[];
	/** tensor-cache.json as stored here for a record, or null. */
	storedCache(record: ModelRecord): Promise<TensorCache | null>;
}

/** Whether two tensor caches describe the same shards. */
export function sameShards(a: TensorCache, b: TensorCache): boolean {
	return (
		a.records.length === b.records.length &&
		a.records.every((x, i) => {
			const y = b.records[i];
			return (
				y !== undefined &&
				x.dataPath === y.dataPath &&
				x.nbytes === y.nbytes &&
				(x.md5sum === undefined || y.md5sum === undefined || x.md5sum === y.md5sum)
			);
		})
	);
}

/** "https://huggingface.co/mlc-ai/Name-MLC/resolve/main/" -> "Name-MLC". */
export function repositoryName(model: string): string {
	const parts = model.split('?')[0]?.split('/').filter(Boolean) ?? [];
	const at = parts.indexOf('resolve');
	return (at >= 0 ? parts.slice(0, at) : parts).at(-1) ?? '';
}

const fileName = (url: string) => url.split('?')[0]?.split('/').pop() ?? '';

function usableAddresses(record: ModelRecord): boolean {
	try {
		modelBaseUrl(record.model);
		return isLibraryCacheable(record.model_lib);
	} catch {
		return false;
	}
}

export async function identify(input: IdentityInput, context: IdentityContext): Promise<Identity> {
	const { manifest } = input;
	const compatible = async (record: ModelRecord) => {
		const stored = await context.storedCache(record);
		return stored === null || sameShards(stored, input.cache);
	};

	// 1. A catalog model.
	const candidates = context.catalog.filter((r) =>
		manifest
			? r.model_id === manifest.record.model_id &&
				r.model === manifest.record.model &&
				r.model_lib === manifest.record.model_lib
			: repositoryName(r.model).toLowerCase() === input.name.toLowerCase() &&
				fileName(r.model_lib) === input.libraryName
	);
	for (const record of candidates) {
		if (await compatible(record)) {
			return { record, kind: modelKind(record), custom: false, existing: false };
		}
	}

	// 2. A custom model: the manifest's own addresses when they are usable and free, else made up.
	let record = importedRecord(
		manifest?.record.model_id ?? input.name,
		input.cacheDigest,
		input.libraryName
	);
	if (manifest?.custom && usableAddresses(manifest.record) && (await compatible(manifest.record))) {
		record = { ...manifest.record };
	}
	const same = context.custom.find(
		(r) =>
			r.model_id === record.model_id && r.model === record.model && r.model_lib === record.model_lib
	);
	if (same) {
		return { record: same, kind: input.kind ?? modelKind(same), custom: true, existing: true };
	}
	// A name already taken (a catalog model whose files these are not, another custom model).
	const taken = new Set([...context.catalog, ...context.custom].map((r) => r.model_id));
	let id = record.model_id;
	for (let n = 2; taken.has(id); n++) id = `${record.model_id}-${n}`;
	const completed = completeRecord(
		{ ...record, model_id: id },
		input.config,
		input.kind ?? manifest?.kind
	);
	return { ...completed, custom: true, existing: false };
}
