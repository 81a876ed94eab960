// The catalog as the Models page shows it: each record with its facts and fit verdict, filtered
// and grouped by family. Pure functions, so the order and the filters are unit-tested; the page
// only renders what they return.
import type { GpuReport } from '$lib/engine/gpu';
import type { ModelRecord } from '$lib/engine/types';
import { modelKind, type ModelKind } from './catalog';
import { describeModel, type Family, type ModelFacts } from './families';
import { checkFit, type FitResult, type FitVerdict } from './fit';
import { libraryText } from './strings';

export interface CatalogEntry {
	record: ModelRecord;
	kind: ModelKind;
	/** Added by the user, not in WebLLM's list. */
	custom: boolean;
	facts: ModelFacts;
	/** Null while the GPU has not been probed yet. */
	fit: FitResult | null;
}

const KIND_ORDER: Record<ModelKind, number> = { chat: 0, vision: 1, embedding: 2 };

/**
 * Entries already made for the same record, report and budget are reused, so that adding one
 * custom model does not rebuild (and re-render) the other 165 entries.
 */
const made = new WeakMap<ModelRecord, { key: unknown[]; entry: CatalogEntry }>();

export function catalogEntries(
	records: readonly ModelRecord[],
	customIds: ReadonlySet<string>,
	report: GpuReport | null,
	budgetMB?: number
): CatalogEntry[] {
	return records.map((record) => {
		const key = [report, budgetMB, customIds.has(record.model_id)];
		const old = made.get(record);
		if (old && old.key.every((k, i) => k === key[i])) return old.entry;
		const entry: CatalogEntry = {
			record,
			kind: modelKind(record),
			custom: customIds.has(record.model_id),
			facts: describeModel(record),
			fit: report ? checkFit(record, { report, budgetMB, records }) : null
		};
		made.set(record, { key, entry });
		return entry;
	});
}

export type ParameterBucket = 'any' | 'under-1b' | '1b-4b' | '4b-9b' | '9b-plus';

export const PARAMETER_BUCKETS: readonly ParameterBucket[] = [
	'any',
	'under-1b',
	'1b-4b',
	'4b-9b',
	'9b-plus'
];

/** Smallest context windows worth filtering by. */
export const CONTEXT_STEPS: readonly number[] = [0, 4096, 8192, 32768, 131072];

export interface CatalogFilters {
	/** Words that must all appear in the id, family name or maker (case-insensitive). */
	query: string;
	parameters: ParameterBucket;
	/** A quantization such as "q4f32_1", or "any". */
	quantization: string;
	/** Smallest context window in tokens; 0 = any. */
	minContext: number;
	/** Only models whose verdict is not "not supported here". */
	fitsOnly: boolean;
	/** Only models with files stored (complete or partial). */
	downloadedOnly: boolean;
}

export const NO_FILTERS: CatalogFilters = {
	query: '',
	parameters: 'any',
	quantization: 'any',
	minContext: 0,
	fitsOnly: false,
	downloadedOnly: false
};

function inBucket(billions: number | undefined, bucket: ParameterBucket): boolean {
	if (bucket === 'any') return true;
	if (billions === undefined) return false;
	switch (bucket) {
		case 'under-1b':
			return billions < 1;
		case '1b-4b':
			return billions >= 1 && billions < 4;
		case '4b-9b':
			return billions >= 4 && billions < 9;
		case '9b-plus':
			return billions >= 9;
	}
}

export function filterEntries(
	entries: readonly CatalogEntry[],
	filters: CatalogFilters,
	isDownloaded: (modelId: string) => boolean
): CatalogEntry[] {
	const words = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
	return entries.filter((e) => {
		const haystack =
			`${e.record.model_id} ${e.facts.displayName} ${e.facts.family.name} ${e.facts.family.maker}`.toLowerCase();
		if (!words.every((w) => haystack.includes(w))) return false;
		if (!inBucket(e.facts.parameters?.billions, filters.parameters)) return false;
		if (filters.quantization !== 'any' && e.facts.quantization !== filters.quantization)
			return false;
		if (e.facts.contextWindow < filters.minContext) return false;
		if (filters.fitsOnly && e.fit?.verdict === 'unsupported') return false;
		if (filters.downloadedOnly && !isDownloaded(e.record.model_id)) return false;
		return true;
	});
}

/** Every quantization in the list, sorted. */
export function quantizationsOf(entries: readonly CatalogEntry[]): string[] {
	const set = new Set<string>();
	for (const e of entries) if (e.facts.quantization) set.add(e.facts.quantization);
	return [...set].sort();
}

export interface FamilyGroup {
	key: string;
	family: Family;
	/** The family's name, or "Custom" for the user's own models. */
	title: string;
	entries: CatalogEntry[];
}

function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
	return (
		KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
		(a.facts.parameters?.billions ?? Infinity) - (b.facts.parameters?.billions ?? Infinity) ||
		a.record.model_id.localeCompare(b.record.model_id)
	);
}

/**
 * Custom models first, then families with chat models (alphabetically), then families of only
 * vision or embedding models; within a family: chat, vision, embedding, smallest first.
 */
export function groupByFamily(entries: readonly CatalogEntry[]): FamilyGroup[] {
	const groups = new Map<string, FamilyGroup>();
	for (const entry of entries) {
		const key = entry.custom ? 'custom' : entry.facts.family.key;
		let group = groups.get(key);
		if (!group) {
			group = {
				key,
				family: entry.facts.family,
				title: entry.custom ? libraryText.custom : entry.facts.family.name,
				entries: []
			};
			groups.set(key, group);
		}
		group.entries.push(entry);
	}
	const list = [...groups.values()];
	for (const g of list) g.entries.sort(compareEntries);
	const rank = (g: FamilyGroup) =>
		g.key === 'custom' ? -1 : Math.min(...g.entries.map((e) => KIND_ORDER[e.kind]));
	return list.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
}

/**
 * The chat picker's list: every model that can hold a conversation (chat and vision models,
 * custom ones included; not embedding models), the smallest first (records without a VRAM figure,
 * such as custom models, last).
 */
export function pickerModels(records: readonly ModelRecord[]): ModelRecord[] {
	return records
		.filter((r) => modelKind(r) !== 'embedding')
		.sort((a, b) => (a.vram_required_MB ?? Infinity) - (b.vram_required_MB ?? Infinity));
}

/**
 * The models to offer first, best first: those ready offline, then (in the given order, e.g. the
 * smallest first) those that run on this GPU without a memory warning, then those with a warning,
 * then those refused here. Before the GPU is probed, the given order stands. Chat offers the first
 * for a new conversation; Compare the first two, until the user picks.
 */
export function preferredModels(
	records: readonly ModelRecord[],
	readyOffline: (modelId: string) => boolean,
	report: GpuReport | null,
	count: number
): ModelRecord[] {
	const verdictRank: Record<FitVerdict, number> = { runs: 1, 'may-oom': 2, unsupported: 3 };
	const rank = (r: ModelRecord) => {
		if (readyOffline(r.model_id)) return 0;
		return report ? verdictRank[checkFit(r, { report, records }).verdict] : 1;
	};
	return records
		.map((record, index) => ({ record, index, rank: rank(record) }))
		.sort((a, b) => a.rank - b.rank || a.index - b.index)
		.slice(0, count)
		.map((r) => r.record);
}

/** The model a new conversation offers first (see `preferredModels`). */
export function preferredModel(
	records: readonly ModelRecord[],
	readyOffline: (modelId: string) => boolean,
	report: GpuReport | null
): ModelRecord | undefined {
	return preferredModels(records, readyOffline, report, 1)[0];
}
