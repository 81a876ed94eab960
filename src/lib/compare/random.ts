// A small seeded random number generator, so that blind shuffles and anything else random in
// comparisons can be replayed exactly (in tests, and from a saved comparison's seed).

/** mulberry32: 32-bit state, uniform floats in [0, 1). Good enough for shuffling, not for secrets. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A fresh 32-bit seed from the platform's random source. */
export function randomSeed(): number {
	return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** Fisher-Yates on a copy. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}
