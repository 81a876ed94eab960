// Every sentence about the user's own servers, for the Models page's server panel and for the
// messages of a RemoteError. Kept apart from src/lib/strings.ts like models/strings.ts; same rules:
// plain words, and a failure always says what to do next, with the exact setting to change.
import { formatList, formatNumber, formatUnit } from '$lib/i18n/format';
import * as m from '$lib/i18n/paraglide/m/servers.js';
import { hostList, MODEL_HOSTS } from '$lib/net/hosts';
import type { ErrorText } from '$lib/strings';
import type { RemoteError } from './errors';
import { CHECK_TIMEOUT_MS } from './probe';

export type ServerKind = 'ollama' | 'llamacpp' | 'lmstudio' | 'vllm';

/** The servers' usual ports: a guess at which one it is, to name its setting first. */
const DEFAULT_PORTS: Record<string, ServerKind> = {
	'11434': 'ollama',
	'8080': 'llamacpp',
	'1234': 'lmstudio',
	'8000': 'vllm'
};

export function guessKind(baseUrl: string): ServerKind | null {
	try {
		return DEFAULT_PORTS[new URL(baseUrl).port] ?? null;
	} catch {
		return null;
	}
}

const KIND_ORDER: readonly ServerKind[] = ['ollama', 'llamacpp', 'lmstudio', 'vllm'];

/** How each server is told to allow a page's origin (CORS). */
const corsFix: Record<ServerKind, (origin: string) => string> = {
	ollama: (origin) => m.server_error_cors_fix_ollama({ origin }),
	llamacpp: () => m.server_error_cors_fix_llamacpp(),
	lmstudio: () => m.server_error_cors_fix_lmstudio(),
	vllm: (origin) => m.server_error_cors_fix_vllm({ origin })
};

function ordered(baseUrl: string): ServerKind[] {
	const first = guessKind(baseUrl);
	return first ? [first, ...KIND_ORDER.filter((k) => k !== first)] : [...KIND_ORDER];
}

const origin = (url: string) => {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
};

/**
 * A RemoteError in words. `pageOrigin` is where Lantern runs (`location.origin`): the value a
 * server must allow.
 */
export function remoteErrorText(error: RemoteError, pageOrigin: string): ErrorText {
	const address = error.server;
	const { status, withKey, model } = error.facts;
	const name = model ? m.server_error_named_model({ model }) : m.server_error_this_model();
	switch (error.remoteCode) {
		case 'bad-url':
			return {
				title: m.server_error_bad_url_title({ address }),
				action: m.server_error_bad_url_action()
			};
		case 'mixed-content':
			return {
				title: m.server_error_mixed_content_title({ address }),
				action: m.server_error_mixed_content_action()
			};
		case 'host-not-allowed':
			return {
				title: m.server_error_host_not_allowed_title({
					hosts: hostList(MODEL_HOSTS),
					origin: origin(address)
				}),
				action: m.server_error_host_not_allowed_action({ origin: origin(address) })
			};
		case 'unreachable':
			return {
				title: m.server_error_unreachable_title({ address }),
				action: m.server_error_unreachable_action()
			};
		case 'cors':
			return {
				title: m.server_error_cors_title({ address, origin: pageOrigin }),
				action: [
					...ordered(address).map((kind) => corsFix[kind](pageOrigin)),
					withKey ? m.server_error_cors_with_key() : m.server_error_cors_without_key()
				].join(' ')
			};
		case 'timeout':
			return {
				title: m.server_error_timeout_title({
					address,
					duration: formatUnit(CHECK_TIMEOUT_MS / 1000, 'second')
				}),
				action: m.server_error_timeout_action()
			};
		case 'unauthorized':
			return withKey
				? {
						title: m.server_error_unauthorized_key_title(),
						action: m.server_error_unauthorized_key_action()
					}
				: {
						title: m.server_error_unauthorized_title(),
						action: m.server_error_unauthorized_action()
					};
		case 'forbidden':
			return {
				title: m.server_error_forbidden_title(),
				action: m.server_error_forbidden_action({ origin: pageOrigin })
			};
		case 'not-found':
			return {
				title: m.server_error_not_found_title({ address }),
				action: m.server_error_not_found_action()
			};
		case 'rate-limited':
			return {
				title: m.server_error_rate_limited_title(),
				action: m.server_error_rate_limited_action()
			};
		case 'server-error':
			return {
				title: m.server_error_server_error_title({ status: status ?? '5xx' }),
				action: m.server_error_server_error_action()
			};
		case 'http-status':
			return {
				title:
					status === undefined
						? m.server_error_http_status_unknown_title()
						: m.server_error_http_status_title({ status }),
				action: m.server_error_http_status_action()
			};
		case 'not-openai':
			return {
				title: m.server_error_not_openai_title({ address }),
				action: m.server_error_not_openai_action()
			};
		case 'model-gone':
			return {
				title: m.server_error_model_gone_title({ model: name }),
				action: m.server_error_model_gone_action()
			};
		case 'server-removed':
			return {
				title: m.server_error_server_removed_title({ model: name }),
				action: m.server_error_server_removed_action()
			};
		case 'context-too-long':
			return {
				title: m.server_error_context_too_long_title(),
				action: m.server_error_context_too_long_action()
			};
		case 'rejected':
			return {
				title: m.server_error_rejected_title({ status: status ?? 400 }),
				action: m.server_error_rejected_action()
			};
		case 'stream-error':
			return {
				title: m.server_error_stream_error_title(),
				action: m.server_error_stream_error_action()
			};
		case 'lost':
			return {
				title: m.server_error_lost_title({ address }),
				action: m.server_error_lost_action()
			};
		case 'aborted':
			return { title: m.server_error_aborted_title(), action: '' };
	}
}

