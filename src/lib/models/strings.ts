// Sentences about models (fit verdicts, download errors) that users read. Kept apart from
// src/lib/strings.ts only because another module owns that file; same rules: plain words, and a
// failure always says what to do next.
import * as m from '$lib/i18n/paraglide/m/models.js';
import type { StorageErrorCode } from '$lib/storage/errors';
import { errorText, type ErrorText } from '$lib/i18n/errorText';
import type { DownloadErrorCode } from './errors';
import type { CustomModelProblem } from './ModelLibrary.svelte';
import type { RemoteProblemCode } from './remote';
import type { ExportErrorCode, ImportErrorCode } from './transferErrors';
import { formatNumber } from '$lib/i18n/format';
import { formatBytes } from './size';
import { hostList, MODEL_HOSTS } from '$lib/net/hosts';

/** WebLLM's "MB" figures are mebibytes. */
const MIB = 1024 * 1024;

export const downloadErrorText: Record<DownloadErrorCode, ErrorText> = {
	network: errorText(m.download_error_network_title, m.download_error_network_action),
	'not-found': errorText(m.download_error_not_found_title, m.download_error_not_found_action),
	'server-error': errorText(
		m.download_error_server_error_title,
		m.download_error_server_error_action
	),
	'http-status': errorText(m.download_error_http_status_title, m.download_error_http_status_action),
	'not-a-model-file': errorText(
		m.download_error_not_a_model_file_title,
		m.download_error_not_a_model_file_action
	),
	'size-mismatch': errorText(
		m.download_error_size_mismatch_title,
		m.download_error_size_mismatch_action
	),
	'checksum-mismatch': errorText(
		m.download_error_checksum_mismatch_title,
		m.download_error_checksum_mismatch_action
	),
	'from-files': errorText(m.download_error_from_files_title, m.download_error_from_files_action),
	quota: errorText(m.download_error_quota_title, m.download_error_quota_action),
	storage: errorText(m.download_error_storage_title, m.download_error_storage_action),
	aborted: errorText(m.download_error_aborted_title, m.download_error_aborted_action)
};

export const fitText = {
	get runs() {
		return m.fit_runs();
	},
	get mayOom() {
		return m.fit_may_oom();
	},
	get unsupported() {
		return m.fit_unsupported();
	},
	get noWebgpu() {
		return m.fit_no_webgpu();
	},
	get noAdapter() {
		return m.fit_no_adapter();
	},
	get shaderF16Missing() {
		return m.fit_shader_f16_missing();
	},
	featureMissing: (feature: string) => m.fit_feature_missing({ feature }),
	bufferTooSmall: (need: number, have: number) =>
		m.fit_buffer_too_small({ need: formatBytes(need), have: formatBytes(have) }),
	memoryTight: (needMB: number, budgetMB: number) =>
		m.fit_memory_tight({ need: formatBytes(needMB * MIB), budget: formatBytes(budgetMB * MIB) }),
	get softwareAdapter() {
		return m.fit_software_adapter();
	},
	useAlternative: (id: string) => m.fit_use_alternative({ id })
} as const;

/** Custom-model problems, in words: what is wrong with which file, and what to check. */
export const remoteProblemText: Record<
	RemoteProblemCode,
	(url: string, status?: number) => string
> = {
	'bad-url': (url) => m.custom_model_problem_bad_url({ url }),
	unreachable: (url) => m.custom_model_problem_unreachable({ url }),
	'http-status': (url, status) =>
		status === 404
			? m.custom_model_problem_http_status_not_found({ url })
			: m.custom_model_problem_http_status({ url, status: status ?? '?' }),
	html: (url) => m.custom_model_problem_html({ url }),
	'host-not-allowed': (origin) =>
		m.custom_model_problem_host_not_allowed({ hosts: hostList(MODEL_HOSTS), origin }),
	'bad-json': (url) => m.custom_model_problem_bad_json({ url }),
	'wrong-layout': (url) =>
		url.endsWith('tensor-cache.json')
			? m.custom_model_problem_wrong_layout_tensor_cache({ url })
			: m.custom_model_problem_wrong_layout_config({ url }),
	'not-wasm': (url) => m.custom_model_problem_not_wasm({ url })
};

