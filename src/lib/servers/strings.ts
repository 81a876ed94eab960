// Every sentence about the user's own servers, for the Models page's server panel and for the
// messages of a RemoteError. Kept apart from src/lib/strings.ts like models/strings.ts; same rules:
// plain words, and a failure always says what to do next, with the exact setting to change.
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
	ollama: (origin) =>
		`Ollama: set OLLAMA_ORIGINS=${origin} where Ollama runs and restart it (it allows pages on 127.0.0.1 and localhost by itself).`,
	llamacpp: () =>
		'llama.cpp’s server allows every page by itself. Started with --api-key, its CORS answer covers the Authorization header only by the wildcard *, which the CORS standard does not count for that header: Chrome still accepts it, browsers that follow the standard refuse. Then start it without --api-key (on a network you trust), or put a proxy in front that names Authorization in Access-Control-Allow-Headers.',
	lmstudio: () =>
		'LM Studio: turn on “Enable CORS” in its server settings (or start it with lms server start --cors).',
	vllm: (origin) =>
		`vLLM: it allows every page unless started with --allowed-origins; if it was, add this page: --allowed-origins '["${origin}"]'.`
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
	const base = error.server;
	const { status, withKey, model } = error.facts;
	const name = model ? `“${model}”` : 'this model';
	switch (error.remoteCode) {
		case 'bad-url':
			return {
				title: `“${base}” is not a server address.`,
				action:
					'Type the full address of its API, starting with http:// or https://, for example http://127.0.0.1:11434/v1 for Ollama on this computer.'
			};
		case 'mixed-content':
			return {
				title: `This page was opened over https, so the browser does not let it call ${base} over plain http (mixed content).`,
				action:
					'Serve the server over https (for example behind a reverse proxy with a certificate), or open Lantern from the same computer as the server. Servers on this computer (127.0.0.1, localhost) always work.'
			};
		case 'host-not-allowed':
			return {
				title: `This copy of Lantern may connect only to ${hostList(MODEL_HOSTS)}, so ${origin(base)} is blocked: its security policy keeps the app from talking to any other site.`,
				action: `Whoever hosts Lantern can allow it by adding ${origin(base)} to LANTERN_MODEL_HOSTS and building again (see the README). A server on this computer (127.0.0.1 or localhost) always works.`
			};
		case 'unreachable':
			return {
				title: `Nothing answered at ${base}.`,
				action:
					'Check that the server is running and listens on that address and port (usually Ollama 11434, llama.cpp 8080, LM Studio 1234, vLLM 8000), and that this device can reach it. A server on another machine must listen on its network address, not only on 127.0.0.1 (Ollama: OLLAMA_HOST=0.0.0.0; llama.cpp and vLLM: --host 0.0.0.0).'
			};
		case 'cors': {
			const key = withKey
				? ' A wrong API key can look the same: vLLM refuses a wrong key without the headers a browser needs, so the browser reports it like this. Check the key too.'
				: ' If the server needs an API key (vLLM’s --api-key), enter one: vLLM refuses a missing key in a way the browser reports like this.';
			return {
				title: `Something answered at ${base}, but the browser kept Lantern from reading it (CORS): the server does not allow this page, ${pageOrigin}.`,
				action: `${ordered(base)
					.map((kind) => corsFix[kind](pageOrigin))
					.join(' ')}${key}`
			};
		}
		case 'timeout':
			return {
				title: `${base} did not answer within ${CHECK_TIMEOUT_MS / 1000} seconds.`,
				action: 'The server may be busy (loading a model, or overloaded). Check it, then try again.'
			};
		case 'unauthorized':
			return withKey
				? {
						title: 'The server refused the API key (HTTP 401).',
						action:
							'Check the key (copy it again from where the server was started, e.g. its --api-key), then press Change key.'
					}
				: {
						title: 'The server needs an API key (HTTP 401).',
						action:
							'Enter its API key (the value it was started with, e.g. --api-key) with Change key, or when you add it.'
					};
		case 'forbidden':
			return {
				title: 'The server refused access (HTTP 403).',
				action: `Check its access rules and the API key. For Ollama, allow this page with OLLAMA_ORIGINS=${pageOrigin} and restart it.`
			};
		case 'not-found':
			return {
				title: `There is no model list at ${base}/models (HTTP 404), so this is not the address of an OpenAI-compatible API.`,
				action:
					'The address usually ends in /v1, for example http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1 (llama.cpp). Check the path.'
			};
		case 'rate-limited':
			return {
				title: 'The server is busy and asked Lantern to slow down (HTTP 429).',
				action: 'Lantern already tried again twice. Wait a little, then try again.'
			};
		case 'server-error':
			return {
				title: `The server had an error (HTTP ${status ?? '5xx'}).`,
				action: 'Lantern already tried again twice. Check the server’s log, then try again.'
			};
		case 'http-status':
			return {
				title: `The server answered with HTTP ${status ?? 'an error'}.`,
				action: 'Check the address and the server’s log, then try again.'
			};
		case 'not-openai':
			return {
				title: `${base} answered, but not as an OpenAI-compatible API.`,
				action:
					'Check the address: it is the base URL of the API (usually ending in /v1), not the server’s web page.'
			};
		case 'model-gone':
			return {
				title: `The server no longer has the model ${name}.`,
				action:
					'It may have been removed or renamed there. Press Check next to the server on the Models page to see the models it has now.'
			};
		case 'server-removed':
			return {
				title: `The server of ${name} is no longer in your list.`,
				action: 'Add it again on the Models page (Your servers), or pick another model.'
			};
		case 'context-too-long':
			return {
				title: 'The conversation is longer than the server’s model takes at once.',
				action:
					'Start a new conversation, shorten your message, or pick a model with a longer context.'
			};
		case 'rejected':
			return {
				title: `The server refused the request (HTTP ${status ?? 400}).`,
				action:
					'Its own explanation is under Technical detail. A model that does not take images refuses messages with images.'
			};
		case 'stream-error':
			return {
				title: 'The server reported an error in the middle of the answer.',
				action:
					'What it wrote so far is kept. Its explanation is under Technical detail; try again.'
			};
		case 'lost':
			return {
				title: `The connection to ${base} broke in the middle of the answer.`,
				action:
					'What arrived so far is kept. Check that the server is still running, then try again.'
			};
		case 'aborted':
			return { title: 'Stopped.', action: '' };
	}
}

