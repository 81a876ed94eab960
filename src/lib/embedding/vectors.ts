// Vector arithmetic shared by retrieval and Compare's agreement figure: cosine similarity, and one
// vector for a text longer than an embedding model reads (the mean of its pieces' unit vectors).

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
	if (a.length !== b.length) throw new RangeError('vectors of different lengths');
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < a.length; i++) {
		const x = a[i] as number;
		const y = b[i] as number;
		dot += x * y;
		na += x * x;
		nb += y * y;
	}
	return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The vector scaled to length 1 (a zero vector stays zero). */
export function unit(vector: Float32Array): Float32Array {
	let sum = 0;
	for (const x of vector) sum += x * x;
	const norm = Math.sqrt(sum);
	return norm === 0 ? vector : vector.map((x) => x / norm);
}

/** The mean of the vectors' unit vectors, as a unit vector: one vector for many pieces. */
export function meanOfUnits(vectors: readonly Float32Array[]): Float32Array {
	const first = vectors[0];
	if (!first) return new Float32Array(0);
	const sum = new Float32Array(first.length);
	for (const v of vectors) {
		const u = unit(v);
		for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + ((u[i] as number) ?? 0);
	}
	return unit(sum);
}

/**
 * A long text in pieces of at most `size` characters, cut at a paragraph, line or sentence end
 * where one is near, at most `max` of them (the start of a long answer says what it is about).
 */
export function pieces(text: string, size = 1500, max = 8): string[] {
	const out: string[] = [];
	let rest = text.trim();
	while (rest && out.length < max) {
		if (rest.length <= size) {
			out.push(rest);
			break;
		}
		const window = rest.slice(0, size);
		const cut = Math.max(
			window.lastIndexOf('\n\n'),
			window.lastIndexOf('\n'),
			window.lastIndexOf('. ') + 1
		);
		const at = cut > size / 2 ? cut : size;
		out.push(rest.slice(0, at).trim());
		rest = rest.slice(at).trim();
	}
	return out;
}
