// Retrieval: the passages that best match a question, in memory, by two measures fused.
//
// - Meaning: cosine similarity between the question's embedding and each passage's vector. Vectors
//   are L2-normalised as they are indexed (the question's too), so cosine is a dot product. Each
//   document's vectors sit in one flat Float32Array (row after row), and a query is one linear scan
//   over them: 20,000 passages of 768 numbers is 15 million multiply-adds, 60 MB read, a few
//   milliseconds; no approximate index is worth its complexity at the sizes a browser holds. The
//   scan is bound by memory, so it works through four rows at once (each of the question's numbers
//   read once for four passages) and keeps only the best candidates (`TopK`), never sorting or
//   allocating per passage. Only vectors made by the model asked for are compared.
// - Words: BM25 over each passage's words (text/words.ts), so exact names, codes and numbers that
//   an embedding blurs are found too. Each document keeps its own inverted index; the collection
//   statistics (how many passages hold a word) are kept up to date as documents come and go.
//
// The two rankings are fused by reciprocal rank fusion (score = sum of 1 / (60 + rank)), which
// needs no calibration between a cosine and a BM25 score, and rewards a passage that both find.
import { STOP_WORDS, words } from '$lib/text/words';
import type { Passage } from './types';

/** What a hit tells its caller about the passage (no vector). */
export type PassageInfo = Omit<Passage, 'vector' | 'model'>;

export interface Hit {
	passage: PassageInfo;
	/** Reciprocal rank fusion score (higher is better). */
	score: number;
	/** Cosine similarity with the question, or null without a vector for it. */
	similarity: number | null;
	/** BM25 score of the question's words (0 when none occur). */
	wordScore: number;
}

export interface Query {
	text: string;
	/** The question's embedding from `model`, or null to rank by words alone. */
	vector: Float32Array | null;
	/** Only these documents (a conversation's attachments); all when omitted. */
	documentIds?: ReadonlySet<string>;
	/** How many hits to return. */
	limit?: number;
}

/** Candidates each measure contributes to the fusion. */
const CANDIDATES = 50;
/** Reciprocal rank fusion's constant (Cormack et al.): dampens the weight of the very top ranks. */
const RRF_K = 60;
const BM25_K1 = 1.2;
const BM25_B = 0.75;

interface DocumentEntry {
	passages: PassageInfo[];
	/** Rows of `dims` numbers, one per passage; a passage without a vector has a row of zeros. */
	vectors: Float32Array;
	dims: number;
	/** Word -> [passage row, count, passage row, count, ...]. */
	postings: Map<string, number[]>;
	/** Words per passage. */
	lengths: Uint32Array;
}

interface Ranked {
	row: number;
	entry: DocumentEntry;
	value: number;
}

/** Keeps the best `size` values seen, best first (small arrays: insertion beats a heap). */
class TopK {
	readonly items: Ranked[] = [];
	/** The value a new item must beat: -Infinity until the list is full. */
	floor = -Infinity;
	constructor(readonly size: number) {}
	push(row: number, entry: DocumentEntry, value: number) {
		if (value <= this.floor) return;
		const items = this.items;
		let i = items.length;
		while (i > 0 && (items[i - 1] as Ranked).value < value) i--;
		items.splice(i, 0, { row, entry, value });
		if (items.length > this.size) items.pop();
		if (items.length === this.size) this.floor = (items.at(-1) as Ranked).value;
	}
}

export class RetrievalIndex {
	readonly model: string;
	#entries = new Map<string, DocumentEntry>();
	/** Passages that hold each word, over every document: BM25's document frequency. */
	#frequency = new Map<string, number>();
	#passageCount = 0;
	#totalLength = 0;

	/** `model`: the embedding model whose vectors count; others are ignored. */
	constructor(model: string) {
		this.model = model;
	}

	get documentCount() {
		return this.#entries.size;
	}

	get passageCount() {
		return this.#passageCount;
	}

	has(documentId: string): boolean {
		return this.#entries.has(documentId);
	}

