// Screen readers hear the answer being written from a polite live region. Updating that region per
// token would make them restart or queue hundreds of fragments; instead it takes the new text in
// whole sentences, at most once per interval, and whatever is left when the answer ends.

/** The end of the last sentence (or line) in `text`, or 0 if there is none yet. */
export function lastSentenceEnd(text: string): number {
	const match = /[.!?:\n](?=[^.!?:\n]*$)/.exec(text);
	return match ? match.index + 1 : 0;
}

export class Announcer {
	#intervalMs: number;
	#now: () => number;
	#announced = 0;
	#at: number;

	constructor(intervalMs: number, now: () => number = () => performance.now()) {
		this.#intervalMs = intervalMs;
		this.#now = now;
		this.#at = now();
	}

	/** What to announce now for the answer so far; null to say nothing new yet. */
	next(answer: string, final: boolean): string | null {
		const now = this.#now();
		if (!final && now - this.#at < this.#intervalMs) return null;
		const fresh = answer.slice(this.#announced);
		const cut = final ? fresh.length : lastSentenceEnd(fresh);
		if (cut <= 0) return null;
		this.#announced += cut;
		this.#at = now;
		return fresh.slice(0, cut);
	}
}
