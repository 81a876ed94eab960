// Blind mode: panes are shown in a shuffled order under letters, and the vote is recorded against
// the models behind the letters. The order comes from a seed, so a saved comparison shows the same
// letters when it is reopened, and tests can fix it.
import { seededRandom, shuffle } from './random';
import type { Vote, VoteOutcome } from './types';

export const PANE_LABELS = ['A', 'B', 'C', 'D'] as const;

/** Display position -> pane index. Named mode keeps the picked order. */
export function paneOrder(count: number, blind: boolean, seed: number): number[] {
	const identity = Array.from({ length: count }, (_, i) => i);
	return blind ? shuffle(identity, seededRandom(seed)) : identity;
}

/** The letter for a display position ("A" for the first pane shown). */
export function paneLabel(position: number): string {
	return PANE_LABELS[position] ?? String(position + 1);
}

/**
 * What the user can answer. Two panes: "A better", "B better", tie, both bad. More panes: "A is
 * best", ..., tie, all bad. `position` refers to the display order.
 */
export type Ballot = { kind: 'best'; position: number } | { kind: 'tie' } | { kind: 'both-bad' };

export function ballotOptions(count: number): Ballot[] {
	return [
		...Array.from({ length: count }, (_, position): Ballot => ({ kind: 'best', position })),
		{ kind: 'tie' },
		{ kind: 'both-bad' }
	];
}

/** Turns a ballot on the shown panes into an outcome on models. */
export function outcomeOf(ballot: Ballot, order: readonly number[], models: readonly string[]) {
	if (ballot.kind !== 'best') return { kind: ballot.kind } satisfies VoteOutcome;
	const pane = order[ballot.position];
	const modelId = pane === undefined ? undefined : models[pane];
	if (modelId === undefined) throw new RangeError(`no pane at position ${ballot.position}`);
	return { kind: 'winner', modelId } satisfies VoteOutcome;
}

/** Tags as typed ("Code, poems ,code") -> ["code", "poems"]. */
export function parseTags(input: string): string[] {
	return [
		...new Set(
			input
				.split(',')
				.map((t) => t.trim().toLowerCase())
				.filter(Boolean)
		)
	];
}

export interface NewVoteInput {
	id: string;
	createdAt: number;
	/** Models in display order. */
	models: string[];
	outcome: VoteOutcome;
	blind: boolean;
	prompt: string;
	tags: string[];
	comparisonId?: string;
}

export function makeVote(input: NewVoteInput): Vote {
	return {
		id: input.id,
		createdAt: input.createdAt,
		models: input.models,
		outcome: input.outcome,
		blind: input.blind,
		prompt: input.prompt,
		tags: input.tags,
		...(input.comparisonId ? { comparisonId: input.comparisonId } : {})
	};
}
