// Every sentence a user reads, in one place, so the interface can be translated. English first.
import * as m from '$lib/i18n/paraglide/m/core.js';
import { errorText, type ErrorText } from '$lib/i18n/errorText';
import { formatList, formatNumber, formatUnit } from '$lib/i18n/format';
import type { EngineErrorCode } from './engine/errors';
import type { UsageStats } from './engine/types';
import type { BackupErrorCode, StorageErrorCode } from './storage/errors';

export type { ErrorText };

export const engineErrorText: Record<EngineErrorCode, ErrorText> = {
	'no-webgpu': errorText(m.engine_error_no_webgpu_title, m.engine_error_no_webgpu_action),
	'no-adapter': errorText(m.engine_error_no_adapter_title, m.engine_error_no_adapter_action),
	'shader-f16-missing': errorText(
		m.engine_error_shader_f16_missing_title,
		m.engine_error_shader_f16_missing_action
	),
	'device-lost': errorText(m.engine_error_device_lost_title, m.engine_error_device_lost_action),
	network: errorText(m.engine_error_network_title, m.engine_error_network_action),
	'storage-full': errorText(m.engine_error_storage_full_title, m.engine_error_storage_full_action),
	'model-library': errorText(
		m.engine_error_model_library_title,
		m.engine_error_model_library_action
	),
	'context-window-exceeded': errorText(
		m.engine_error_context_window_exceeded_title,
		m.engine_error_context_window_exceeded_action
	),
	'model-not-found': errorText(
		m.engine_error_model_not_found_title,
		m.engine_error_model_not_found_action
	),
	aborted: {
		get title() {
			return m.engine_error_aborted_title();
		},
		action: ''
	},
	'worker-crashed': errorText(
		m.engine_error_worker_crashed_title,
		m.engine_error_worker_crashed_action
	),
	'host-closed': errorText(m.engine_error_host_closed_title, m.engine_error_host_closed_action),
	busy: errorText(m.engine_error_busy_title, m.engine_error_busy_action),
	'server-lost': errorText(m.engine_error_server_lost_title, m.engine_error_server_lost_action),
	'server-error': errorText(m.engine_error_server_error_title, m.engine_error_server_error_action),
	unknown: errorText(m.engine_error_unknown_title, m.engine_error_unknown_action)
};

export const storageErrorText: Record<StorageErrorCode, ErrorText> = {
	'not-found': errorText(m.storage_error_not_found_title, m.storage_error_not_found_action),
	'quota-exceeded': errorText(
		m.storage_error_quota_exceeded_title,
		m.storage_error_quota_exceeded_action
	),
	outdated: errorText(m.storage_error_outdated_title, m.storage_error_outdated_action),
	unavailable: errorText(m.storage_error_unavailable_title, m.storage_error_unavailable_action)
};

export const backupErrorText: Record<BackupErrorCode, ErrorText> = {
	'not-json': errorText(m.backup_error_not_json_title, m.backup_error_not_json_action),
	foreign: errorText(m.backup_error_foreign_title, m.backup_error_foreign_action),
	'newer-version': errorText(
		m.backup_error_newer_version_title,
		m.backup_error_newer_version_action
	),
	malformed: errorText(m.backup_error_malformed_title, m.backup_error_malformed_action)
};

/** What went wrong with a presets file. */
export type PresetFileErrorCode = 'not-json' | 'foreign' | 'malformed';

export const presetFileErrorText: Record<PresetFileErrorCode, ErrorText> = {
	'not-json': errorText(m.preset_file_error_not_json_title, m.preset_file_error_not_json_action),
	foreign: errorText(m.preset_file_error_foreign_title, m.preset_file_error_foreign_action),
	malformed: errorText(m.preset_file_error_malformed_title, m.preset_file_error_malformed_action)
};

/**
 * User text inside a sentence, between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a
 * right-to-left title, or one holding U+202E RIGHT-TO-LEFT OVERRIDE, cannot reorder the words
 * around it (in a native dialog, where no dir attribute can be set).
 */
export const isolate = (userText: string) => `\u2068${userText}\u2069`;

