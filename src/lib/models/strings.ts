// Sentences about models (fit verdicts, download errors) that users read. Kept apart from
// src/lib/strings.ts only because another module owns that file; same rules: plain words, and a
// failure always says what to do next.
import type { StorageErrorCode } from '$lib/storage/errors';
import type { ErrorText } from '$lib/strings';
import type { DownloadErrorCode } from './errors';
import type { CustomModelProblem } from './ModelLibrary.svelte';
import type { RemoteProblemCode } from './remote';
import type { ExportErrorCode, ImportErrorCode } from './transferErrors';
import { formatBytes } from './size';
import { hostList, MODEL_HOSTS } from '$lib/net/hosts';

/** WebLLM's "MB" figures are mebibytes. */
const MIB = 1024 * 1024;

export const downloadErrorText: Record<DownloadErrorCode, ErrorText> = {
	network: {
		title: 'The download stopped because the connection dropped.',
		action:
			'Check your connection and press Resume: files already downloaded are kept and not fetched again.'
	},
	'not-found': {
		title: 'A file of this model was not found on the server.',
		action:
			'The model may have moved or been removed: check its address, update Lantern, or pick another model. Files already downloaded are kept.'
	},
	'server-error': {
		title: 'The model server had an error and could not send a file.',
		action:
			'Lantern tried again a few times. Try again later with Resume: files already downloaded are kept and not fetched again.'
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
	'checksum-mismatch': {
		title: 'A model file arrived damaged: its contents do not match its checksum.',
		action: 'Press Resume to fetch that file again. Nothing damaged was saved.'
	},
	'from-files': {
		title: 'This model was imported from files, and a file of it is missing or damaged.',
		action: 'Lantern cannot download it: import the model’s folder again.'
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

/** Custom-model problems, in words: what is wrong with which file, and what to check. */
export const remoteProblemText: Record<
	RemoteProblemCode,
	(url: string, status?: number) => string
> = {
	'bad-url': (url) =>
		`“${url}” is not a web address. Use a full address starting with https:// (or http:// on your own network).`,
	unreachable: (url) =>
		`Could not reach ${url}. Check the address and your connection; the server must also allow this site to read it (CORS).`,
	'http-status': (url, status) =>
		status === 404
			? `${url} was not found (HTTP 404). Check the address: the base URL must hold mlc-chat-config.json under resolve/main/.`
			: `The server refused ${url} (HTTP ${status ?? '?'}). Try again later, or check that you may read it.`,
	html: (url) =>
		`${url} is a web page, not a model file. You may need to sign in, or the address points at a page instead of the file.`,
	'host-not-allowed': (origin) =>
		`This copy of Lantern downloads models only from ${hostList(MODEL_HOSTS)}, so ${origin} is blocked: its security policy keeps the app from talking to any other site. Whoever hosts Lantern can allow it by adding ${origin} to LANTERN_MODEL_HOSTS and building again (see the README).`,
	'bad-json': (url) => `${url} is not valid JSON. The file is damaged or not an MLC model file.`,
	'wrong-layout': (url) =>
		url.endsWith('tensor-cache.json')
			? `${url} is JSON, but not an MLC tensor cache: it lists no weight shards (“records” with dataPath and nbytes).`
			: `${url} is JSON, but not an MLC chat config: it names no tokenizer (“tokenizer_files”).`,
	'not-wasm': (url) => `${url} is not a WebAssembly model library (.wasm).`
};

export const libraryText = {
	title: 'Models',
	intro:
		'Download models for later, see what is stored and whether each model runs on this device.',
	online: 'Online',
	offline: 'Offline',
	readyOfflineCount: (n: number) => `${n} model${n === 1 ? '' : 's'} ready offline`,
	readyOffline: 'Ready offline',
	partial: 'Partly downloaded',
	verdict: { runs: 'Runs', 'may-oom': 'May run out of memory', unsupported: 'Not supported here' },
	kind: { chat: 'Chat', vision: 'Vision', embedding: 'Embedding' },
	custom: 'Custom',
	parameters: 'Parameters',
	quantization: 'Quantization',
	context: 'Context',
	vram: 'GPU memory',
	size: 'Download',
	licence: 'Licence',
	maker: 'Made by',
	safety: {
		tuned: 'Instruction- and safety-tuned by its makers',
		base: 'Not instruction- or safety-tuned'
	},
	modelCard: 'Model card',
	unknownOrigin:
		'Maker, licence and tuning unknown: check them with whoever publishes this model before you use it.',
	unknown: 'unknown',
	about: (size: string) => `about ${size} (estimate)`,
	exact: (size: string) => size,
	checkSize: 'Get exact size',
	noSpace: (need: string, free: string) =>
		`Too big for the space left: it needs ${need} of free space; this site has ${free}.`,
	checkingSize: 'Checking size…',
	sizeFailed: 'Could not read the exact size.',
	tokens: (n: number) => `${n.toLocaleString('en-US')} tokens`,
	download: 'Download',
	resume: 'Resume',
	cancel: 'Cancel',
	repair: 'Repair',
	delete: 'Delete',
	queued: 'Waiting…',
	preparing: 'Preparing…',
	progress: (done: string, total: string) => `${done} of ${total}`,
	speed: (speed: string, eta: string) => `${speed}, ${eta} left`,
	search: 'Search models',
	searchPlaceholder: 'Name, family or maker',
	filters: {
		parameters: 'Parameters',
		quantization: 'Quantization',
		context: 'Context window',
		fits: 'Runs on this device',
		downloaded: 'Downloaded',
		any: 'Any',
		noMatch: 'No model matches these filters.'
	},
	shown: (n: number, total: number) => `${n} of ${total} models`,
	catalog: 'Catalog',
	/** Which file a download failed on: its name, and the server's answer if there was one. */
	failedFile: (name: string, status?: number) =>
		status === undefined ? `File: ${name}.` : `File: ${name} (HTTP ${status}).`,
	quotaFigures: (needed: string, available: string) =>
		`It needs ${needed} of free space; ${available} is available.`,
	contextAtLeast: (k: number) => `${k}k tokens or more`,
	parameterBuckets: {
		any: 'Any',
		'under-1b': 'Under 1B',
		'1b-4b': '1B to 4B',
		'4b-9b': '4B to 9B',
		'9b-plus': '9B and more'
	},
	queue: {
		title: 'Downloads',
		done: 'Downloaded',
		cancelled: 'Cancelled',
		clear: 'Clear finished'
	},
	storage: {
		title: 'Storage',
		used: (used: string, quota: string) => `${used} used of ${quota} this site may use`,
		unknown: 'This browser does not say how much space is available.',
		none: 'No models are stored yet.',
		lastUsed: 'Last used',
		never: 'never',
		onDisk: 'On disk',
		model: 'Model',
		deleteAll: 'Delete all models',
		confirmDeleteAll: (n: number, size: string) =>
			`Delete ${n} model${n === 1 ? '' : 's'} (${size})? You will have to download them again.`,
		confirm: 'Yes, delete them',
		keep: 'Keep them',
		persist: 'Keep my models',
		persistHelp:
			'Asks the browser not to clear stored models when disk space runs low (otherwise it may, without asking).',
		persisted: 'The browser agreed to keep your models until you delete them.',
		notPersisted:
			'The browser did not agree (yet). It decides by itself; installing Lantern or bookmarking it often helps.',
		unsupported: 'This browser cannot be asked to keep stored data.'
	},
	customModels: {
		title: 'Custom models',
		intro:
			'Add a model in MLC’s format from any address: a Hugging Face repository, or a mirror on your own network.',
		baseUrl: 'Base URL (holds mlc-chat-config.json)',
		libraryUrl: 'Model library URL (.wasm)',
		modelId: 'Name (optional)',
		kind: 'Kind',
		kindAuto: 'Read from its config',
		fromFiles: 'imported from files',
		add: 'Check and add',
		checking: 'Checking…',
		added: (id: string, size: string) => `Added ${id} (${size}).`,
		remove: 'Remove',
		duplicate: (id: string) => `A model named “${id}” already exists. Choose another name.`,
		checkFailed:
			'The model could not be checked: its files could not be read. Check your connection and the addresses, then try again.',
		notSaved: {
			'quota-exceeded':
				'The model checks out, but the browser has no room left to keep it. Delete models or conversations you no longer use, then add it again.',
			outdated:
				'The model checks out, but Lantern was updated in another tab. Reload this page, then add it again.',
			unavailable:
				'The model checks out, but this browser window cannot save it: private windows in some browsers block storage. Open Lantern in a normal window to add it.',
			'not-found':
				'The model checks out, but it could not be saved. Reload the page and add it again.'
		} satisfies Record<StorageErrorCode, string>,
		localhost:
			'Its model library is on localhost: WebLLM fetches such libraries on every load, so this model cannot work offline. Use 127.0.0.1 or a host name instead.',
		none: 'No custom models yet.'
	},
	offlineNotDownloaded: (id: string) =>
		`You are offline, and ${id} is not downloaded. Connect to the internet to download it, or pick a model marked “ready offline”.`
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
		title: 'This is not a model folder.',
		action:
			'Choose the folder that holds mlc-chat-config.json, tensor-cache.json and the params_shard files, or a .tar file that Lantern exported. Nothing was stored.'
	}),
	'bad-model-file': (file) => ({
		title: `${file} is damaged or not an MLC model file.`,
		action:
			'Copy the model folder again from where it came from, then import it. Nothing was stored.'
	}),
	'missing-file': (file) => ({
		title: `The folder lacks ${file}, which the model needs.`,
		action: 'Copy the whole model folder again (every file), then import it. Nothing was stored.'
	}),
	'size-mismatch': (file, facts) => ({
		title: `${file} has the wrong size: ${formatCount(facts.received)} bytes instead of ${formatCount(facts.expected)}.`,
		action:
			'The copy is incomplete or damaged. Copy that file again, then import the folder. Nothing was stored.'
	}),
	'checksum-mismatch': (file) => ({
		title: `${file} is damaged: its contents do not match the checksum in tensor-cache.json.`,
		action:
			'Copy that file again from where it came from, then import the folder. Nothing was stored.'
	}),
	'no-library': (_file, facts) => ({
		title:
			facts.count === 0
				? 'The model library (.wasm) is missing.'
				: 'The folder holds several model libraries (.wasm), and none is named as this model’s.',
		action:
			'Choose the model’s .wasm file under “Model library”, then import the folder again. Nothing was stored.'
	}),
	'not-wasm': (file) => ({
		title: `${file} is not a WebAssembly model library.`,
		action:
			'Choose the model’s .wasm file under “Model library”, then import again. Nothing was stored.'
	}),
	'bad-archive': () => ({
		title: 'This file is not a complete model archive.',
		action:
			'It may be cut short or not exported by Lantern. Copy it again, then import it. Nothing was stored.'
	}),
	'read-failed': (file) => ({
		title: file ? `${file} could not be read.` : 'The files could not be read.',
		action:
			'Check that the disk or USB stick is still connected and the files are unchanged, then import again. Nothing was stored.'
	}),
	quota: (_file, facts) => ({
		title: 'There is not enough storage space for this model.',
		action:
			typeof facts.needed === 'number' && typeof facts.available === 'number'
				? `It needs ${formatBytes(facts.needed)} of free space; ${formatBytes(Math.max(0, facts.available))} is available. Delete models you no longer use, or free disk space, then import again. Nothing was stored.`
				: 'The disk filled up during the import. Delete models you no longer use, or free disk space, then import again. Nothing was stored.'
	}),
	storage: () => ({
		title: 'The browser refused to save the model.',
		action:
			'Check that this site may store data (private windows often may not), then import again. Nothing was stored.'
	}),
	aborted: () => ({ title: 'Import cancelled.', action: 'Nothing was stored.' })
};

/** Exporting a model: what went wrong, and what to do. */
export const exportErrorText: Record<ExportErrorCode, ErrorText> = {
	incomplete: {
		title: 'This model is not completely downloaded.',
		action: 'Download it (or press Repair), then export it.'
	},
	'read-failed': {
		title: 'A stored file of this model could not be read.',
		action: 'Press Repair on the model, then export it again.'
	},
	'write-failed': {
		title: 'The export could not be written.',
		action:
			'The destination may be full, removed or read-only. Free space or choose another place, then export again. What was written was removed.'
	},
	aborted: {
		title: 'Export cancelled.',
		action: 'What was written was removed. Export again whenever you like.'
	}
};

type ErrorFacts = Readonly<Record<string, number | string>>;

const formatCount = (n: number | string | undefined) =>
	typeof n === 'number' ? n.toLocaleString('en-US') : '?';

export const transferText = {
	importTitle: 'Import a model from files',
	importIntro:
		'Bring a model from a USB stick or another computer, with no internet: a folder in MLC’s format (mlc-chat-config.json, tensor-cache.json, the params_shard files, the tokenizer and the model library .wasm), or a .tar file that Lantern exported. Every file is checked before it is kept.',
	chooseFolder: 'Choose a folder…',
	chooseArchive: 'Choose an exported file (.tar)…',
	library: 'Model library (.wasm), if it is not in the folder',
	kind: 'Kind',
	kindAuto: 'Read from its config',
	drop: 'Or drop a model folder or an exported .tar file here.',
	checking: 'Checking the files…',
	copying: (done: string, total: string) => `Checking and storing: ${done} of ${total}`,
	imported: (id: string, size: string) =>
		`Imported ${id} (${size}). It is ready offline: choose it on the Chat page.`,
	importedCatalog: (id: string, size: string) =>
		`Imported ${id} (${size}): the catalog model is now downloaded and ready offline.`,
	cancel: 'Cancel',
	exportTitle: 'Export a model',
	exportIntro:
		'Save a downloaded model to a folder or one file, to carry it to another computer and import it there.',
	exportModel: 'Model',
	noneReady: 'No model is downloaded completely yet.',
	exportFolder: 'Export to a folder…',
	exportFile: 'Export as one file (.tar)',
	exporting: (done: string, total: string) => `Exporting: ${done} of ${total}`,
	exported: (id: string, size: string, where: string) => `Exported ${id} (${size}) ${where}.`,
	toFolder: (folder: string) => `into the folder “${folder}”`,
	toFile: (file: string) => `as ${file}`
} as const;
