// Every sentence about documents that users read, in one place (for translation). Same rules as
// src/lib/strings.ts: plain words, and a failure says what happened and what to do next.
import * as m from '$lib/i18n/paraglide/m/documents.js';
import { formatList, formatNumber } from '$lib/i18n/format';
import { formatBytes } from '$lib/i18n/format';
import { errorText, type ErrorText } from '$lib/i18n/errorText';
import { engineErrorText, storageErrorText } from '$lib/strings';
import type { IndexingBlock } from './indexer';
import type { DocumentKind, DocumentStatus, ReadErrorCode } from './types';

export const documentsText = {
	get title() {
		return m.documents_title();
	},
	get intro() {
		return m.documents_intro();
	},
	add: {
		get heading() {
			return m.documents_add_heading();
		},
		get pick() {
			return m.documents_add_pick();
		},
		get drop() {
			return m.documents_add_drop();
		},
		get pasteLabel() {
			return m.documents_add_paste_label();
		},
		get pasteName() {
			return m.documents_add_paste_name();
		},
		get pastePlaceholder() {
			return m.documents_add_paste_placeholder();
		},
		get pasteAdd() {
			return m.documents_add_paste_add();
		},
		pastedName: (n: number) => m.documents_add_pasted_name({ n }),
		get dismiss() {
			return m.documents_add_dismiss();
		}
	},
	model: {
		get heading() {
			return m.documents_model_heading();
		},
		get label() {
			return m.documents_model_label();
		},
		get none() {
			return m.documents_model_none();
		},
		get help() {
			return m.documents_model_help();
		},
		get downloaded() {
			return m.documents_model_downloaded();
		},
		get partly() {
			return m.documents_model_partly();
		},
		notDownloaded: (size: string) => m.documents_model_not_downloaded({ size }),
		get changing() {
			return m.documents_model_changing();
		},
		loading: (percent: number) => m.documents_model_loading({ percent }),
		get sharesGpu() {
			return m.documents_model_shares_gpu();
		}
	},
	list: {
		get heading() {
			return m.documents_list_heading();
		},
		get empty() {
			return m.documents_list_empty();
		},
		get remove() {
			return m.documents_list_remove();
		},
		removeLabel: (name: string) => m.documents_list_remove_label({ name }),
		pages: (n: number) => m.documents_list_pages({ count: n }),
		passages: (n: number) => m.documents_list_passages({ count: n }),
		get inCollections() {
			return m.documents_list_in_collections();
		},
		readingPages: (done: number, total: number) => m.documents_list_reading_pages({ done, total }),
		embedding: (done: number, total: number) =>
			m.documents_list_embedding({ done: formatNumber(done), total }),
		progressLabel: (name: string) => m.documents_list_progress_label({ name })
	},
	status: {
		get reading() {
			return m.documents_status_reading();
		},
		get embedding() {
			return m.documents_status_embedding();
		},
		get ready() {
			return m.documents_status_ready();
		},
		get failed() {
			return m.documents_status_failed();
		}
	} satisfies Record<DocumentStatus, string>,
	kind: {
		get text() {
			return m.documents_kind_text();
		},
		get markdown() {
			return m.documents_kind_markdown();
		},
		get code() {
			return m.documents_kind_code();
		},
		get html() {
			return m.documents_kind_html();
		},
		get pdf() {
			return m.documents_kind_pdf();
		}
	} satisfies Record<DocumentKind, string>,
	collections: {
		get heading() {
			return m.documents_collections_heading();
		},
		get help() {
			return m.documents_collections_help();
		},
		get nameLabel() {
			return m.documents_collections_name_label();
		},
		get create() {
			return m.documents_collections_create();
		},
		get empty() {
			return m.documents_collections_empty();
		},
		get delete() {
			return m.documents_collections_delete();
		},
		deleteLabel: (name: string) => m.documents_collections_delete_label({ name }),
		count: (n: number) => m.documents_collections_count({ count: n }),
		member: (collection: string, document: string) =>
			m.documents_collections_member({ document, collection })
	},
	search: {
		get heading() {
			return m.documents_search_heading();
		},
		get label() {
			return m.documents_search_label();
		},
		get placeholder() {
			return m.documents_search_placeholder();
		},
		get submit() {
			return m.documents_search_submit();
		},
		get searching() {
			return m.documents_search_searching();
		},
		get none() {
			return m.documents_search_none();
		},
		get wordsOnly() {
			return m.documents_search_words_only();
		},
		notYet: (n: number) => m.documents_search_not_yet({ count: n }),
		get show() {
			return m.documents_search_show();
		},
		get hide() {
			return m.documents_search_hide();
		}
	},
	storage: {
		get heading() {
			return m.documents_storage_heading();
		},
		used: (bytes: number) => m.documents_storage_used({ size: formatBytes(bytes) }),
		files: (bytes: number) => m.documents_storage_files({ size: formatBytes(bytes) }),
		index: (bytes: number) => m.documents_storage_index({ size: formatBytes(bytes) }),
		space: (free: number) => m.documents_storage_space({ size: formatBytes(free) }),
		get private() {
			return m.documents_storage_private();
		},
		besideModels: (bytes: number) => m.documents_storage_beside_models({ size: formatBytes(bytes) })
	},
	/** "Share to Lantern" (share/open.ts). */
	share: {
		/** A long shared text, kept as a document: `date` already formatted. */
		textName: (date: string) => m.documents_share_text_name({ date }),
		get missing() {
			return m.documents_share_missing();
		},
		/** The share reached the server, not the service worker: the site's data was cleared. */
		get lost() {
			return m.documents_share_lost();
		},
		get empty() {
			return m.documents_share_empty();
		}
	}
};