export const libraryText = {
	get title() {
		return m.library_title();
	},
	get intro() {
		return m.library_intro();
	},
	get online() {
		return m.library_online();
	},
	get offline() {
		return m.library_offline();
	},
	readyOfflineCount: (n: number) => m.library_ready_offline_count({ count: n }),
	get readyOffline() {
		return m.library_ready_offline();
	},
	get partial() {
		return m.library_partial();
	},
	verdict: {
		get runs() {
			return m.library_verdict_runs();
		},
		get 'may-oom'() {
			return m.library_verdict_may_oom();
		},
		get unsupported() {
			return m.library_verdict_unsupported();
		}
	},
	kind: {
		get chat() {
			return m.library_kind_chat();
		},
		get vision() {
			return m.library_kind_vision();
		},
		get embedding() {
			return m.library_kind_embedding();
		}
	},
	get custom() {
		return m.library_custom();
	},
	get parameters() {
		return m.library_parameters();
	},
	get quantization() {
		return m.library_quantization();
	},
	get context() {
		return m.library_context();
	},
	get vram() {
		return m.library_vram();
	},
	get size() {
		return m.library_size();
	},
	get licence() {
		return m.library_licence();
	},
	get maker() {
		return m.library_maker();
	},
	safety: {
		get tuned() {
			return m.library_safety_tuned();
		},
		get base() {
			return m.library_safety_base();
		}
	},
	get modelCard() {
		return m.library_model_card();
	},
	get unknownOrigin() {
		return m.library_unknown_origin();
	},
	get unknown() {
		return m.library_unknown();
	},
	about: (size: string) => m.library_about({ size }),
	exact: (size: string) => size,
	get checkSize() {
		return m.library_check_size();
	},
	noSpace: (need: string, free: string) => m.library_no_space({ need, free }),
	get checkingSize() {
		return m.library_checking_size();
	},
	get sizeFailed() {
		return m.library_size_failed();
	},
	tokens: (n: number) => m.library_tokens({ count: n }),
	get download() {
		return m.library_download();
	},
	get resume() {
		return m.library_resume();
	},
	get cancel() {
		return m.library_cancel();
	},
	get repair() {
		return m.library_repair();
	},
	get delete() {
		return m.library_delete();
	},
	get queued() {
		return m.library_queued();
	},
	get preparing() {
		return m.library_preparing();
	},
	progress: (done: string, total: string) => m.library_progress({ done, total }),
	speed: (speed: string, eta: string) => m.library_speed({ speed, eta }),
	get search() {
		return m.library_search();
	},
	get searchPlaceholder() {
		return m.library_search_placeholder();
	},
	filters: {
		get parameters() {
			return m.library_filters_parameters();
		},
		get quantization() {
			return m.library_filters_quantization();
		},
		get context() {
			return m.library_filters_context();
		},
		get fits() {
			return m.library_filters_fits();
		},
		get downloaded() {
			return m.library_filters_downloaded();
		},
		get any() {
			return m.library_filters_any();
		},
		get noMatch() {
			return m.library_filters_no_match();
		}
	},
	shown: (n: number, total: number) => m.library_shown({ shown: formatNumber(n), total }),
	get catalog() {
		return m.library_catalog();
	},
	/** Which file a download failed on: its name, and the server's answer if there was one. */
	failedFile: (name: string, status?: number) =>
		status === undefined
			? m.library_failed_file({ name })
			: m.library_failed_file_status({ name, status }),
	quotaFigures: (needed: string, available: string) =>
		m.library_quota_figures({ needed, available }),
	contextAtLeast: (k: number) => m.library_context_at_least({ k }),
	parameterBuckets: {
		get any() {
			return m.library_parameter_buckets_any();
		},
		get 'under-1b'() {
			return m.library_parameter_buckets_under_1b();
		},
		get '1b-4b'() {
			return m.library_parameter_buckets_1b_4b();
		},
		get '4b-9b'() {
			return m.library_parameter_buckets_4b_9b();
		},
		get '9b-plus'() {
			return m.library_parameter_buckets_9b_plus();
		}
	},
	queue: {
		get title() {
			return m.library_queue_title();
		},
		get done() {
			return m.library_queue_done();
		},
		get cancelled() {
			return m.library_queue_cancelled();
		},
		get clear() {
			return m.library_queue_clear();
		}
	},
	storage: {
		get title() {
			return m.library_storage_title();
		},
		used: (used: string, quota: string) => m.library_storage_used({ used, quota }),
		get unknown() {
			return m.library_storage_unknown();
		},
		get none() {
			return m.library_storage_none();
		},
		get lastUsed() {
			return m.library_storage_last_used();
		},
		get never() {
			return m.library_storage_never();
		},
		get onDisk() {
			return m.library_storage_on_disk();
		},
		get model() {
			return m.library_storage_model();
		},
		get deleteAll() {
			return m.library_storage_delete_all();
		},
		confirmDeleteAll: (n: number, size: string) =>
			m.library_storage_confirm_delete_all({ count: n, size }),
		get confirm() {
			return m.library_storage_confirm();
		},
		get keep() {
			return m.library_storage_keep();
		},
		get persist() {
			return m.library_storage_persist();
		},
		get persistHelp() {
			return m.library_storage_persist_help();
		},
		get persisted() {
			return m.library_storage_persisted();
		},
		get notPersisted() {
			return m.library_storage_not_persisted();
		},
		get unsupported() {
			return m.library_storage_unsupported();
		}
	},
	customModels: {
		get title() {
			return m.library_custom_models_title();
		},
		get intro() {
			return m.library_custom_models_intro();
		},
		get baseUrl() {
			return m.library_custom_models_base_url();
		},
		get libraryUrl() {
			return m.library_custom_models_library_url();
		},
		get modelId() {
			return m.library_custom_models_model_id();
		},
		get kind() {
			return m.library_custom_models_kind();
		},
		get kindAuto() {
			return m.library_custom_models_kind_auto();
		},
		get fromFiles() {
			return m.library_custom_models_from_files();
		},
		get add() {
			return m.library_custom_models_add();
		},
		get checking() {
			return m.library_custom_models_checking();
		},
		added: (id: string, size: string) => m.library_custom_models_added({ id, size }),
		get remove() {
			return m.library_custom_models_remove();
		},
		duplicate: (id: string) => m.library_custom_models_duplicate({ id }),
		get checkFailed() {
			return m.library_custom_models_check_failed();
		},
		notSaved: {
			get 'quota-exceeded'() {
				return m.library_custom_models_not_saved_quota_exceeded();
			},
			get outdated() {
				return m.library_custom_models_not_saved_outdated();
			},
			get unavailable() {
				return m.library_custom_models_not_saved_unavailable();
			},
			get 'not-found'() {
				return m.library_custom_models_not_saved_not_found();
			}
		} satisfies Record<StorageErrorCode, string>,
		get localhost() {
			return m.library_custom_models_localhost();
		},
		get none() {
			return m.library_custom_models_none();
		}
	},
	offlineNotDownloaded: (id: string) => m.library_offline_not_downloaded({ id })
} as const;

