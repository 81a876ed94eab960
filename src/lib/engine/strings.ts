// Wording about the shared engine (the header's status, `engine_status_*`; the question before a
// load takes another tab's model, `engine_replace_*`; messages/en.json).
// Functions for values, as in every strings module. The header names no model: Compare's blind
// panes must stay anonymous.
import { formatList } from '$lib/i18n/format';
import * as m from '$lib/i18n/paraglide/m/core.js';
import type { PendingReplace } from './ReplaceQuestion.svelte';

export const engineText = {
	get idle() {
		return m.engine_status_idle();
	},
	loaded: (n: number) => m.engine_status_loaded({ count: n }),
	loading: (n: number) => m.engine_status_loading({ count: n }),
	waiting: (n: number) => m.engine_status_waiting({ count: n }),
	answering: (n: number) => m.engine_status_answering({ count: n }),
	tabs: (n: number) => m.engine_status_tabs({ count: n }),
	/** The question before a load takes models from another tab (ReplaceQuestion). */
	replaceQuestion: ({ loading, taken, answering }: PendingReplace) => {
		if (loading === null)
			return answering ? m.engine_replace_answering_unnamed() : m.engine_replace_idle_unnamed();
		const names = { loading: formatList(loading), models: formatList(taken) };
		return answering ? m.engine_replace_answering(names) : m.engine_replace_idle(names);
	},
	get replaceAnyway() {
		return m.engine_replace_anyway();
	},
	get replaceCancel() {
		return m.engine_replace_cancel();
	}
};
