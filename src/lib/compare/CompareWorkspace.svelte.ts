// The Compare page's service (`compare`), created once in the root layout with the others: what
// is stored (CompareStore), the comparison on screen (CompareSession), the suite runner, and what
// they share: the model lookup (catalog and custom models) and the GPU memory budget. The page only
// renders them. Leaving the page stops what runs; the comparison on screen stays for the next visit.
import type { Engine, ModelRecord } from '$lib/engine/types';
import { FileTooBigError, readImportFile } from '$lib/files';
import { memoryBudgetMB } from '$lib/engine/memory';
import type { Connection } from '$lib/storage/db';
import { ConversationRepository } from '$lib/storage/conversations';
import { StorageError } from '$lib/storage/errors';
import { SettingsRepository } from '$lib/storage/settings';
import { fileTooBigText } from '$lib/strings';
import { CompareSession } from './CompareSession.svelte';
import { CompareStore } from './CompareStore.svelte';
import { CompareError } from './errors';
import { ImportError } from './export';
import { CompareRepository } from './repository';
import { compareText } from './strings';
import { SuiteRunner } from './SuiteRunner.svelte';
import type { SavedComparison } from './types';

export interface CompareWorkspaceDeps {
	connection: Connection;
	engine: Engine;
	/** The record of a model (catalog or custom) by id. */
	find: (modelId: string) => ModelRecord | undefined;
	/** navigator.deviceMemory, in GB, for the budget the device suggests. */
	deviceMemoryGB?: number;
}

export class CompareWorkspace {
	readonly store: CompareStore;
	readonly session: CompareSession;
	readonly runner: SuiteRunner;
	/** Where "Continue as chat" writes. */
	readonly conversations: ConversationRepository;
	readonly find: (modelId: string) => ModelRecord | undefined;
	/** The GPU memory budget the device suggests; undefined when it cannot tell. */
	readonly autoBudgetMB: number | undefined;
	#votesMessage = $state<string | null>(null);
	#openProblem = $state.raw<CompareError | null>(null);

	constructor(deps: CompareWorkspaceDeps) {
		const repository = new CompareRepository(deps.connection);
		this.store = new CompareStore(repository, new SettingsRepository(deps.connection));
		this.session = new CompareSession({ engine: deps.engine, repository });
		this.runner = new SuiteRunner({ engine: deps.engine, repository, find: deps.find });
		this.conversations = new ConversationRepository(deps.connection);
		this.find = deps.find;
		this.autoBudgetMB = memoryBudgetMB(deps.deviceMemoryGB);
	}

	/** The budget the schedule uses: the user's, else the device's guess. */
	get budgetMB(): number | undefined {
		return this.store.budgetMB ?? this.autoBudgetMB;
	}
	/** The outcome of the last votes import, in words. */
	get votesMessage() {
		return this.#votesMessage;
	}
	/** Why the last saved comparison could not be opened. */
	get openProblem() {
		return this.#openProblem;
	}

	/** The page is shown: reads what is stored. Returns what to do when it is left. */
	enter(): () => void {
		void this.store.load();
		return () => {
			this.session.stopAll();
			this.runner.stop();
		};
	}

	/** Shows a saved comparison; false (and `openProblem`) if one of its models is gone. */
	open(comparison: SavedComparison): boolean {
		const opened = this.session.open(comparison, this.find);
		this.#openProblem = opened
			? null
			: new CompareError('model-missing', comparison.panes.map((p) => p.modelId).join(', '));
		return opened;
	}

	async importVotes(file: File) {
		try {
			const fileText = await readImportFile('votes', file);
			this.#votesMessage = compareText.leaderboard.imported(await this.store.importVotes(fileText));
		} catch (error) {
			if (error instanceof FileTooBigError) {
				const { title, action } = fileTooBigText(error.kind, error.size, error.limit);
				this.#votesMessage = `${title} ${action}`;
			} else if (error instanceof StorageError) {
				const { title, action } = compareText.errors.storage[error.code];
				this.#votesMessage = compareText.leaderboard.importFailed(`${title} ${action}`);
			} else if (error instanceof ImportError) {
				this.#votesMessage = compareText.leaderboard.importFailed(error.message);
			} else throw error;
		}
	}
}