/** Bytes in megabytes, as people read file sizes: `104.9 MB`. */
export const megabytes = (bytes: number) =>
	formatNumber(bytes / (1024 * 1024), {
		style: 'unit',
		unit: 'megabyte',
		unitDisplay: 'short',
		maximumFractionDigits: 1
	});

/** An import file refused for its size, before any of it was read (see IMPORT_LIMITS). */
export function fileTooBigText(
	kind: 'backup' | 'presets' | 'votes',
	size: number,
	limit: number
): ErrorText {
	const figures = { size: megabytes(size), limit: megabytes(limit) };
	switch (kind) {
		case 'backup':
			return {
				title: m.file_too_big_backup_title(figures),
				action: m.file_too_big_backup_action()
			};
		case 'presets':
			return {
				title: m.file_too_big_presets_title(figures),
				action: m.file_too_big_presets_action()
			};
		case 'votes':
			return { title: m.file_too_big_votes_title(figures), action: m.file_too_big_votes_action() };
	}
}

/** A tokens-per-second figure: whole numbers from 100 up, one decimal below; '–' when unknown. */
function rate(x: number | null): string {
	if (x === null) return '–';
	const digits = x >= 100 ? 0 : 1;
	return formatNumber(x, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * What one answer cost, as Chat and Compare show it and exports write it:
 * "TTFT 120 ms · prefill 850 tok/s · decode 42.1 tok/s · 12 in, 85 out · stop".
 */
export function formatStats(stats: UsageStats): string {
	const ttft =
		stats.timeToFirstTokenMs === null
			? '–'
			: formatUnit(Math.round(stats.timeToFirstTokenMs), 'millisecond');
	return [
		m.stats_ttft({ value: ttft }),
		m.stats_prefill({ rate: rate(stats.prefillTokensPerSec) }),
		m.stats_decode({ rate: rate(stats.decodeTokensPerSec) }),
		m.stats_tokens({
			prompt: formatNumber(stats.promptTokens),
			completion: formatNumber(stats.completionTokens)
		}),
		stats.finishReason
	].join(' · ');
}

export const text = {
	appName: 'Lantern',
	get technicalDetail() {
		return m.technical_detail();
	},
	get dismiss() {
		return m.dismiss();
	},
	get tagline() {
		return m.tagline();
	},
	nav: {
		get chat() {
			return m.nav_chat();
		},
		get models() {
			return m.nav_models();
		},
		get documents() {
			return m.nav_documents();
		},
		get compare() {
			return m.nav_compare();
		},
		get device() {
			return m.nav_device();
		}
	},
	update: {
		get available() {
			return m.update_available();
		},
		/** Another tab let the new version take over while this page runs the old one. */
		get updatedElsewhere() {
			return m.update_updated_elsewhere();
		},
		/** What a reload would cut short, if anything (a reload restarts the page and its engine). */
		get stopsAnswer() {
			return m.update_stops_answer();
		},
		/** This tab's answer; the engine and its models stay for the other tabs. */
		get stopsAnswerHere() {
			return m.update_stops_answer_here();
		},
		/** Another tab is writing an answer: Reload waits for it. */
		get waitsForTabs() {
			return m.update_waits_for_tabs();
		},
		unloadsModel: (models: readonly string[]) =>
			m.update_unloads_model({ count: models.length, models: formatList(models) }),
		/** This tab hosts the engine for other tabs: one of them takes over and loads again. */
		handsOver: (models: readonly string[]) => m.update_hands_over({ models: formatList(models) }),
		get reload() {
			return m.update_reload();
		},
		/** Reload was chosen while another tab writes an answer. */
		get reloadPending() {
			return m.update_reload_pending();
		},
		get cancel() {
			return m.update_cancel();
		},
		get later() {
			return m.update_later();
		},
		get offlineReady() {
			return m.update_offline_ready();
		},
		get ok() {
			return m.update_ok();
		},
		/** This page must upgrade the saved data, and a tab of the previous version keeps it open. */
		blocked: errorText(m.update_blocked_title, m.update_blocked_action),
		/** The message box's hint once another tab upgraded the saved data. */
		get reloadToSend() {
			return m.update_reload_to_send();
		}
	},
	loadPhase: {
		get waiting() {
			return m.load_phase_waiting();
		},
		get download() {
			return m.load_phase_download();
		},
		get 'gpu-upload'() {
			return m.load_phase_gpu_upload();
		},
		get compile() {
			return m.load_phase_compile();
		},
		get other() {
			return m.load_phase_other();
		}
	},
	/** The sampling fields' labels (src/lib/sampling/fields.ts), in Chat and Compare alike. */
	sampling: {
		get temperature() {
			return m.sampling_temperature();
		},
		get top_p() {
			return m.sampling_top_p();
		},
		get max_tokens() {
			return m.sampling_max_tokens();
		},
		get presence_penalty() {
			return m.sampling_presence_penalty();
		},
		get frequency_penalty() {
			return m.sampling_frequency_penalty();
		},
		get seed() {
			return m.sampling_seed();
		},
		get seedHint() {
			return m.sampling_seed_hint();
		}
	},
	/** The copy button on a code block in model text (render/copyCode.ts). */
	codeBlock: {
		get copy() {
			return m.code_block_copy();
		},
		get copied() {
			return m.code_block_copied();
		},
		get failed() {
			return m.code_block_failed();
		}
	},
	chat: {
		get pickModel() {
			return m.chat_pick_model();
		},
		get load() {
			return m.chat_load();
		},
		get loading() {
			return m.chat_loading();
		},
		get cancelLoad() {
			return m.chat_cancel_load();
		},
		loaded: (id: string) => m.chat_loaded({ id }),
		get placeholder() {
			return m.chat_placeholder();
		},
		/** The message box's name for screen readers. */
		get messageLabel() {
			return m.chat_message_label();
		},
		get send() {
			return m.chat_send();
		},
		get stop() {
			return m.chat_stop();
		},
		get noModel() {
			return m.chat_no_model();
		},
		get you() {
			return m.chat_you();
		},
		get assistant() {
			return m.chat_assistant();
		},
		get system() {
			return m.chat_system();
		},
		get messages() {
			return m.chat_messages();
		},
		get attach() {
			return m.chat_attach();
		},
		removeImage: (n: number) => m.chat_remove_image({ n }),
		imageAlt: (n: number) => m.chat_image_alt({ n }),
		get imageFailed() {
			return m.chat_image_failed();
		},
		get imagesNeedVision() {
			return m.chat_images_need_vision();
		},
		get dropHere() {
			return m.chat_drop_here();
		},
		/** A long text pasted into the message box, offered as a document. */
		paste: {
			get long() {
				return m.chat_paste_long();
			},
			get attach() {
				return m.chat_paste_attach();
			},
			get keep() {
				return m.chat_paste_keep();
			},
			/** The document's name: `date` already formatted. */
			name: (date: string) => m.chat_pasted_text_name({ date })
		},
		get thinking() {
			return m.chat_thinking();
		},
		get thinkingOn() {
			return m.chat_thinking_on();
		},
		get thinkingNow() {
			return m.chat_thinking_now();
		},
		get thoughts() {
			return m.chat_thoughts();
		},
		get copy() {
			return m.chat_copy();
		},
		get copied() {
			return m.chat_copied();
		},
		get edit() {
			return m.chat_edit();
		},
		get regenerate() {
			return m.chat_regenerate();
		},
		get delete() {
			return m.chat_delete();
		},
		get save() {
			return m.chat_save();
		},
		get cancel() {
			return m.chat_cancel();
		},
		get interrupted() {
			return m.chat_interrupted();
		},
		get writingElsewhere() {
			return m.chat_writing_elsewhere();
		},
		get failed() {
			return m.chat_failed();
		},
		get cutOff() {
			return m.chat_cut_off();
		},
		/** A very long message is shown folded (src/lib/chat/preview.ts). */
		unfold: (characters: number) => m.chat_unfold({ count: characters }),
		get fold() {
			return m.chat_fold();
		},
		recovery: {
			get label() {
				return m.chat_recovery_label();
			},
			reload: (model: string) => m.chat_recovery_reload({ model }),
			smallerContext: (tokens: number) => m.chat_recovery_smaller_context({ count: tokens }),
			smallerModel: (model: string) => m.chat_recovery_smaller_model({ model })
		},
		by: (model: string) => m.chat_by({ model }),
		get answering() {
			return m.chat_answering();
		},
		get answerDone() {
			return m.chat_answer_done();
		},
		get emptyConversation() {
			return m.chat_empty_conversation();
		},
		mustLoad: (model: string) => m.chat_must_load({ model }),
		get mustLoadAny() {
			return m.chat_must_load_any();
		},
		context: (used: number, size: number) => m.chat_context({ used: formatNumber(used), size }),
		get contextWarn() {
			return m.chat_context_warn();
		},
		get contextFull() {
			return m.chat_context_full();
		},
		dropped: (n: number) => m.chat_dropped({ count: n }),
		/** A message refused before sending: its size against what the model reads, and what to do. */
		tooLong: (tokens: number, contextWindow: number, maxTokens: number) =>
			m.chat_too_long({
				tokens,
				contextWindow: formatNumber(contextWindow),
				maxTokens: formatNumber(maxTokens)
			}),
		tooLongAction: (model: string | null) =>
			model ? m.chat_too_long_action_model({ model }) : m.chat_too_long_action_none()
	},
	conversations: {
		get title() {
			return m.conversations_title();
		},
		get new() {
			return m.conversations_new();
		},
		/** The title of a conversation its first message has not named yet. */
		get untitled() {
			return m.conversations_untitled();
		},
		get search() {
			return m.conversations_search();
		},
		get searchPlaceholder() {
			return m.conversations_search_placeholder();
		},
		get noResults() {
			return m.conversations_no_results();
		},
		get searching() {
			return m.conversations_searching();
		},
		get empty() {
			return m.conversations_empty();
		},
		get rename() {
			return m.conversations_rename();
		},
		get renameLabel() {
			return m.conversations_rename_label();
		},
		get delete() {
			return m.conversations_delete();
		},
		confirmDelete: (title: string) => m.conversations_confirm_delete({ title: isolate(title) }),
		get exportMarkdown() {
			return m.conversations_export_markdown();
		},
		get exportJson() {
			return m.conversations_export_json();
		},
		get exportAll() {
			return m.conversations_export_all();
		},
		get import() {
			return m.conversations_import();
		},
		imported: (conversations: number, messages: number) =>
			m.conversations_imported({
				conversations: m.conversations_imported_conversations({ count: conversations }),
				messages: m.conversations_imported_messages({ count: messages })
			}),
		get close() {
			return m.conversations_close();
		},
		more: (n: number) => m.conversations_more({ count: formatNumber(n) }),
		get open() {
			return m.conversations_open();
		},
		get loading() {
			return m.conversations_loading();
		},
		indexingWords: (done: number, total: number) =>
			m.conversations_indexing_words({
				done: formatNumber(done),
				count: total
			}),
		get byMeaningOption() {
			return m.conversations_by_meaning_option();
		},
		get byMeaningHelp() {
			return m.conversations_by_meaning_help();
		},
		get byMeaning() {
			return m.conversations_by_meaning();
		},
		get meaningNoModel() {
			return m.conversations_meaning_no_model();
		},
		meaningIndexing: (done: number, total: number) =>
			m.conversations_meaning_indexing({
				done: formatNumber(done),
				count: total
			}),
		meaningReady: (total: number) => m.conversations_meaning_ready({ count: total }),
		get meaningGpuBusy() {
			return m.conversations_meaning_gpu_busy();
		},
		meaningFailed: (reason: string) => m.conversations_meaning_failed({ reason })
	},
	settings: {
		get title() {
			return m.settings_title();
		},
		get show() {
			return m.settings_show();
		},
		get systemPrompt() {
			return m.settings_system_prompt();
		},
		get systemPromptHint() {
			return m.settings_system_prompt_hint();
		},
		get preset() {
			return m.settings_preset();
		},
		get noPreset() {
			return m.settings_no_preset();
		},
		get savePreset() {
			return m.settings_save_preset();
		},
		get presetName() {
			return m.settings_preset_name();
		},
		get updatePreset() {
			return m.settings_update_preset();
		},
		get deletePreset() {
			return m.settings_delete_preset();
		},
		get exportPresets() {
			return m.settings_export_presets();
		},
		get importPresets() {
			return m.settings_import_presets();
		},
		presetsImported: (n: number) => m.settings_presets_imported({ count: n }),
		get sampling() {
			return m.settings_sampling();
		},
		defaultsFor: (model: string) => m.settings_defaults_for({ model }),
		get reset() {
			return m.settings_reset();
		},
		get theme() {
			return m.settings_theme();
		},
		themes: {
			get system() {
				return m.settings_themes_system();
			},
			get light() {
				return m.settings_themes_light();
			},
			get dark() {
				return m.settings_themes_dark();
			}
		}
	},
	/** The keyboard shortcuts (src/lib/keyboard/; the help sheet's own wording is there). */
	keyboard: {
		/** The header's button that opens the help sheet. */
		get open() {
			return m.keyboard_open();
		},
		/** Said to screen readers after a shortcut. */
		get copied() {
			return m.keyboard_copied();
		},
		get copyFailed() {
			return m.keyboard_copy_failed();
		},
		get nothingToCopy() {
			return m.keyboard_nothing_to_copy();
		},
		get cannotRegenerate() {
			return m.keyboard_cannot_regenerate();
		},
		opened: (title: string) => m.keyboard_opened({ title: isolate(title) }),
		get noOther() {
			return m.keyboard_no_other();
		}
	},
	device: {
		get title() {
			return m.device_title();
		},
		get adapter() {
			return m.device_adapter();
		},
		get features() {
			return m.device_features();
		},
		get limits() {
			return m.device_limits();
		},
		get copy() {
			return m.device_copy();
		},
		get copied() {
			return m.device_copied();
		},
		get copyFailed() {
			return m.device_copy_failed();
		},
		get probing() {
			return m.device_probing();
		},
		get fallback() {
			return m.device_fallback();
		},
		get f16Yes() {
			return m.device_f16_yes();
		},
		get f16No() {
			return m.device_f16_no();
		},
		/** What to do when WebGPU is unavailable (device/advice.ts picks the lines). */
		advice: {
			get insecure() {
				return m.device_advice_insecure();
			},
			get noWebgpu() {
				return m.device_advice_no_webgpu();
			},
			get noAdapter() {
				return m.device_advice_no_adapter();
			},
			chromeLinux: () => [
				m.device_advice_chrome_linux_off(),
				m.device_advice_chrome_linux_flag(),
				m.device_advice_chrome_linux_vulkan()
			],
			chrome: () => [m.device_advice_chrome_update(), m.device_advice_chrome_gpu()],
			edge: () => [m.device_advice_edge_update(), m.device_advice_edge_gpu()],
			firefox: () => [m.device_advice_firefox_version(), m.device_advice_firefox_setting()],
			safari: () => [m.device_advice_safari_version(), m.device_advice_safari_flag()],
			other: () => [m.device_advice_other()]
		},
		/** The adapter's facts (GPUAdapterInfo), and the word for one the browser does not tell. */
		info: {
			get vendor() {
				return m.device_vendor();
			},
			get architecture() {
				return m.device_architecture();
			},
			get device() {
				return m.device_device();
			},
			get description() {
				return m.device_description();
			},
			get unknown() {
				return m.device_unknown();
			}
		}
	},
	/** The language picker (src/lib/i18n/LanguagePicker.svelte). */
	language: {
		get label() {
			return m.language_label();
		},
		/** The first choice: follow the browser, whose language is named in itself. */
		browser: (language: string) => m.language_browser({ language }),
		get reloadNote() {
			return m.language_reload_note();
		}
	}
} as const;
