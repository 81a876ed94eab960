// How an error is worded: a title and what to do next, each read when it is shown (so a change of
// language applies at once). Every feature's strings module words its error codes with this.

export interface ErrorText {
	title: string;
	/** What to do next, in plain words. */
	action: string;
}

/** An error's wording from its two messages (Paraglide's message functions). */
export function errorText(title: () => string, action: () => string): ErrorText {
	return {
		get title() {
			return title();
		},
		get action() {
			return action();
		}
	};
}
