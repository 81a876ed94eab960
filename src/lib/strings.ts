// Every sentence a user reads, in one place, so the interface can be translated. English first.
import type { EngineErrorCode } from './engine/errors';
import type { UsageStats } from './engine/types';
import type { BackupErrorCode, StorageErrorCode } from './storage/errors';

export interface ErrorText {
	title: string;
	/** What to do next, in plain words. */
	action: string;
}

export const engineErrorText: Record<EngineErrorCode, ErrorText> = {
	'no-webgpu': {
		title: 'This browser does not offer WebGPU.',
		action: 'Open the Device page for the steps that turn it on in your browser.'
	},
	'no-adapter': {
		title: 'WebGPU found no usable graphics adapter.',
		action: 'Update your GPU driver or browser, or see the Device page for this browser’s settings.'
	},
	'shader-f16-missing': {
		title: 'This model needs 16-bit float shaders (shader-f16), which this GPU or browser lacks.',
		action: 'Pick the q4f32 version of the same model instead.'
	},
	'device-lost': {
		title: 'The GPU stopped responding, most likely because it ran out of memory.',
		action:
			'Your conversation is kept. Load a smaller model, or the same one with a smaller context window, then try again.'
	},
	network: {
		title: 'The download failed because the network dropped or the server refused it.',
		action:
			'Check your connection and load the model again: files already downloaded are kept and not fetched twice.'
	},
	'storage-full': {
		title: 'There is not enough storage space for this model.',
		action: 'Delete models you no longer use, or free disk space, then try again.'
	},
	'model-library': {
		title: 'The model’s program (its WebGPU library) could not be loaded.',
		action:
			'Load the model again. If it keeps failing, this browser’s WebLLM version may not match the model; update Lantern.'
	},
	'context-window-exceeded': {
		title: 'The conversation is longer than this model can read at once.',
		action: 'Start a new conversation, shorten your message, or pick a model with a longer context.'
	},
	'model-not-found': {
		title: 'That model is not loaded.',
		action: 'Load the model first, then send your message again.'
	},
	aborted: { title: 'Cancelled.', action: '' },
	'worker-crashed': {
		title: 'The engine stopped unexpectedly (the browser may have ended it to free memory).',
		action:
			'Your conversation is kept. Load the model again: Lantern starts a fresh engine for you.'
	},
	busy: {
		title: 'Another Lantern tab is writing an answer with the model this load would replace.',
		action: 'Wait until that answer is finished, or stop it in its tab, then load again.'
	},
	'server-lost': {
		title: 'The connection to your server was lost, or the server could not be reached.',
		action:
			'What it wrote so far is kept. Check that the server is running and reachable (Models page, Your servers, Check), then ask again.'
	},
	'server-error': {
		title: 'Your server refused the request or reported an error.',
		action:
			'Press Check next to the server on the Models page: it says what is wrong and what to change. Then ask again.'
	},
	unknown: {
		title: 'Something went wrong in the engine.',
		action:
			'Try again. If it keeps happening, copy the diagnostics from the Device page into a bug report.'
	}
};

export const storageErrorText: Record<StorageErrorCode, ErrorText> = {
	'not-found': {
		title: 'That conversation no longer exists.',
		action: 'It may have been deleted in another tab. Pick another conversation or start a new one.'
	},
	'quota-exceeded': {
		title: 'The browser has no room left to save this conversation.',
		action:
			'Delete old conversations or models you no longer use, or free disk space, then try again.'
	},
	outdated: {
		title: 'Lantern was updated in another tab.',
		action:
			'Reload this page to continue; your saved conversations are kept. Copy anything you typed but have not sent yet: the reload clears the message box.'
	},
	unavailable: {
		title: 'Conversations cannot be saved in this browser window.',
		action:
			'Private windows in some browsers block storage. Open Lantern in a normal window to keep your conversations.'
	}
};

export const backupErrorText: Record<BackupErrorCode, ErrorText> = {
	'not-json': {
		title: 'This file is not a Lantern backup: it could not be read as JSON.',
		action: 'Choose the .json file that Lantern’s “Back up everything” saved. Nothing was changed.'
	},
	foreign: {
		title: 'This file is not a Lantern backup.',
		action:
			'Choose the file that Lantern’s “Back up everything” saved (a single exported conversation cannot be imported). Nothing was changed.'
	},
	'newer-version': {
		title: 'This backup was made by a newer version of Lantern.',
		action: 'Update Lantern (reload the page), then import it again. Nothing was changed.'
	},
	malformed: {
		title: 'This backup is damaged: some entries are missing or invalid.',
		action: 'Nothing was imported, so nothing was changed. Try an older backup, or export again.'
	}
};