	/** Sets (or replaces) what the index knows of one document. */
	setDocument(documentId: string, passages: readonly Passage[]) {
		const builder = this.build(documentId);
		builder.add(passages);
		builder.commit();
	}

	/**
	 * Builds a document's entry from passages given in batches (in order), so that a large
	 * document is indexed a batch per task; `commit` puts it in place of the old one.
	 */
	build(documentId: string): { add(passages: readonly Passage[]): void; commit(): void } {
		const infos: PassageInfo[] = [];
		const rows: Array<Float32Array | null> = [];
		const postings = new Map<string, number[]>();
		const lengths: number[] = [];
		let dims = 0;
		return {
			add: (passages) => {
				for (const passage of passages) {
					const row = infos.length;
					const { vector, model, ...info } = passage;
					infos.push(info);
					const usable = vector && model === this.model ? vector : null;
					if (usable && dims === 0) dims = usable.length;
					rows.push(usable && usable.length === dims ? usable : null);
					const counts = new Map<string, number>();
					const all = words(`${passage.headings.join(' ')} ${passage.text}`);
					for (const word of all) counts.set(word, (counts.get(word) ?? 0) + 1);
					lengths.push(all.length);
					for (const [word, count] of counts) {
						const list = postings.get(word);
						if (list) list.push(row, count);
						else postings.set(word, [row, count]);
					}
				}
			},
			commit: () => {
				this.deleteDocument(documentId);
				const vectors = new Float32Array(infos.length * dims);
				rows.forEach((v, row) => v && vectors.set(normalised(v), row * dims));
				for (const [word, list] of postings) {
					this.#frequency.set(word, (this.#frequency.get(word) ?? 0) + list.length / 2);
				}
				this.#passageCount += infos.length;
				for (const length of lengths) this.#totalLength += length;
				this.#entries.set(documentId, {
					passages: infos,
					vectors,
					dims,
					postings,
					lengths: Uint32Array.from(lengths)
				});
			}
		};
	}

	deleteDocument(documentId: string) {
		const entry = this.#entries.get(documentId);
		if (!entry) return;
		this.#entries.delete(documentId);
		this.#passageCount -= entry.passages.length;
		for (const length of entry.lengths) this.#totalLength -= length;
		for (const [word, list] of entry.postings) {
			const left = (this.#frequency.get(word) ?? 0) - list.length / 2;
			if (left > 0) this.#frequency.set(word, left);
			else this.#frequency.delete(word);
		}
	}

	search(query: Query): Hit[] {
		const limit = query.limit ?? 10;
		const entries = [...this.#entries].filter(
			([id]) => !query.documentIds || query.documentIds.has(id)
		);
		const vector = query.vector ? normalised(query.vector) : null;
		const byMeaning = vector ? this.#nearest(entries, vector) : [];
		const byWords = this.#bm25(entries, query.text);
		const fused = new Map<PassageInfo, Hit>();
		const hit = (r: Ranked): Hit => {
			const passage = r.entry.passages[r.row] as PassageInfo;
			let found = fused.get(passage);
			if (!found) {
				found = { passage, score: 0, similarity: null, wordScore: 0 };
				fused.set(passage, found);
			}
			return found;
		};
		byMeaning.forEach((r, rank) => {
			const h = hit(r);
			h.score += 1 / (RRF_K + rank + 1);
			h.similarity = r.value;
		});
		byWords.forEach((r, rank) => {
			const h = hit(r);
			h.score += 1 / (RRF_K + rank + 1);
			h.wordScore = r.value;
		});
		// Meaning hits whose own similarity is unknown were never scored by it: fill it in.
		if (vector) {
			for (const r of byWords) {
				const h = hit(r);
				if (h.similarity === null && r.entry.dims === vector.length) {
					h.similarity = dot(r.entry.vectors, r.row * r.entry.dims, vector);
				}
			}
		}
		return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, limit);
	}

	#nearest(entries: ReadonlyArray<[string, DocumentEntry]>, vector: Float32Array): Ranked[] {
		const top = new TopK(CANDIDATES);
		const dims = vector.length;
		let scores = new Float64Array(0);
		for (const [, entry] of entries) {
			if (entry.dims !== dims) continue;
			const rows = entry.passages.length;
			if (scores.length < rows) scores = new Float64Array(rows);
			dotRows(entry.vectors, rows, vector, scores);
			for (let row = 0; row < rows; row++) {
				const value = scores[row] as number;
				// A row of zeros is a passage without a vector from this model.
				if (value > top.floor && value !== 0) top.push(row, entry, value);
			}
		}
		return top.items;
	}

	#bm25(entries: ReadonlyArray<[string, DocumentEntry]>, text: string): Ranked[] {
		const terms = [...new Set(words(text).filter((w) => !STOP_WORDS.has(w)))];
		if (terms.length === 0 || this.#passageCount === 0) return [];
		const average = this.#totalLength / this.#passageCount || 1;
		const idf = terms.map((term) => {
			const n = this.#frequency.get(term) ?? 0;
			return Math.log(1 + (this.#passageCount - n + 0.5) / (n + 0.5));
		});
		const top = new TopK(CANDIDATES);
		for (const [, entry] of entries) {
			const rows = entry.passages.length;
			let scores: Float64Array | null = null;
			terms.forEach((term, t) => {
				const list = entry.postings.get(term);
				if (!list) return;
				scores ??= new Float64Array(rows);
				const weight = idf[t] as number;
				for (let i = 0; i < list.length; i += 2) {
					const row = list[i] as number;
					const tf = list[i + 1] as number;
					const norm = 1 - BM25_B + (BM25_B * (entry.lengths[row] ?? 0)) / average;
					scores[row] =
						(scores[row] as number) + (weight * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm);
				}
			});
			const found: Float64Array | null = scores;
			if (!found) continue;
			for (let row = 0; row < rows; row++) {
				const value = found[row] as number;
				if (value > 0 && value > top.floor) top.push(row, entry, value);
			}
		}
		return top.items;
	}
}

/**
 * The vector scaled to length 1, so that a dot product is the cosine. Models differ (and an
 * OpenAI-compatible server may not normalise): retrieval does not rely on it.
 */
function normalised(vector: Float32Array): Float32Array {
	let sum = 0;
	for (const x of vector) sum += x * x;
	const norm = Math.sqrt(sum);
	if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
	return vector.map((x) => x / norm);
}

/**
 * Row `offset` of `matrix` times `vector`, summed in the same order as `dotRows` (so a passage's
 * similarity is the same number whichever way it was computed).
 */
function dot(matrix: Float32Array, offset: number, vector: Float32Array): number {
	let sum = 0;
	for (let i = 0; i < vector.length; i++)
		sum += (matrix[offset + i] as number) * (vector[i] as number);
	return sum;
}

/**
 * `out[row]` = row `row` of `matrix` (`rows` rows of `vector.length` numbers) times `vector`.
 * Four rows at a time: each number of `vector` is read once for four rows and the four sums are
 * independent, which lets V8 keep them in registers; about twice as fast as one row at a time.
 */
export function dotRows(
	matrix: Float32Array,
	rows: number,
	vector: Float32Array,
	out: Float64Array
) {
	const dims = vector.length;
	let row = 0;
	for (; row + 4 <= rows; row += 4) {
		const o0 = row * dims;
		const o1 = o0 + dims;
		const o2 = o1 + dims;
		const o3 = o2 + dims;
		let a = 0;
		let b = 0;
		let c = 0;
		let d = 0;
		for (let i = 0; i < dims; i++) {
			const x = vector[i] as number;
			a += (matrix[o0 + i] as number) * x;
			b += (matrix[o1 + i] as number) * x;
			c += (matrix[o2 + i] as number) * x;
			d += (matrix[o3 + i] as number) * x;
		}
		out[row] = a;
		out[row + 1] = b;
		out[row + 2] = c;
		out[row + 3] = d;
	}
	for (; row < rows; row++) out[row] = dot(matrix, row * dims, vector);
}
