// One shard received over more than one connection. A shard starts as one segment (the whole file,
// one request); a spare connection may take over the second half of what a segment still has to
// receive (an HTTP Range request), and the segment then stops where that half begins. All
// segments write into the shard's one buffer, so a split costs no memory; the MD5 is computed
// over the bytes in order, as far as they are contiguous, while they arrive.
//
// Why: connections that each fetch a whole shard finish together at the end (the last shards run
// on fewer and fewer connections) and bunch up in the middle (two shards whole at once, one of
// them waiting in memory for the disk). Helping the shards in flight instead lets every
// connection work until the last byte, and shards complete one after the other, as the one-at-a-
// time writes want them.

export interface Segment {
	/** First byte of the segment in the shard. */
	readonly start: number;
	/** One past its last byte; lowered when another connection takes over the rest. */
	end: number;
	/** The next byte it expects (`start` plus the bytes it wrote). */
	next: number;
	/** A connection is asking to take part of it over: not split again until that is settled. */
	splitting: boolean;
}

/** A split is refused unless the segment is this far from the split point when it takes effect. */
export const SPLIT_MARGIN_BYTES = 256 * 1024;

export class SplitShard {
	readonly bytes: Uint8Array;
	/** In byte order, contiguous: each one's end is the next one's start. */
	readonly segments: Segment[];
	#hashed = 0;

	constructor(size: number) {
		this.bytes = new Uint8Array(size);
		this.segments = [{ start: 0, end: size, next: 0, splitting: false }];
	}

	get size(): number {
		return this.bytes.byteLength;
	}

	/** Every segment received all its bytes. */
	get complete(): boolean {
		return this.segments.every((s) => s.next >= s.end);
	}

	/** Bytes still to come, over all segments. */
	get remaining(): number {
		return this.segments.reduce((sum, s) => sum + Math.max(0, s.end - s.next), 0);
	}

	/**
	 * Writes a chunk that arrived for `segment`; bytes past its end are dropped (another
	 * connection brings them). Returns how many bytes were new.
	 */
	write(segment: Segment, chunk: Uint8Array): number {
		const n = Math.max(0, Math.min(chunk.byteLength, segment.end - segment.next));
		if (n > 0) this.bytes.set(n === chunk.byteLength ? chunk : chunk.subarray(0, n), segment.next);
		segment.next += chunk.byteLength;
		return n;
	}

	/** Hands `update` the bytes that became contiguous from the start since the last call. */
	hashReady(update: (bytes: Uint8Array) => void): void {
		for (const segment of this.segments) {
			if (segment.end <= this.#hashed) continue;
			const upTo = Math.min(segment.next, segment.end);
			if (upTo > this.#hashed) {
				update(this.bytes.subarray(this.#hashed, upTo));
				this.#hashed = upTo;
			}
			if (upTo < segment.end) return;
		}
	}

	/**
	 * The segment most worth splitting and where: the one with the most bytes still to come, at
	 * the middle of those, if each half would be at least `minBytes`; else null.
	 */
	splitPoint(minBytes: number): { segment: Segment; at: number } | null {
		let best: Segment | null = null;
		for (const segment of this.segments) {
			if (segment.splitting) continue;
			if (!best || segment.end - segment.next > best.end - best.next) best = segment;
		}
		if (!best) return null;
		const left = best.end - best.next;
		if (left < 2 * Math.max(minBytes, SPLIT_MARGIN_BYTES)) return null;
		return { segment: best, at: best.next + Math.floor(left / 2) };
	}

	/**
	 * Gives `[at, segment.end)` to a new segment (its connection's answer came), unless `segment`
	 * got too close to `at` meanwhile. Returns the new segment, or null when refused.
	 */
	split(segment: Segment, at: number): Segment | null {
		segment.splitting = false;
		if (segment.next + SPLIT_MARGIN_BYTES > at || at >= segment.end) return null;
		const taken: Segment = { start: at, end: segment.end, next: at, splitting: false };
		segment.end = at;
		this.segments.splice(this.segments.indexOf(segment) + 1, 0, taken);
		return taken;
	}
}