const rate = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 1 });

export const serversText = {
	title: 'Your servers',
	intro:
		'Models too big for a browser tab can run on your own server (Ollama, llama.cpp, LM Studio, vLLM) and be used here next to the in-browser ones. Add the address of its OpenAI-compatible API.',
	privacy:
		'Conversations with a server model go to that server and nowhere else. Everything else stays in this browser, as before.',
	baseUrl: 'Server address',
	baseUrlHint: 'If you leave out the path, Lantern adds /v1.',
	examplesTitle: 'For example:',
	examples: [
		{ name: 'Ollama', url: 'http://127.0.0.1:11434/v1' },
		{ name: 'llama.cpp', url: 'http://127.0.0.1:8080/v1' },
		{ name: 'LM Studio', url: 'http://127.0.0.1:1234/v1' },
		{ name: 'vLLM', url: 'http://gpu-box.example:8000/v1' }
	],
	label: 'Name (optional)',
	apiKey: 'API key (optional)',
	keyNote:
		'The key is stored in this browser only: it is never put in a backup, and it is sent only to this server.',
	add: 'Add server',
	adding: 'Checking the server…',
	added: (label: string, models: number) =>
		`Added ${label}: ${models === 1 ? 'one model' : `${models} models`}.`,
	duplicate: (baseUrl: string) => `${baseUrl} is already in your list.`,
	check: 'Check',
	checking: 'Checking…',
	remove: 'Remove',
	changeKey: 'Change key',
	saveKey: 'Save key',
	cancel: 'Cancel',
	keySaved: 'Key saved in this browser.',
	hasKey: 'API key stored in this browser',
	models: (n: number) => (n === 1 ? 'One model:' : `${n} models:`),
	contextWindow: (tokens: number) => `${tokens.toLocaleString('en')} tokens of context`,
	noModels:
		'The server answers but lists no models. Load or pull one there (for example ollama pull llama3.2), then press Check.',
	checkedAt: (when: string) => `Last checked ${when}.`,
	neverChecked: 'Not checked yet.',
	try: 'Try',
	trying: 'Asking…',
	tryLabel: (model: string) => `Try ${model}: ask it to say hello`,
	tryPrompt: 'Say hello in one short sentence.',
	tryStats: (ttftMs: number | null, tokensPerSec: number | null, tokens: number) =>
		[
			ttftMs === null ? null : `First token after ${Math.round(ttftMs)} ms`,
			tokensPerSec === null ? null : `${rate(tokensPerSec)} tokens a second`,
			`${tokens} ${tokens === 1 ? 'token' : 'tokens'}`
		]
			.filter(Boolean)
			.join(' · '),
	loading: (baseUrl: string) => `Asking ${baseUrl} for its models`,
	storageFailed: 'The server could not be saved in this browser’s storage.',
	/** Where a model runs, as the Chat and Compare pickers group them. */
	inBrowser: 'In this browser: nothing leaves this device',
	onServer: (label: string) => `On your server ${label}: conversations are sent there`,
	promptsTo: (label: string) => `On your server ${label}: prompts are sent there`,
	/** The chat's line while the conversation's model is a server model. */
	conversationGoes: (label: string, baseUrl: string) =>
		`This conversation goes to your server ${label} (${baseUrl}) and nowhere else. Your other conversations and in-browser models stay on this device.`,
	contextAssumed: (tokens: number) =>
		`The server does not say how much text its model reads at once, so Lantern assumes ${tokens.toLocaleString('en')} tokens (Ollama’s usual default) and leaves older messages out beyond that.`,
	ready: (name: string, label: string) =>
		`${name} on your server ${label} is ready: nothing was downloaded, and the conversation is sent to that server.`,
	/** Under an answer a server model wrote. */
	answeredOn: (label: string) => `on your server ${label}`,
	/** An answer whose first words have not come yet. */
	waiting: (label: string) => `Waiting for ${label} to answer… (Stop ends the wait.)`,
	retrying: (label: string, status: number, delayMs: number) =>
		`${label} ${status === 429 ? 'is busy (HTTP 429)' : `had an error (HTTP ${status})`}: Lantern asks again in ${Math.max(1, Math.round(delayMs / 1000))} s…`,
	/** Compare: a server model in the picker, and a comparison that uses one. */
	compareNote: (label: string) =>
		`On your server ${label}: nothing to download and no GPU memory used here; the prompt is sent to that server.`,
	compareSends: (labels: readonly string[]) =>
		`This comparison sends its prompts to your server${labels.length === 1 ? '' : 's'} ${labels.join(' and ')}; the in-browser models run on this device.`,
	planAlongside:
		'Models on your servers answer at the same time as the in-browser models and use no GPU memory here.'
} as const;
