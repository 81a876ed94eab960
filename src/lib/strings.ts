// Every sentence a user reads, in one place, so the interface can be translated. English first.
import type { EngineErrorCode } from './engine/errors';

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
			'Your conversation is kept. Load a smaller model or one with a shorter context (the “-1k” variants), then try again.'
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
		title: 'The engine stopped unexpectedly.',
		action: 'Load the model again; Lantern restarts the engine for you.'
	},
	unknown: {
		title: 'Something went wrong in the engine.',
		action:
			'Try again. If it keeps happening, copy the diagnostics from the Device page into a bug report.'
	}
};

export const text = {
	appName: 'Lantern',
	tagline: 'Private AI chat on your own GPU. Nothing you type leaves this device.',
	nav: { chat: 'Chat', device: 'Device' },
	update: {
		available: 'A new version of Lantern is available.',
		reload: 'Reload',
		later: 'Later',
		offlineReady: 'Lantern is ready to work offline.'
	},
	loadPhase: {
		download: 'Step 1 of 3: downloading the model',
		'gpu-upload': 'Step 2 of 3: loading it onto the GPU',
		compile: 'Step 3 of 3: preparing GPU shaders',
		other: 'Preparing…'
	},
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
		assistant: 'Assistant'
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
