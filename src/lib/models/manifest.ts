// lantern-model.json: what Lantern's export writes beside a model's files, so that another
// Lantern imports the model as the same model (a catalog model stays that catalog model; a custom
// one keeps its name, kind and addresses). A folder without it (an MLC model from elsewhere) is
// recognised from its files instead (see identity.ts).
import type { ModelRecord } from '$lib/engine/types';
import type { ModelKind } from './catalog';
import { readModelRecord } from './customModels';

export const MANIFEST_FORMAT = 'lantern-model';
export const MANIFEST_VERSION = 1;

export interface ExportManifest {
	format: typeof MANIFEST_FORMAT;
	version: number;
	/** The model's WebLLM record as this Lantern knew it. */
	record: ModelRecord;
	kind: ModelKind;
	/** The model library's file name in the folder. */
	library: string;
	/** Whether it was one of the user's custom models. */
	custom: boolean;
}

const KINDS: readonly ModelKind[] = ['chat', 'embedding', 'vision'];

export function makeManifest(
	record: ModelRecord,
	kind: ModelKind,
	library: string,
	custom: boolean
): ExportManifest {
	return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, record, kind, library, custom };
}

/** A manifest read back, or null when the value is not one (it is then ignored, not trusted). */
export function readManifest(value: unknown): ExportManifest | null {
	if (typeof value !== 'object' || value === null) return null;
	const x = value as Record<string, unknown>;
	if (x.format !== MANIFEST_FORMAT || typeof x.version !== 'number') return null;
	const record = readModelRecord(x.record);
	if (!record || typeof x.library !== 'string') return null;
	const kind = KINDS.includes(x.kind as ModelKind) ? (x.kind as ModelKind) : 'chat';
	return {
		format: MANIFEST_FORMAT,
		version: x.version,
		record,
		kind,
		library: x.library,
		custom: x.custom === true
	};
}
