// What the compare page keeps between visits: the stored votes, suites, runs and saved comparisons
// (through CompareRepository), and the user's choices (models, shared settings, blind mode and the
// GPU memory budget, through the settings store). Every value read back is checked, with defaults.
// A storage failure keeps what is shown and sets `error` (a StorageError) until the next success.
import { StorageError } from '$lib/storage/errors';
import type { SettingsRepository } from '$lib/storage/settings';
import { isRecord } from '$lib/storage/validate';
import { parseVotesJson, votesToJson } from './export';
import type { CompareRepository } from './repository';
import {
	DEFAULT_COMPARE_SETTINGS,
	type CompareSettings,
	type SavedComparison,
	type Suite,
	type SuiteRun,
	type Vote
} from './types';
import { readCompareSettings } from './validate';

const KEYS = {
	budget: 'compare.memoryBudgetMB',
	settings: 'compare.settings',
	models: 'compare.models',
	blind: 'compare.blind'
} as const;

const isBudget = (x: unknown): x is number | null =>
	x === null || (typeof x === 'number' && Number.isFinite(x) && x > 0);
const isIdList = (x: unknown): x is string[] =>
	Array.isArray(x) && x.length <= 4 && x.every((s) => typeof s === 'string');
const isBoolean = (x: unknown): x is boolean => typeof x === 'boolean';

export interface NewSuite {
	id?: string;
	name: string;
	prompts: string[];
	tags: string[];
}

export class CompareStore {
	#repository: CompareRepository;
	#settingsRepo: SettingsRepository;
	#now: () => number;
	#newId: () => string;
	#votes = $state.raw<Vote[]>([]);
	#suites = $state.raw<Suite[]>([]);
	#runs = $state.raw<SuiteRun[]>([]);
	#comparisons = $state.raw<SavedComparison[]>([]);
	#budgetMB = $state<number | null>(null);
	#settings = $state.raw<CompareSettings>(DEFAULT_COMPARE_SETTINGS);
	#models = $state.raw<string[]>([]);
	#blind = $state(true);
	#ready = $state(false);
	#error = $state.raw<StorageError | null>(null);

	constructor(
		repository: CompareRepository,
		settings: SettingsRepository,
		options: { now?: () => number; newId?: () => string } = {}
	) {
		this.#repository = repository;
		this.#settingsRepo = settings;
		this.#now = options.now ?? Date.now;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
	}

	get votes() {
		return this.#votes;
	}
	get suites() {
		return this.#suites;
	}
	get runs() {
		return this.#runs;
	}
	get comparisons() {
		return this.#comparisons;
	}
	/** The user's figure, or null to use the device's guess. */
	get budgetMB() {
		return this.#budgetMB;
	}
	get settings() {
		return this.#settings;
	}
	get models() {
		return this.#models;
	}
	get blind() {
		return this.#blind;
	}
	get ready() {
		return this.#ready;
	}
	/** The last storage failure; null once reading or writing works again. */
	get error() {
		return this.#error;
	}

	dismissError() {
		this.#error = null;
	}

	async load() {
		const s = this.#settingsRepo;
		const [budget, settings, models, blind] = await Promise.all([
			s.get(KEYS.budget, isBudget, null),
			s.get(KEYS.settings, isRecord, null),
			s.get(KEYS.models, isIdList, []),
			s.get(KEYS.blind, isBoolean, true)
		]);
		this.#budgetMB = budget;
		this.#settings = settings ? readCompareSettings(settings) : DEFAULT_COMPARE_SETTINGS;
		this.#models = models;
		this.#blind = blind;
		await this.refresh();
		this.#ready = true;
	}

	async refresh() {
		try {
			const [votes, suites, runs, comparisons] = await Promise.all([
				this.#repository.listVotes(),
				this.#repository.listSuites(),
				this.#repository.listRuns(),
				this.#repository.listComparisons()
			]);
			this.#votes = votes;
			this.#suites = suites;
			this.#runs = runs;
			this.#comparisons = comparisons;
			this.#error = null;
		} catch (error) {
			this.#error = StorageError.from(error);
		}
	}

	/** Runs a write, then reads everything again; a failure is kept in `error` and gives false. */
	async #write(work: () => Promise<unknown>): Promise<boolean> {
		try {
			await work();
		} catch (error) {
			this.#error = StorageError.from(error);
			return false;
		}
		await this.refresh();
		return true;
	}

	#persist(key: string, value: unknown) {
		void this.#settingsRepo
			.set(key, value)
			.catch((e: unknown) => (this.#error = StorageError.from(e)));
	}

	setBudget(mb: number | null) {
		this.#budgetMB = isBudget(mb) ? mb : null;
		this.#persist(KEYS.budget, this.#budgetMB);
	}

	setSettings(settings: CompareSettings) {
		this.#settings = settings;
		this.#persist(KEYS.settings, settings);
	}

	setModels(models: string[]) {
		this.#models = models;
		this.#persist(KEYS.models, models);
	}

	setBlind(blind: boolean) {
		this.#blind = blind;
		this.#persist(KEYS.blind, blind);
	}

	/** The suite as saved; null if it could not be (`error` says why). */
	async saveSuite(input: NewSuite): Promise<Suite | null> {
		const now = this.#now();
		const existing = this.#suites.find((s) => s.id === input.id);
		const suite: Suite = {
			id: existing?.id ?? this.#newId(),
			name: input.name.trim() || 'Suite',
			prompts: input.prompts,
			tags: input.tags,
			createdAt: existing?.createdAt ?? now,
			updatedAt: now
		};
		return (await this.#write(() => this.#repository.putSuite(suite))) ? suite : null;
	}

	async deleteSuite(id: string) {
		await this.#write(() => this.#repository.deleteSuite(id));
	}

	async deleteRun(id: string) {
		await this.#write(() => this.#repository.deleteRun(id));
	}

	async deleteComparison(id: string) {
		await this.#write(() => this.#repository.deleteComparison(id));
	}

	exportVotes(): string {
		return votesToJson(this.#votes, this.#now());
	}

	/**
	 * Validates the whole file first (throws ImportError); returns how many votes were added. A
	 * storage failure throws its StorageError.
	 */
	async importVotes(fileText: string): Promise<number> {
		const votes = parseVotesJson(fileText);
		const count = await this.#repository.importVotes(votes);
		await this.refresh();
		return count;
	}
}
