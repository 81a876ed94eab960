// Compare's agreement figure: how close the panes' answers are in meaning, as the cosine similarity
// of their embeddings (each answer one vector: the mean of its pieces', vectors.ts). The figure is
// the mean over every pair of panes, and each pair is kept for three or more panes.
import { cosine, meanOfUnits, pieces } from './vectors';

export interface PairAgreement {
	/** Positions of the two answers in the list measured. */
	a: number;
	b: number;
	/** Cosine similarity, -1..1 (in practice 0..1 for text). */
	score: number;
}

export interface Agreement {
	/** Mean of the pairs' scores. */
	mean: number;
	pairs: PairAgreement[];
}

/** The texts to embed for `answers`, and how to put each answer's vector back together. */
export function agreementInput(answers: readonly string[]): { texts: string[]; owners: number[] } {
	const texts: string[] = [];
	const owners: number[] = [];
	answers.forEach((answer, i) => {
		for (const piece of pieces(answer)) {
			texts.push(piece);
			owners.push(i);
		}
	});
	return { texts, owners };
}

/** The agreement of `count` answers from their pieces' vectors (`owners` as agreementInput gave). */
export function agreementOf(
	count: number,
	vectors: readonly Float32Array[],
	owners: readonly number[]
): Agreement | null {
	const perAnswer = Array.from({ length: count }, (_, i) =>
		meanOfUnits(vectors.filter((_, j) => owners[j] === i))
	);
	if (count < 2 || perAnswer.some((v) => v.length === 0)) return null;
	const pairs: PairAgreement[] = [];
	for (let a = 0; a < count; a++)
		for (let b = a + 1; b < count; b++)
			pairs.push({
				a,
				b,
				score: cosine(perAnswer[a] as Float32Array, perAnswer[b] as Float32Array)
			});
	const mean = pairs.reduce((sum, p) => sum + p.score, 0) / pairs.length;
	return { mean, pairs };
}
