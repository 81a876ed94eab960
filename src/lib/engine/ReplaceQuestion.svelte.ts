// The question a load asks before it takes a model from another tab (askFirst.ts): what it would
// take, until the user answers. One per place that loads (the chat, Compare), shown there.
import type { BusyWork } from './errors';

export interface PendingReplace {
	/** The models this load brings; null: not to be named (a blind comparison). */
	loading: readonly string[] | null;
	/** The models it would unload, each once. */
	taken: readonly string[];
	/** Whether an answer is being written with one of them in the other tab (the load then waits). */
	answering: boolean;
}

export class ReplaceQuestion {
	#pending = $state.raw<PendingReplace | null>(null);
	#resolve: ((yes: boolean) => void) | null = null;

	/** The open question; null when none. */
	get pending(): PendingReplace | null {
		return this.#pending;
	}

	/** Asks; settles with the answer. A newer question answers an open one no. */
	ask(loading: readonly string[] | null, busy: readonly BusyWork[]): Promise<boolean> {
		this.answer(false);
		this.#pending = {
			loading,
			taken: busy.map((b) => b.modelId).filter((id, i, ids) => ids.indexOf(id) === i),
			answering: busy.some((b) => b.kind === 'chat')
		};
		return new Promise((resolve) => (this.#resolve = resolve));
	}

	/** The user's answer (also no when the load is cancelled or its page is left). */
	answer(yes: boolean) {
		const resolve = this.#resolve;
		this.#resolve = null;
		this.#pending = null;
		resolve?.(yes);
	}
}
