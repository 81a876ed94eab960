// Wording about the shared engine (the header's status; messages/en.json, `engine_status_*`).
// Functions for values, as in every strings module. The header names no model: Compare's blind
// panes must stay anonymous.
import * as m from '$lib/i18n/paraglide/m/core.js';

export const engineText = {
	get idle() {
		return m.engine_status_idle();
	},
	loaded: (n: number) => m.engine_status_loaded({ count: n }),
	loading: (n: number) => m.engine_status_loading({ count: n }),
	waiting: (n: number) => m.engine_status_waiting({ count: n }),
	answering: (n: number) => m.engine_status_answering({ count: n }),
	tabs: (n: number) => m.engine_status_tabs({ count: n })
};
