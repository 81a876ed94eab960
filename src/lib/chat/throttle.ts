// Saving a streaming answer: the text changes on every token, but a write per token would keep
// IndexedDB busy for nothing. `throttle` keeps the latest value and writes it at most once per
// interval; `flush` writes what is pending now (call it when the stream ends, then save the final
// state). Writes never overlap: one waits for the previous to finish.

export interface Throttled<T> {
	/** Records the latest value; it is written within `intervalMs`. */
	push(value: T): void;
	/** Writes the pending value now, if any, and resolves when every write has finished. */
	flush(): Promise<void>;
	/** Forgets the pending value (e.g. the message was deleted). */
	cancel(): void;
}

export function throttle<T>(
	write: (value: T) => Promise<unknown>,
	intervalMs: number,
	onError: (error: unknown) => void = () => {}
): Throttled<T> {
	let pending: { value: T } | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let writing: Promise<void> = Promise.resolve();

	function run() {
		timer = null;
		if (!pending) return writing;
		const { value } = pending;
		pending = null;
		writing = writing.then(() => write(value).then(() => {}, onError));
		return writing;
	}

	return {
		push(value) {
			pending = { value };
			timer ??= setTimeout(run, intervalMs);
		},
		flush() {
			if (timer) clearTimeout(timer);
			return run();
		},
		cancel() {
			if (timer) clearTimeout(timer);
			timer = null;
			pending = null;
		}
	};
}