/** Why a custom model was not added, in one or two sentences that say what to do. */
export function customModelProblemText(problem: CustomModelProblem): string {
	switch (problem.kind) {
		case 'check':
			return remoteProblemText[problem.error.code](problem.error.url, problem.error.status);
		case 'network':
			return libraryText.customModels.checkFailed;
		case 'duplicate':
			return libraryText.customModels.duplicate(problem.modelId);
		case 'storage':
			return libraryText.customModels.notSaved[problem.error.code];
	}
}
/** Importing a model from files: what went wrong with which file, and what to do. */
export const importErrorText: Record<
	ImportErrorCode,
	(file: string, facts: ErrorFacts) => ErrorText
> = {
	'not-a-model-folder': () => ({
		title: m.model_import_error_not_a_model_folder_title(),
		action: m.model_import_error_not_a_model_folder_action()
	}),
	'bad-model-file': (file) => ({
		title: m.model_import_error_bad_model_file_title({ file }),
		action: m.model_import_error_bad_model_file_action()
	}),
	'missing-file': (file) => ({
		title: m.model_import_error_missing_file_title({ file }),
		action: m.model_import_error_missing_file_action()
	}),
	'size-mismatch': (file, facts) => ({
		title: m.model_import_error_size_mismatch_title({
			file,
			received: formatCount(facts.received),
			expected: formatCount(facts.expected)
		}),
		action: m.model_import_error_size_mismatch_action()
	}),
	'checksum-mismatch': (file) => ({
		title: m.model_import_error_checksum_mismatch_title({ file }),
		action: m.model_import_error_checksum_mismatch_action()
	}),
	'no-library': (_file, facts) => ({
		title:
			facts.count === 0
				? m.model_import_error_no_library_title_missing()
				: m.model_import_error_no_library_title_several(),
		action: m.model_import_error_no_library_action()
	}),
	'not-wasm': (file) => ({
		title: m.model_import_error_not_wasm_title({ file }),
		action: m.model_import_error_not_wasm_action()
	}),
	'bad-archive': () => ({
		title: m.model_import_error_bad_archive_title(),
		action: m.model_import_error_bad_archive_action()
	}),
	'read-failed': (file) => ({
		title: file
			? m.model_import_error_read_failed_title_file({ file })
			: m.model_import_error_read_failed_title(),
		action: m.model_import_error_read_failed_action()
	}),
	quota: (_file, facts) => ({
		title: m.model_import_error_quota_title(),
		action:
			typeof facts.needed === 'number' && typeof facts.available === 'number'
				? m.model_import_error_quota_action_figures({
						needed: formatBytes(facts.needed),
						available: formatBytes(Math.max(0, facts.available))
					})
				: m.model_import_error_quota_action()
	}),
	storage: () => ({
		title: m.model_import_error_storage_title(),
		action: m.model_import_error_storage_action()
	}),
	aborted: () => ({
		title: m.model_import_error_aborted_title(),
		action: m.model_import_error_aborted_action()
	})
};

