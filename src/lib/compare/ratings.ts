// Ratings from votes. A vote becomes pairwise results: the winner beats every other model shown;
// a tie or "both bad" is a draw between every pair (worth half a win each). Bradley-Terry fits one
// strength per model so that P(i beats j) = p_i / (p_i + p_j), by Hunter's MM iteration. Ratings
// are shown on the familiar Elo scale: 1000 + 400 log10(p).
//
// Few votes are the normal case for one person, so two things keep the numbers honest:
// - a prior: each model plays `prior` virtual wins and losses against a fixed anchor, which keeps
//   an undefeated model finite and separate groups of models comparable; ratings are then centred
//   on 1000;
// - a 95% interval from the Fisher information (the curvature of the log-likelihood at the fit),
//   which is wide with few votes and narrows as they accumulate.
// Elo (sequential, K = 32) is offered too: it depends on the order of votes, Bradley-Terry does not.
import type { Vote } from './types';

export interface PairResult {
	a: string;
	b: string;
	/** 1: a won, 0: b won, 0.5: draw. */
	score: 0 | 0.5 | 1;
}

export function pairsFromVote(vote: Pick<Vote, 'models' | 'outcome'>): PairResult[] {
	const pairs: PairResult[] = [];
	const { models, outcome } = vote;
	if (outcome.kind === 'winner') {
		for (const other of models)
			if (other !== outcome.modelId) pairs.push({ a: outcome.modelId, b: other, score: 1 });
		return pairs;
	}
	for (let i = 0; i < models.length; i++)
		for (let j = i + 1; j < models.length; j++)
			pairs.push({ a: models[i] as string, b: models[j] as string, score: 0.5 });
	return pairs;
}

export interface Rating {
	modelId: string;
	rating: number;
	/** 95% interval. */
	low: number;
	high: number;
	/** Votes the model took part in. */
	votes: number;
	wins: number;
	losses: number;
	ties: number;
	bothBad: number;
}

type Counts = Pick<Rating, 'votes' | 'wins' | 'losses' | 'ties' | 'bothBad'>;

export interface BradleyTerryOptions {
	/** Virtual wins and losses against the anchor, per model. 0 = plain maximum likelihood. */
	prior?: number;
	/** z for the interval (1.96: 95%). */
	z?: number;
}

export const ELO_SCALE = 400 / Math.LN10;
const BASE = 1000;

/** Solves A x = b for a small dense system by Gauss-Jordan; null if singular. */
function inverse(matrix: number[][]): number[][] | null {
	const n = matrix.length;
	const m = matrix.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
	for (let col = 0; col < n; col++) {
		let pivot = col;
		for (let r = col + 1; r < n; r++)
			if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
		const p = m[pivot];
		if (!p || Math.abs(p[col] ?? 0) < 1e-12) return null;
		[m[col], m[pivot]] = [p, m[col] as number[]];
		const div = p[col] as number;
		for (let k = 0; k < 2 * n; k++) p[k] = (p[k] as number) / div;
		for (let r = 0; r < n; r++) {
			const row = m[r] as number[];
			if (r === col) continue;
			const f = row[col] as number;
			if (f !== 0)
				for (let k = 0; k < 2 * n; k++) row[k] = (row[k] as number) - f * (p[k] as number);
		}
	}
	return m.map((row) => row.slice(n));
}

/** P C P with P = I - J/n: the covariance of the centred parameters. */
function centre(c: number[][] | null): number[][] | null {
	if (!c) return null;
	const n = c.length;
	const rowMean = c.map((row) => row.reduce((a, b) => a + b, 0) / n);
	const all = rowMean.reduce((a, b) => a + b, 0) / n;
	// C is symmetric, so column means equal row means.
	return c.map((row, i) =>
		row.map((x, j) => x - (rowMean[i] as number) - (rowMean[j] as number) + all)
	);
}