/** The documents attached to a conversation, in the chat's message box. */
export const attachText = {
	get heading() {
		return m.documents_attach_heading();
	},
	get pick() {
		return m.documents_attach_pick();
	},
	get collection() {
		return m.documents_attach_collection();
	},
	get collectionLabel() {
		return m.documents_attach_collection_label();
	},
	fromCollection: (name: string) => m.documents_attach_from_collection({ name }),
	collectionChip: (name: string, count: number) =>
		m.documents_attach_collection_chip({ name, count }),
	get remove() {
		return m.documents_attach_remove();
	},
	removeLabel: (name: string) => m.documents_attach_remove_label({ name }),
	removeCollectionLabel: (name: string) => m.documents_attach_remove_collection_label({ name }),
	get adding() {
		return m.documents_attach_adding();
	},
	get help() {
		return m.documents_attach_help();
	},
	get noModel() {
		return m.documents_attach_no_model();
	},
	get storage() {
		return m.documents_attach_storage();
	}
};

export const readErrorText: Record<ReadErrorCode, ErrorText> = {
	unsupported: errorText(
		m.document_read_error_unsupported_title,
		m.document_read_error_unsupported_action
	),
	empty: errorText(m.document_read_error_empty_title, m.document_read_error_empty_action),
	'pdf-no-text': errorText(
		m.document_read_error_pdf_no_text_title,
		m.document_read_error_pdf_no_text_action
	),
	'pdf-corrupt': errorText(
		m.document_read_error_pdf_corrupt_title,
		m.document_read_error_pdf_corrupt_action
	),
	'pdf-encrypted': errorText(
		m.document_read_error_pdf_encrypted_title,
		m.document_read_error_pdf_encrypted_action
	),
	unreadable: errorText(
		m.document_read_error_unreadable_title,
		m.document_read_error_unreadable_action
	)
};

/** A file refused before anything was stored. */
export function refusedText(
	name: string,
	refusal:
		{ code: 'unsupported' } | { code: 'too-big'; size: number; needed: number; available: number }
): ErrorText {
	if (refusal.code === 'unsupported') {
		return {
			title: m.documents_refused_unsupported_title({ name }),
			action: m.documents_refused_unsupported_action()
		};
	}
	return {
		title: m.documents_refused_too_big_title({
			name,
			size: formatBytes(refusal.size),
			needed: formatBytes(refusal.needed),
			available: formatBytes(Math.max(0, refusal.available))
		}),
		action: m.documents_refused_too_big_action()
	};
}

/** Why indexing waits, and what to do. */
export function blockText(block: IndexingBlock, modelName: (id: string) => string): ErrorText {
	switch (block.code) {
		case 'no-model':
			return {
				title: m.documents_block_no_model_title(),
				action: m.documents_block_no_model_action()
			};
		case 'offline':
			return {
				title: m.documents_block_offline_title({ model: modelName(block.modelId) }),
				action: m.documents_block_offline_action()
			};
		case 'engine': {
			const text = engineErrorText[block.error.code];
			return {
				title: m.documents_block_engine_title({ reason: text.title }),
				action: m.documents_block_engine_action({ action: text.action })
			};
		}
		case 'gpu-busy':
			return {
				title: m.documents_block_gpu_busy_title({
					models: formatList(block.modelIds.map(modelName), 'unit')
				}),
				action: m.documents_block_gpu_busy_action()
			};
		case 'reader':
			return {
				title: m.documents_block_reader_title(),
				action: m.documents_block_reader_action()
			};
		case 'storage': {
			const text = storageErrorText[block.error.code];
			return {
				title: m.documents_block_storage_title(),
				action: text.action
			};
		}
	}
}

/** The buttons next to a block's explanation. */
export const retryText = {
	get label() {
		return m.documents_retry();
	}
};
export const makeWayText = {
	get label() {
		return m.documents_make_way();
	}
};