/** What went wrong with a presets file. */
export type PresetFileErrorCode = 'not-json' | 'foreign' | 'malformed';

export const presetFileErrorText: Record<PresetFileErrorCode, ErrorText> = {
	'not-json': {
		title: 'This file is not a presets file: it could not be read as JSON.',
		action: 'Choose a .json file that Lantern’s “Share presets” saved. Nothing was changed.'
	},
	foreign: {
		title: 'This file is not a Lantern presets file.',
		action: 'Choose a file that Lantern’s “Share presets” saved. Nothing was changed.'
	},
	malformed: {
		title: 'This presets file is damaged: some presets have no name or no prompt.',
		action: 'Nothing was imported. Ask for the file again, or export it again.'
	}
};

/**
 * User text inside a sentence, between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a
 * right-to-left title, or one holding U+202E RIGHT-TO-LEFT OVERRIDE, cannot reorder the words
 * around it (in a native dialog, where no dir attribute can be set).
 */
export const isolate = (userText: string) => `\u2068${userText}\u2069`;

/** Bytes in megabytes, as people read file sizes: `104.9 MB`. */
export const megabytes = (bytes: number) =>
	`${(bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;

/** An import file refused for its size, before any of it was read (see IMPORT_LIMITS). */
export function fileTooBigText(
	kind: 'backup' | 'presets' | 'votes',
	size: number,
	limit: number
): ErrorText {
	const what = { backup: 'a backup', presets: 'a presets file', votes: 'a votes file' }[kind];
	const title = `This file is ${megabytes(size)}: Lantern reads ${what} of up to ${megabytes(limit)}.`;
	const action = {
		backup:
			'Nothing was read or changed. Check that this is the file “Back up everything” saved. A larger backup cannot be restored in a browser tab; back up again after deleting conversations with many images you no longer need.',
		presets: 'Nothing was read or changed. Choose the .json file that “Share presets” saved.',
		votes: 'Nothing was read or changed. Choose the .json file that “Export votes” saved.'
	}[kind];
	return { title, action };
}

/** A tokens-per-second figure: whole numbers from 100 up, one decimal below; '–' when unknown. */
function rate(x: number | null): string {
	if (x === null) return '–';
	return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

/**
 * What one answer cost, as Chat and Compare show it and exports write it:
 * "TTFT 120 ms · prefill 850 tok/s · decode 42.1 tok/s · 12 in, 85 out · stop".
 */
export function formatStats(stats: UsageStats): string {
	const ttft =
		stats.timeToFirstTokenMs === null ? '–' : `${Math.round(stats.timeToFirstTokenMs)} ms`;
	return [
		`TTFT ${ttft}`,
		`prefill ${rate(stats.prefillTokensPerSec)} tok/s`,
		`decode ${rate(stats.decodeTokensPerSec)} tok/s`,
		`${stats.promptTokens} in, ${stats.completionTokens} out`,
		stats.finishReason
	].join(' · ');
}

export const text = {
	appName: 'Lantern',
	technicalDetail: 'Technical detail',
	dismiss: 'Dismiss',
	tagline: 'Private AI chat on your own GPU. Nothing you type leaves this device.',
	nav: {
		chat: 'Chat',
		models: 'Models',
		documents: 'Documents',
		compare: 'Compare',
		device: 'Device'
	},
	update: {
		available: 'A new version of Lantern is available.',
		/** Another tab let the new version take over while this page runs the old one. */
		updatedElsewhere:
			'Lantern was updated in another tab. Reload when convenient: until then this page keeps working, but a part of Lantern it has not opened yet may not load.',
		/** What a reload would cut short, if anything (a reload restarts the page and its engine). */
		stopsAnswer:
			'Reloading now stops the answer being written and unloads the model. Choose Later to let it finish; your conversations are kept.',
		unloadsModel: (models: readonly string[]) =>
			`Reloading unloads ${models.join(' and ')}: you will have to load ${models.length === 1 ? 'it' : 'them'} again. Your conversations are kept.`,
		reload: 'Reload',
		later: 'Later',
		offlineReady: 'Lantern is ready to work offline.',
		/** This page must upgrade the saved data, and a tab of the previous version keeps it open. */
		blocked: {
			title: 'Lantern was updated. Close the other Lantern tabs to finish the update.',
			action:
				'A tab still running the previous version keeps your conversations open, so they cannot be updated yet. This page carries on by itself as soon as that tab is closed or reloaded; nothing is lost.'
		},
		/** The message box's hint once another tab upgraded the saved data. */
		reloadToSend:
			'Reload the page to send: Lantern was updated in another tab. What you typed stays here until then.'
	},
	loadPhase: {
		waiting: 'Waiting for an answer in another tab to finish',
		download: 'Step 1 of 3: downloading the model',
		'gpu-upload': 'Step 2 of 3: loading it onto the GPU',
		compile: 'Step 3 of 3: preparing GPU shaders',
		other: 'Preparing…'
	},
	/** The sampling fields' labels (src/lib/sampling/fields.ts), in Chat and Compare alike. */
	sampling: {
		temperature: 'Temperature',
		top_p: 'Top p',
		max_tokens: 'Max answer tokens',
		presence_penalty: 'Presence penalty',
		frequency_penalty: 'Frequency penalty',
		seed: 'Seed',
		seedHint: 'empty = random'
	},
	/** The copy button on a code block in model text (render/copyCode.ts). */
	codeBlock: { copy: 'Copy', copied: 'Copied', failed: 'Copy failed' },
	chat: {
		pickModel: 'Model',
		load: 'Load model',
		loading: 'Loading…',
		cancelLoad: 'Cancel',
		loaded: (id: string) => `${id} is ready.`,
		placeholder: 'Ask anything. Enter sends, Shift+Enter adds a line.',
		send: 'Send',
		stop: 'Stop',
		noModel: 'Load a model to start chatting.',
		you: 'You',
		assistant: 'Assistant',
		system: 'System',
		messages: 'Messages',
		attach: 'Attach images',
		removeImage: (n: number) => `Remove image ${n}`,
		imageAlt: (n: number) => `Attached image ${n}`,
		imageFailed: 'That file could not be read as an image.',
		imagesNeedVision: 'Images can only be sent to a vision model (Phi-3.5-vision).',
		dropHere: 'Drop images to attach them',
		thinking: 'Thinking',
		thinkingOn: 'Think before answering',
		thinkingNow: 'Thinking…',
		thoughts: 'Reasoning',
		copy: 'Copy',
		copied: 'Copied',
		edit: 'Edit',
		regenerate: 'Regenerate',
		delete: 'Delete',
		save: 'Send again',
		cancel: 'Cancel',
		interrupted: 'Stopped before the end.',
		writingElsewhere: 'Being written in another tab…',
		failed: 'This answer failed.',
		cutOff: 'This answer was cut off here.',
		/** A very long message is shown folded (src/lib/chat/preview.ts). */
		unfold: (characters: number) =>
			`Show the whole message (${characters.toLocaleString('en-US')} characters)`,
		fold: 'Show less',
		recovery: {
			label: 'Ways to continue',
			reload: (model: string) => `Load ${model} again`,
			smallerContext: (tokens: number) =>
				`Load again with a smaller context window (${tokens.toLocaleString('en')} tokens)`,
			smallerModel: (model: string) => `Try ${model}, a smaller model`
		},
		by: (model: string) => `by ${model}`,
		answering: 'Answering…',
		answerDone: 'Answer finished.',
		emptyConversation: 'Ask your first question below.',
		mustLoad: (model: string) => `Load ${model} to continue this conversation.`,
		mustLoadAny: 'Load a model to send a message.',
		context: (used: number, size: number) =>
			`Context: ~${used.toLocaleString('en')} of ${size.toLocaleString('en')} tokens`,
		contextWarn:
			'This conversation is close to the model’s context limit. The oldest messages will be left out of what the model reads.',
		contextFull:
			'The conversation no longer fits the model’s context window: the oldest messages are left out of what the model reads.',
		dropped: (n: number) =>
			`${n} older message${n === 1 ? ' was' : 's were'} left out so that the conversation fits the model’s context window.`,
		/** A message refused before sending: its size against what the model reads, and what to do. */
		tooLong: (tokens: number, contextWindow: number, maxTokens: number) =>
			`Your message was not sent: it is about ${tokens.toLocaleString('en')} tokens, and ${contextWindow.toLocaleString('en')} is all this model can read, ${maxTokens.toLocaleString('en')} of them kept for the answer. It is still in the message box.`,
		tooLongAction: (model: string | null) =>
			model
				? `Shorten it (or send it in parts), lower “Max answer tokens”, or load ${model}, which reads more.`
				: 'Shorten it or send it in parts, or lower “Max answer tokens”. No model on this device reads a message this long.'
	},
	conversations: {
		title: 'Conversations',
		new: 'New chat',
		search: 'Search conversations',
		searchPlaceholder: 'Search titles and messages',
		noResults: 'No conversation matches.',
		searching: 'Searching all messages…',
		indexingWords: (done: number, total: number) =>
			`Preparing search: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} conversations indexed.`,
		byMeaningOption: 'Also find conversations by meaning',
		byMeaningHelp:
			'Uses the embedding model picked on the Documents page. Everything stays on this device.',
		byMeaning: 'Similar in meaning:',
		meaningNoModel:
			'No embedding model is stored on this device. Pick one on the Documents page to search by meaning.',
		meaningIndexing: (done: number, total: number) =>
			`Indexing by meaning: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} messages. Results so far are included.`,
		meaningReady: (total: number) =>
			`Search by meaning covers all ${total.toLocaleString('en')} messages.`,
		meaningGpuBusy:
			'Indexing by meaning waits: the chat’s model uses the GPU. It goes on once the chat model is unloaded.',
		meaningFailed: (reason: string) => `Indexing by meaning stopped. ${reason}`,
		empty: 'No conversations yet.',
		rename: 'Rename',
		renameLabel: 'New title',
		delete: 'Delete',
		confirmDelete: (title: string) => `Delete “${isolate(title)}” and all its messages?`,
		exportMarkdown: 'Export Markdown',
		exportJson: 'Export JSON',
		exportAll: 'Back up everything',
		import: 'Restore a backup',
		imported: (c: number, m: number) =>
			`Restored ${c} conversation${c === 1 ? '' : 's'} and ${m} message${m === 1 ? '' : 's'}.`,
		close: 'Close',
		more: (n: number) => `Show more (${n.toLocaleString('en')})`,
		open: 'Conversations',
		loading: 'Loading conversations…'
	},
	settings: {
		title: 'Conversation settings',
		show: 'Settings',
		systemPrompt: 'System prompt',
		systemPromptHint: 'Sent first with every message of this conversation.',
		preset: 'Preset',
		noPreset: 'Choose a preset…',
		savePreset: 'Save as preset',
		presetName: 'Preset name',
		updatePreset: 'Update preset',
		deletePreset: 'Delete preset',
		exportPresets: 'Share presets',
		importPresets: 'Import presets',
		presetsImported: (n: number) => `Imported ${n} preset${n === 1 ? '' : 's'}.`,
		sampling: 'Sampling',
		defaultsFor: (model: string) => `Empty fields use the defaults for ${model}.`,
		reset: 'Reset to defaults',
		theme: 'Theme',
		themes: { system: 'System', light: 'Light', dark: 'Dark' }
	},
	/** The keyboard shortcuts (src/lib/keyboard/; the help sheet's own wording is there). */
	keyboard: {
		/** The header's button that opens the help sheet. */
		open: 'Keyboard shortcuts',
		/** Said to screen readers after a shortcut. */
		copied: 'The last answer was copied to the clipboard.',
		copyFailed: 'The clipboard refused the answer; use the Copy button under it instead.',
		nothingToCopy: 'There is no answer to copy yet.',
		cannotRegenerate: 'There is no answer to write again, or no model is loaded.',
		opened: (title: string) => `Opened “${isolate(title)}”.`,
		noOther: 'There is no other conversation that way.'
	},
	device: {
		title: 'Device',
		adapter: 'Adapter',
		features: 'Features',
		limits: 'Limits',
		copy: 'Copy diagnostics',
		copied: 'Diagnostics copied to the clipboard.',
		copyFailed: 'Could not write to the clipboard; select the text below and copy it.',
		probing: 'Checking your GPU…',
		fallback:
			'This adapter is a software (CPU) fallback. Models will run, but far too slowly for real use.',
		f16Yes: 'Supports 16-bit float shaders (shader-f16): q4f16 models can run.',
		f16No: 'No 16-bit float shaders (shader-f16): use q4f32 models.'
	}
} as const;
