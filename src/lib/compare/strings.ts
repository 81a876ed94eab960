// Every sentence the compare pages show, in one place (see src/lib/strings.ts for the rest).
import { formatList, formatNumber, formatUnit } from '$lib/i18n/format';
import * as m from '$lib/i18n/paraglide/m/compare.js';
import type { StorageErrorCode } from '$lib/storage/errors';
import { errorText, type ErrorText } from '$lib/i18n/errorText';
import type { CompareErrorCode } from './errors';

export const compareText = {
	get title() {
		return m.compare_title();
	},
	get intro() {
		return m.compare_intro();
	},
	tabs: {
		get compare() {
			return m.compare_tabs_compare();
		},
		get suites() {
			return m.compare_tabs_suites();
		},
		get leaderboard() {
			return m.compare_tabs_leaderboard();
		},
		get saved() {
			return m.compare_tabs_saved();
		}
	},
	get pickModels() {
		return m.compare_pick_models();
	},
	modelSlot: (n: number) => m.compare_model_slot({ n }),
	get addModel() {
		return m.compare_add_model();
	},
	get removeModel() {
		return m.compare_remove_model();
	},
	get blindMode() {
		return m.compare_blind_mode();
	},
	get budget() {
		return m.compare_budget();
	},
	budgetHint: (auto: number | undefined) =>
		auto === undefined
			? m.compare_budget_hint_unknown()
			: m.compare_budget_hint({ size: formatUnit(Math.round(auto), 'megabyte') }),
	planTogether: (mb: string, budget: string) => m.compare_plan_together({ mb, budget }),
	planTurns: (groups: number) => m.compare_plan_turns({ groups }),
	get planUnknown() {
		return m.compare_plan_unknown();
	},
	get settings() {
		return m.compare_settings();
	},
	get systemPrompt() {
		return m.compare_system_prompt();
	},
	get promptPlaceholder() {
		return m.compare_prompt_placeholder();
	},
	/** The prompt box's name for screen readers. */
	get promptLabel() {
		return m.compare_prompt_label();
	},
	get followUpPlaceholder() {
		return m.compare_follow_up_placeholder();
	},
	get run() {
		return m.compare_run();
	},
	get send() {
		return m.compare_send();
	},
	get stopAll() {
		return m.compare_stop_all();
	},
	get stop() {
		return m.compare_stop();
	},
	get newComparison() {
		return m.compare_new_comparison();
	},
	get chooseTwo() {
		return m.compare_choose_two();
	},
	blindName: (label: string) => m.compare_blind_name({ label }),
	waitingFor: (names: string[]) => m.compare_waiting_for({ names: formatList(names) }),
	get loading() {
		return m.compare_loading();
	},
	get stopped() {
		return m.compare_stopped();
	},
	load: (ms: number | null | undefined) =>
		ms === undefined
			? ''
			: ms === null
				? m.compare_load_already()
				: m.compare_load({ duration: formatUnit(ms / 1000, 'second', 1) }),
	settingsLine: (s: {
		temperature: number;
		top_p: number;
		max_tokens: number;
		seed: number | null;
		systemPrompt: string;
	}) =>
		[
			m.compare_settings_temperature({ value: formatNumber(s.temperature) }),
			m.compare_settings_top_p({ value: formatNumber(s.top_p) }),
			m.compare_settings_max_tokens({ value: formatNumber(s.max_tokens) }),
			m.compare_settings_seed({
				value: s.seed === null ? m.compare_settings_seed_random() : String(s.seed)
			}),
			s.systemPrompt
				? m.compare_settings_system({
						prompt: `${s.systemPrompt.slice(0, 40)}${s.systemPrompt.length > 40 ? '…' : ''}`
					})
				: m.compare_settings_no_system()
		].join(' · '),
	get continueAsChat() {
		return m.compare_continue_as_chat();
	},
	storage: {
		get complete() {
			return m.compare_storage_complete();
		},
		get partial() {
			return m.compare_storage_partial();
		},
		get absent() {
			return m.compare_storage_absent();
		},
		get download() {
			return m.compare_storage_download();
		},
		get queued() {
			return m.compare_storage_queued();
		},
		get downloading() {
			return m.compare_storage_downloading();
		},
		get failed() {
			return m.compare_storage_failed();
		}
	},
	vote: {
		get question2() {
			return m.compare_vote_question2();
		},
		get questionN() {
			return m.compare_vote_question_n();
		},
		better: (label: string) => m.compare_vote_better({ label }),
		best: (label: string) => m.compare_vote_best({ label }),
		get tie() {
			return m.compare_vote_tie();
		},
		get bothBad() {
			return m.compare_vote_both_bad();
		},
		get allBad() {
			return m.compare_vote_all_bad();
		},
		get tags() {
			return m.compare_vote_tags();
		},
		get thanks() {
			return m.compare_vote_thanks();
		},
		get voted() {
			return m.compare_vote_voted();
		}
	},
	leaderboard: {
		get title() {
			return m.compare_leaderboard_title();
		},
		get empty() {
			return m.compare_leaderboard_empty();
		},
		get filter() {
			return m.compare_leaderboard_filter();
		},
		get allTags() {
			return m.compare_leaderboard_all_tags();
		},
		get model() {
			return m.compare_leaderboard_model();
		},
		get rating() {
			return m.compare_leaderboard_rating();
		},
		get interval() {
			return m.compare_leaderboard_interval();
		},
		get votes() {
			return m.compare_leaderboard_votes();
		},
		get record() {
			return m.compare_leaderboard_record();
		},
		get elo() {
			return m.compare_leaderboard_elo();
		},
		get note() {
			return m.compare_leaderboard_note();
		},
		get export() {
			return m.compare_leaderboard_export();
		},
		get import() {
			return m.compare_leaderboard_import();
		},
		imported: (n: number) => m.compare_leaderboard_imported({ count: n }),
		importFailed: (why: string) => m.compare_leaderboard_import_failed({ why })
	},
	suites: {
		get title() {
			return m.compare_suites_title();
		},
		get name() {
			return m.compare_suites_name();
		},
		get prompts() {
			return m.compare_suites_prompts();
		},
		get tags() {
			return m.compare_suites_tags();
		},
		get save() {
			return m.compare_suites_save();
		},
		get empty() {
			return m.compare_suites_empty();
		},
		get run() {
			return m.compare_suites_run();
		},
		promptCount: (n: number) => m.compare_suites_prompt_count({ count: n }),
		get runningNow() {
			return m.compare_suites_running_now();
		},
		get delete() {
			return m.compare_suites_delete();
		},
		get edit() {
			return m.compare_suites_edit();
		},
		get runs() {
			return m.compare_suites_runs();
		},
		get resume() {
			return m.compare_suites_resume();
		},
		get stop() {
			return m.compare_suites_stop();
		},
		get open() {
			return m.compare_suites_open();
		},
		progress: (done: number, total: number) =>
			m.compare_suites_progress({ done: formatNumber(done), total }),
		status: {
			get running() {
				return m.compare_suites_status_running();
			},
			get stopped() {
				return m.compare_suites_status_stopped();
			},
			get done() {
				return m.compare_suites_status_done();
			}
		} as Record<string, string>,
		get interrupted() {
			return m.compare_suites_interrupted();
		},
		get needModels() {
			return m.compare_suites_need_models();
		},
		usesModels: (ids: readonly string[]) =>
			m.compare_suites_uses_models({ models: formatList(ids, 'unit') }),
		get exportJson() {
			return m.compare_suites_export_json();
		},
		get exportCsv() {
			return m.compare_suites_export_csv();
		},
		get exportCard() {
			return m.compare_suites_export_card();
		},
		get prompt() {
			return m.compare_suites_prompt();
		},
		activityLoading: (names: string[]) =>
			m.compare_suites_activity_loading({ models: formatList(names, 'unit') }),
		activityPrompt: (n: number, total: number, names: string[]) =>
			m.compare_suites_activity_prompt({
				number: formatNumber(n),
				total: formatNumber(total),
				models: formatList(names, 'unit')
			})
	},
	saved: {
		get title() {
			return m.compare_saved_title();
		},
		get empty() {
			return m.compare_saved_empty();
		},
		get open() {
			return m.compare_saved_open();
		},
		get delete() {
			return m.compare_saved_delete();
		},
		get blind() {
			return m.compare_saved_blind();
		},
		hidden: (n: number) => m.compare_saved_hidden({ count: n })
	},
	errors: {
		'model-missing': errorText(
			m.compare_errors_model_missing_title,
			m.compare_errors_model_missing_action
		),
		/** Saving or reading comparisons, votes, suites and runs failed. */
		storage: {
			'quota-exceeded': errorText(
				m.compare_errors_storage_quota_exceeded_title,
				m.compare_errors_storage_quota_exceeded_action
			),
			outdated: errorText(
				m.compare_errors_storage_outdated_title,
				m.compare_errors_storage_outdated_action
			),
			unavailable: errorText(
				m.compare_errors_storage_unavailable_title,
				m.compare_errors_storage_unavailable_action
			),
			'not-found': errorText(
				m.compare_errors_storage_not_found_title,
				m.compare_errors_storage_not_found_action
			)
		} satisfies Record<StorageErrorCode, ErrorText>
	} satisfies { storage: Record<StorageErrorCode, ErrorText> } & Record<
		CompareErrorCode,
		ErrorText
	>,
	titleOf: (prompt: string) => {
		const line = prompt.trim().split('\n')[0] ?? '';
		return line.length > 60 ? `${line.slice(0, 57)}…` : line || m.compare_title_default();
	}
};
