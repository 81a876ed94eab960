// Sentences about models (fit verdicts, download errors) that users read. Kept apart from
// src/lib/strings.ts only because another module owns that file; same rules: plain words, and a
// failure always says what to do next.
import type { ErrorText } from '$lib/strings';
import type { DownloadErrorCode } from './errors';
import { formatBytes } from './size';

/** WebLLM's "MB" figures are mebibytes. */
const MIB = 1024 * 1024;

export const downloadErrorText: Record<DownloadErrorCode, ErrorText> = {
	network: {
		title: 'The download stopped because the connection dropped.',
		action:
			'Check your connection and press Resume: files already downloaded are kept and not fetched again.'
	},
	'http-status': {
		title: 'The model server refused a file.',
		action:
			'Try again later. If it keeps failing, the model may have moved; update Lantern or pick another model.'
	},
	'not-a-model-file': {
		title: 'The network sent a web page instead of a model file.',
		action:
			'You may be behind a Wi-Fi sign-in page or a filter. Sign in or switch networks, then press Resume. Nothing wrong was saved.'
	},
	'size-mismatch': {
		title: 'A model file arrived incomplete.',
		action: 'Press Resume to fetch that file again. Nothing incomplete was saved.'
	},
	quota: {
		title: 'There is not enough storage space for this model.',
		action:
			'Delete models you no longer use, or free disk space, then try again. Nothing was downloaded.'
	},
	storage: {
		title: 'The browser refused to save the model.',
		action: 'Check that this site may store data (private windows often may not), then try again.'
	},
	aborted: { title: 'Download cancelled.', action: 'Press Download to continue where it stopped.' }
};

export const fitText = {
	runs: 'Should run on this device.',
	mayOom: 'May run out of memory on this device.',
	unsupported: 'Cannot run on this device.',
	noWebgpu: 'This browser does not offer WebGPU.',
	noAdapter: 'WebGPU found no usable graphics adapter.',
	shaderF16Missing:
		'This model needs 16-bit float shaders (shader-f16), which this GPU or browser lacks.',
	featureMissing: (feature: string) => `This model needs the GPU feature “${feature}”.`,
	bufferTooSmall: (need: number, have: number) =>
		`This model needs GPU buffers of ${formatBytes(need)}; this GPU allows ${formatBytes(have)}.`,
	memoryTight: (needMB: number, budgetMB: number) =>
		`It needs about ${formatBytes(needMB * MIB)} of GPU memory; about ${formatBytes(budgetMB * MIB)} looks available.`,
	softwareAdapter:
		'Your GPU adapter is a software (CPU) fallback: the model will run, but very slowly.',
	useAlternative: (id: string) => `Use ${id} instead: the same model without 16-bit shaders.`
} as const;