/** Exporting a model: what went wrong, and what to do. */
export const exportErrorText: Record<ExportErrorCode, ErrorText> = {
	incomplete: errorText(
		m.model_export_error_incomplete_title,
		m.model_export_error_incomplete_action
	),
	'read-failed': errorText(
		m.model_export_error_read_failed_title,
		m.model_export_error_read_failed_action
	),
	'write-failed': errorText(
		m.model_export_error_write_failed_title,
		m.model_export_error_write_failed_action
	),
	aborted: errorText(m.model_export_error_aborted_title, m.model_export_error_aborted_action)
};

type ErrorFacts = Readonly<Record<string, number | string>>;

const formatCount = (n: number | string | undefined) =>
	typeof n === 'number' ? formatNumber(n) : '?';

export const transferText = {
	get importTitle() {
		return m.transfer_import_title();
	},
	get importIntro() {
		return m.transfer_import_intro();
	},
	get chooseFolder() {
		return m.transfer_choose_folder();
	},
	get chooseArchive() {
		return m.transfer_choose_archive();
	},
	get library() {
		return m.transfer_library();
	},
	get kind() {
		return m.transfer_kind();
	},
	get kindAuto() {
		return m.transfer_kind_auto();
	},
	get drop() {
		return m.transfer_drop();
	},
	get checking() {
		return m.transfer_checking();
	},
	copying: (done: string, total: string) => m.transfer_copying({ done, total }),
	imported: (id: string, size: string) => m.transfer_imported({ id, size }),
	importedCatalog: (id: string, size: string) => m.transfer_imported_catalog({ id, size }),
	get cancel() {
		return m.transfer_cancel();
	},
	get exportTitle() {
		return m.transfer_export_title();
	},
	get exportIntro() {
		return m.transfer_export_intro();
	},
	get exportModel() {
		return m.transfer_export_model();
	},
	get noneReady() {
		return m.transfer_none_ready();
	},
	get exportFolder() {
		return m.transfer_export_folder();
	},
	get exportFile() {
		return m.transfer_export_file();
	},
	exporting: (done: string, total: string) => m.transfer_exporting({ done, total }),
	exported: (id: string, size: string, where: string) => m.transfer_exported({ id, size, where }),
	toFolder: (folder: string) => m.transfer_to_folder({ folder }),
	toFile: (file: string) => m.transfer_to_file({ file })
} as const;