/** Bradley-Terry ratings with intervals and counts, best first. */
export function bradleyTerry(votes: readonly Vote[], options: BradleyTerryOptions = {}): Rating[] {
	const prior = options.prior ?? 0.5;
	const z = options.z ?? 1.96;
	const ids = [...new Set(votes.flatMap((v) => v.models))].sort();
	const n = ids.length;
	if (n === 0) return [];
	const index = new Map(ids.map((id, i) => [id, i]));
	const games = ids.map(() => ids.map(() => 0));
	const wins = ids.map(() => 0);
	const counts = ids.map((): Counts => ({ votes: 0, wins: 0, losses: 0, ties: 0, bothBad: 0 }));
	for (const vote of votes) {
		for (const id of vote.models) {
			const c = counts[index.get(id) as number];
			if (!c) continue;
			c.votes++;
			if (vote.outcome.kind === 'winner') {
				if (vote.outcome.modelId === id) c.wins++;
				else c.losses++;
			} else if (vote.outcome.kind === 'tie') c.ties++;
			else c.bothBad++;
		}
		for (const { a, b, score } of pairsFromVote(vote)) {
			const i = index.get(a) as number;
			const j = index.get(b) as number;
			(games[i] as number[])[j] = ((games[i] as number[])[j] as number) + 1;
			(games[j] as number[])[i] = ((games[j] as number[])[i] as number) + 1;
			wins[i] = (wins[i] as number) + score;
			wins[j] = (wins[j] as number) + 1 - score;
		}
	}

	// MM iteration on strengths p (the anchor has p = 1).
	let p = ids.map(() => 1);
	for (let iter = 0; iter < 10_000; iter++) {
		const next = p.map((pi, i) => {
			let denominator = prior > 0 ? (2 * prior) / (pi + 1) : 0;
			for (let j = 0; j < n; j++) {
				const g = (games[i] as number[])[j] as number;
				if (g > 0) denominator += g / (pi + (p[j] as number));
			}
			const w = (wins[i] as number) + prior;
			// No games and no prior: nothing to fit.
			return denominator > 0 ? Math.max(w, 1e-9) / denominator : 1;
		});
		if (prior === 0) {
			// Without an anchor only ratios are defined: fix the geometric mean at 1.
			const mean = Math.exp(next.reduce((s, x) => s + Math.log(x), 0) / n);
			for (let i = 0; i < n; i++) next[i] = (next[i] as number) / mean;
		}
		const change = Math.max(...next.map((x, i) => Math.abs(Math.log(x / (p[i] as number)))));
		p = next;
		if (change < 1e-12) break;
	}

	// Fisher information of theta = ln p.
	const info = ids.map(() => ids.map(() => 0));
	for (let i = 0; i < n; i++) {
		const row = info[i] as number[];
		if (prior > 0) {
			const q = (p[i] as number) / ((p[i] as number) + 1);
			row[i] = (row[i] as number) + 2 * prior * q * (1 - q);
		}
		for (let j = 0; j < n; j++) {
			const g = (games[i] as number[])[j] as number;
			if (i === j || g === 0) continue;
			const q = (p[i] as number) / ((p[i] as number) + (p[j] as number));
			row[i] = (row[i] as number) + g * q * (1 - q);
			row[j] = (row[j] as number) - g * q * (1 - q);
		}
	}
	// Ratings are shown centred (mean 1000), so the interval is that of theta_i - mean(theta): the
	// prior's anchor steadies the fit but must not add its own uncertainty to every model.
	let covariance: number[][] | null;
	if (prior > 0) covariance = centre(inverse(info));
	else {
		// Without a prior the information is singular along (1, ..., 1): the pseudo-inverse,
		// (I + J/n)^-1 - J/n for a connected comparison graph, is already centred.
		const shifted = inverse(info.map((row) => row.map((x) => x + 1 / n)));
		covariance = shifted && shifted.map((row) => row.map((x) => x - 1 / n));
	}
	const meanLog = p.reduce((sum, x) => sum + Math.log(x), 0) / n;
	return ids
		.map((modelId, i) => {
			const rating = BASE + ELO_SCALE * (Math.log(p[i] as number) - meanLog);
			const variance = covariance?.[i]?.[i];
			const half =
				variance !== undefined && variance >= 0 ? z * ELO_SCALE * Math.sqrt(variance) : Infinity;
			return {
				modelId,
				rating,
				low: rating - half,
				high: rating + half,
				...(counts[i] as Counts)
			};
		})
		.sort((x, y) => y.rating - x.rating || x.modelId.localeCompare(y.modelId));
}

/** Sequential Elo over the votes in the order given (oldest first). */
export function elo(votes: readonly Vote[], k = 32): Map<string, number> {
	const ratings = new Map<string, number>();
	const get = (id: string) => ratings.get(id) ?? BASE;
	for (const vote of votes) {
		const delta = new Map<string, number>();
		for (const { a, b, score } of pairsFromVote(vote)) {
			const expected = 1 / (1 + 10 ** ((get(b) - get(a)) / 400));
			const change = k * (score - expected);
			delta.set(a, (delta.get(a) ?? 0) + change);
			delta.set(b, (delta.get(b) ?? 0) - change);
		}
		// Pairs of one vote are applied together, so their order inside the vote does not matter.
		for (const [id, d] of delta) ratings.set(id, get(id) + d);
	}
	return ratings;
}

/** Distinct tags across votes, sorted. */
export function voteTags(votes: readonly Vote[]): string[] {
	return [...new Set(votes.flatMap((v) => v.tags))].sort();
}

export function filterByTag(votes: readonly Vote[], tag: string | null): Vote[] {
	return tag ? votes.filter((v) => v.tags.includes(tag)) : [...votes];
}
