// Download speed and time left. Speed is measured over a sliding window (the last few seconds),
// so a stall shows up quickly and one fast burst does not promise a short wait.

export interface ProgressSnapshot {
	/** Bytes of this model already stored or received, including files stored before this run. */
	doneBytes: number;
	totalBytes: number;
	/** Null until enough time has passed to measure. */
	bytesPerSecond: number | null;
	etaSeconds: number | null;
}

export const SPEED_WINDOW_MS = 5000;
const MIN_SPAN_MS = 500;

export class SpeedMeter {
	/** (time, total bytes received by then); the first is the anchor the window measures from. */
	#samples: Array<{ at: number; bytes: number }>;
	#received = 0;
	readonly #now: () => number;

	constructor(now: () => number) {
		this.#now = now;
		this.#samples = [{ at: now(), bytes: 0 }];
	}

	/** Records `n` more bytes received now. */
	add(n: number): void {
		this.#received += n;
		this.#samples.push({ at: this.#now(), bytes: this.#received });
		this.#prune(this.#now() - SPEED_WINDOW_MS);
	}

	/** Keeps the last sample at or before `cutoff` as the anchor, and everything after it. */
	#prune(cutoff: number) {
		while (this.#samples.length > 1 && (this.#samples[1]?.at ?? Infinity) <= cutoff) {
			this.#samples.shift();
		}
	}

	/** Bytes per second over the last SPEED_WINDOW_MS (0 after a stall), or null when too early. */
	speed(): number | null {
		const now = this.#now();
		const cutoff = now - SPEED_WINDOW_MS;
		this.#prune(cutoff);
		const anchor = this.#samples[0];
		if (!anchor) return null;
		const span = now - Math.max(anchor.at, cutoff);
		if (span < MIN_SPAN_MS) return null;
		return ((this.#received - anchor.bytes) * 1000) / span;
	}
}

export function snapshot(
	doneBytes: number,
	totalBytes: number,
	speed: number | null
): ProgressSnapshot {
	const remaining = Math.max(0, totalBytes - doneBytes);
	return {
		doneBytes,
		totalBytes,
		bytesPerSecond: speed,
		etaSeconds: speed && speed > 0 ? remaining / speed : remaining === 0 ? 0 : null
	};
}
