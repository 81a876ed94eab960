// Storage for comparisons: votes, prompt suites, suite runs and saved comparisons, in the app's
// IndexedDB database (stores added by one upgrade step in storage/db.ts). Everything read back is
// validated (validate.ts); unreadable records are skipped rather than crashing the page. Failures
// surface as StorageErrors.
import { connect, type Connection } from '$lib/storage/db';
import { storageOp } from '$lib/storage/errors';
import { readAll } from '$lib/storage/validate';
import type { SavedComparison, Suite, SuiteRun, Vote } from './types';
import { readSavedComparison, readSuite, readSuiteRun, readVote } from './validate';

const newest = <T extends { updatedAt: number }>(a: T, b: T) => b.updatedAt - a.updatedAt;

export class CompareRepository {
	#db: Connection;

	constructor(db: Connection = connect()) {
		this.#db = db;
	}

	/** Oldest first (the order Elo needs). */
	listVotes(): Promise<Vote[]> {
		return storageOp(async () =>
			readAll(await (await this.#db()).getAll('compareVotes'), readVote, 'votes').sort(
				(a, b) => a.createdAt - b.createdAt
			)
		);
	}

	addVote(vote: Vote): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('compareVotes', vote);
		});
	}

	/** Adds validated votes in one transaction; a vote with a known id replaces the stored one. */
	importVotes(votes: readonly Vote[]): Promise<number> {
		return storageOp(async () => {
			const tx = (await this.#db()).transaction('compareVotes', 'readwrite');
			await Promise.all([...votes.map((v) => tx.store.put(v)), tx.done]);
			return votes.length;
		});
	}

	listSuites(): Promise<Suite[]> {
		return storageOp(async () =>
			readAll(await (await this.#db()).getAll('compareSuites'), readSuite, 'suites').sort(newest)
		);
	}

	putSuite(suite: Suite): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('compareSuites', suite);
		});
	}

	deleteSuite(id: string): Promise<void> {
		return storageOp(async () => (await this.#db()).delete('compareSuites', id));
	}

	listRuns(): Promise<SuiteRun[]> {
		return storageOp(async () =>
			readAll(await (await this.#db()).getAll('compareRuns'), readSuiteRun, 'runs').sort(newest)
		);
	}

	putRun(run: SuiteRun): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('compareRuns', run);
		});
	}

	deleteRun(id: string): Promise<void> {
		return storageOp(async () => (await this.#db()).delete('compareRuns', id));
	}

	listComparisons(): Promise<SavedComparison[]> {
		return storageOp(async () =>
			readAll(
				await (await this.#db()).getAll('comparisons'),
				readSavedComparison,
				'comparisons'
			).sort(newest)
		);
	}

	getComparison(id: string): Promise<SavedComparison | null> {
		return storageOp(async () =>
			readSavedComparison(await (await this.#db()).get('comparisons', id))
		);
	}

	putComparison(comparison: SavedComparison): Promise<void> {
		return storageOp(async () => {
			await (await this.#db()).put('comparisons', comparison);
		});
	}

	deleteComparison(id: string): Promise<void> {
		return storageOp(async () => (await this.#db()).delete('comparisons', id));
	}
}
