// Wording of an answer's sources (passages from the conversation's attached documents) and of the
// request shown under it (messages/en.json, `sources_*`). Same rules as src/lib/strings.ts: plain,
// complete sentences.
import { formatList } from '$lib/i18n/format';
import * as m from '$lib/i18n/paraglide/m/core.js';
import type { Role } from '$lib/engine/types';
import type { WordsOnlyReason } from '$lib/storage/types';

export const sourcesText = {
	get searching() {
		return m.sources_searching();
	},
	get dropFiles() {
		return m.sources_drop_files();
	},
	get heading() {
		return m.sources_heading();
	},
	open: (marker: number, label: string) => m.sources_open({ marker: String(marker), label }),
	get none() {
		return m.sources_none();
	},
	get failed() {
		return m.sources_failed();
	},
	wordsOnly: {
		get 'no-model'() {
			return m.sources_words_only_no_model();
		},
		get offline() {
			return m.sources_words_only_offline();
		},
		get 'no-room'() {
			return m.sources_words_only_no_room();
		},
		get failed() {
			return m.sources_words_only_failed();
		}
	} satisfies Record<WordsOnlyReason, string>,
	indexing: (names: readonly string[]) =>
		m.sources_indexing({ count: names.length, names: formatList(names) }),
	get sent() {
		return m.sources_sent();
	},
	get sentHelp() {
		return m.sources_sent_help();
	},
	role: {
		get system() {
			return m.sources_role_system();
		},
		get user() {
			return m.sources_role_user();
		},
		get assistant() {
			return m.sources_role_assistant();
		}
	} satisfies Record<Role, string>,
	passage: {
		get close() {
			return m.sources_passage_close();
		},
		title: (marker: number) => m.sources_passage_title({ marker: String(marker) }),
		get document() {
			return m.sources_passage_document();
		},
		get where() {
			return m.sources_passage_where();
		}
	}
};