const rate = (n: number) => formatNumber(n, { maximumFractionDigits: 1 });

export const serversText = {
	get title() {
		return m.servers_title();
	},
	get intro() {
		return m.servers_intro();
	},
	get privacy() {
		return m.servers_privacy();
	},
	get baseUrl() {
		return m.servers_base_url();
	},
	get baseUrlHint() {
		return m.servers_base_url_hint();
	},
	get examplesTitle() {
		return m.servers_examples_title();
	},
	examples: [
		{ name: 'Ollama', url: 'http://127.0.0.1:11434/v1' },
		{ name: 'llama.cpp', url: 'http://127.0.0.1:8080/v1' },
		{ name: 'LM Studio', url: 'http://127.0.0.1:1234/v1' },
		{ name: 'vLLM', url: 'http://gpu-box.example:8000/v1' }
	],
	get label() {
		return m.servers_label();
	},
	get apiKey() {
		return m.servers_api_key();
	},
	get keyNote() {
		return m.servers_key_note();
	},
	get add() {
		return m.servers_add();
	},
	get adding() {
		return m.servers_adding();
	},
	added: (label: string, models: number) => m.servers_added({ label, count: models }),
	duplicate: (baseUrl: string) => m.servers_duplicate({ baseUrl }),
	get check() {
		return m.servers_check();
	},
	get checking() {
		return m.servers_checking();
	},
	get remove() {
		return m.servers_remove();
	},
	get changeKey() {
		return m.servers_change_key();
	},
	get saveKey() {
		return m.servers_save_key();
	},
	get cancel() {
		return m.servers_cancel();
	},
	get keySaved() {
		return m.servers_key_saved();
	},
	get hasKey() {
		return m.servers_has_key();
	},
	models: (n: number) => m.servers_models({ count: n }),
	contextWindow: (tokens: number) => m.servers_context_window({ count: tokens }),
	get noModels() {
		return m.servers_no_models();
	},
	checkedAt: (when: string) => m.servers_checked_at({ when }),
	get neverChecked() {
		return m.servers_never_checked();
	},
	get try() {
		return m.servers_try();
	},
	get trying() {
		return m.servers_trying();
	},
	tryLabel: (model: string) => m.servers_try_label({ model }),
	get tryPrompt() {
		return m.servers_try_prompt();
	},
	tryStats: (ttftMs: number | null, tokensPerSec: number | null, tokens: number) =>
		[
			ttftMs === null
				? null
				: m.servers_try_first_token({
						duration: formatUnit(Math.round(ttftMs), 'millisecond')
					}),
			tokensPerSec === null ? null : m.servers_try_rate({ rate: rate(tokensPerSec) }),
			m.servers_try_tokens({ count: tokens })
		]
			.filter(Boolean)
			.join(' · '),
	loading: (baseUrl: string) => m.servers_loading({ baseUrl }),
	get storageFailed() {
		return m.servers_storage_failed();
	},
	/** Where a model runs, as the Chat and Compare pickers group them. */
	get inBrowser() {
		return m.servers_in_browser();
	},
	onServer: (label: string) => m.servers_on_server({ label }),
	promptsTo: (label: string) => m.servers_prompts_to({ label }),
	/** The chat's line while the conversation's model is a server model. */
	conversationGoes: (label: string, baseUrl: string) =>
		m.servers_conversation_goes({ label, baseUrl }),
	contextAssumed: (tokens: number) => m.servers_context_assumed({ count: tokens }),
	ready: (name: string, label: string) => m.servers_ready({ name, label }),
	/** Under an answer a server model wrote. */
	answeredOn: (label: string) => m.servers_answered_on({ label }),
	/** An answer whose first words have not come yet. */
	waiting: (label: string) => m.servers_waiting({ label }),
	retrying: (label: string, status: number, delayMs: number) => {
		const seconds = formatNumber(Math.max(1, Math.round(delayMs / 1000)));
		return status === 429
			? m.servers_retrying_busy({ label, seconds })
			: m.servers_retrying_error({ label, status: String(status), seconds });
	},
	/** Compare: a server model in the picker, and a comparison that uses one. */
	compareNote: (label: string) => m.servers_compare_note({ label }),
	compareSends: (labels: readonly string[]) =>
		m.servers_compare_sends({ count: labels.length, labels: formatList(labels) }),
	get planAlongside() {
		return m.servers_plan_alongside();
	}
} as const;
