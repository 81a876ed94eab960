// Every sentence about documents that users read, in one place (for translation). Same rules as
// src/lib/strings.ts: plain words, and a failure says what happened and what to do next.
import { formatBytes } from '$lib/models/size';
import { engineErrorText, storageErrorText, type ErrorText } from '$lib/strings';
import type { IndexingBlock } from './indexer';
import type { DocumentKind, DocumentStatus, ReadErrorCode } from './types';

export const documentsText = {
	title: 'Documents',
	intro:
		'Add your own files to ask about them. They are read, split into passages and indexed on this device: nothing is uploaded.',
	add: {
		heading: 'Add documents',
		pick: 'Choose files',
		drop: 'Or drop files here: text, Markdown, source code, HTML or PDF.',
		pasteLabel: 'Or paste text',
		pasteName: 'Name (optional)',
		pastePlaceholder: 'Paste or type text to keep as a document',
		pasteAdd: 'Add text',
		pastedName: (n: number) => `Pasted text ${n}.txt`,
		dismiss: 'Dismiss'
	},
	model: {
		heading: 'Embedding model',
		label: 'Model that indexes your documents',
		none: 'Choose an embedding model…',
		help: 'It turns each passage into numbers that capture its meaning, so a question finds passages that say the same thing in other words. snowflake-arctic-embed-s (b4) is small and fast and leaves room for a chat model; the m models find more but need more GPU memory.',
		downloaded: 'downloaded',
		partly: 'partly downloaded',
		notDownloaded: (size: string) => `not downloaded, about ${size}`,
		changing:
			'Changing the model indexes every document again with the new one (the old vectors are replaced).',
		loading: (percent: number) => `Loading the embedding model: ${percent}%`,
		sharesGpu:
			'The embedding model and a chat model stay loaded together when Lantern knows both fit in GPU memory; otherwise they take turns, and indexing asks before it unloads the chat model.'
	},
	list: {
		heading: 'Your documents',
		empty: 'No documents yet.',
		remove: 'Remove',
		removeLabel: (name: string) => `Remove ${name}`,
		pages: (n: number) => (n === 1 ? '1 page' : `${n} pages`),
		passages: (n: number) => (n === 1 ? '1 passage' : `${n} passages`),
		inCollections: 'Collections',
		readingPages: (done: number, total: number) => `Reading page ${done} of ${total}`,
		embedding: (done: number, total: number) => `Indexing: ${done} of ${total} passages`,
		progressLabel: (name: string) => `Indexing ${name}`
	},
	status: {
		reading: 'Reading…',
		embedding: 'Indexing…',
		ready: 'Indexed',
		failed: 'Could not be read'
	} satisfies Record<DocumentStatus, string>,
	kind: {
		text: 'Text',
		markdown: 'Markdown',
		code: 'Source code',
		html: 'HTML',
		pdf: 'PDF'
	} satisfies Record<DocumentKind, string>,
	collections: {
		heading: 'Collections',
		help: 'Name a set of documents to attach to a conversation as a whole.',
		nameLabel: 'New collection',
		create: 'Create',
		empty: 'No collections yet.',
		delete: 'Delete',
		deleteLabel: (name: string) => `Delete the collection ${name}`,
		count: (n: number) => (n === 1 ? '1 document' : `${n} documents`),
		member: (collection: string, document: string) => `${document} in ${collection}`
	},
	search: {
		heading: 'Search your documents',
		label: 'Question or words to find',
		placeholder: 'What does the contract say about notice periods?',
		submit: 'Search',
		searching: 'Searching…',
		none: 'No passage matches.',
		wordsOnly:
			'Searched by words only: the embedding model could not be loaded (it is not downloaded and the device is offline, or a chat model is using the GPU). Passages that say the same in other words may be missing.',
		notYet: (n: number) =>
			n === 1
				? 'One document is still being read and is not searched yet.'
				: `${n} documents are still being read and are not searched yet.`,
		show: 'Show the passage',
		hide: 'Hide the passage'
	},
	storage: {
		heading: 'Storage',
		used: (bytes: number) => `Documents use ${formatBytes(bytes)} on this device.`,
		files: (bytes: number) => `${formatBytes(bytes)} of files`,
		index: (bytes: number) => `${formatBytes(bytes)} of passages and vectors`,
		space: (free: number) => `About ${formatBytes(free)} more can be stored.`,
		private:
			'Files, passages and vectors stay in this browser’s storage and never leave the device.',
		besideModels: (bytes: number) =>
			`Of this, your documents use ${formatBytes(bytes)} (their files, passages and vectors); they are listed on the Documents page.`
	}
};

/** The documents attached to a conversation, in the chat's message box. */
export const attachText = {
	heading: 'Attached documents',
	pick: 'Attach documents',
	collection: 'Attach a collection…',
	collectionLabel: 'Attach a collection to this conversation',
	fromCollection: (name: string) => `from the collection ${name}`,
	collectionChip: (name: string, count: number) =>
		`Collection ${name} (${count === 1 ? '1 document' : `${count} documents`})`,
	remove: 'Remove',
	removeLabel: (name: string) => `Take ${name} off this conversation`,
	removeCollectionLabel: (name: string) => `Take the collection ${name} off this conversation`,
	adding: 'Storing the files…',
	help: 'Each question is sent with the passages of these documents that best match it; the answer lists them as its sources. The documents stay on this device.',
	noModel:
		'No embedding model is chosen, so passages are found by their words only. Choose one on the Documents page to find passages that say the same thing in other words.',
	storage: 'The attached documents could not be saved with this conversation.'
};

export const readErrorText: Record<ReadErrorCode, ErrorText> = {
	unsupported: {
		title: 'This file is not one Lantern can read.',
		action: 'Add text, Markdown, source code, HTML or PDF files.'
	},
	empty: {
		title: 'This file has no text in it.',
		action: 'Check that it is the file you meant, then remove it.'
	},
	'pdf-no-text': {
		title: 'This PDF has no text to read: it is probably a scan or pictures of pages.',
		action:
			'Run it through text recognition (OCR) in another app, then add the result. Lantern does not read text in images.'
	},
	'pdf-corrupt': {
		title: 'This PDF is damaged and cannot be read.',
		action: 'Open it in a PDF viewer to check it, save or export it again, then add the new copy.'
	},
	'pdf-encrypted': {
		title: 'This PDF is protected by a password.',
		action: 'Save a copy without the password in a PDF viewer, then add that copy.'
	},
	unreadable: {
		title: 'The browser could not read this file.',
		action: 'Remove it and add it again. If it keeps failing, the file may be damaged.'
	}
};

/** A file refused before anything was stored. */
export function refusedText(
	name: string,
	refusal:
		{ code: 'unsupported' } | { code: 'too-big'; size: number; needed: number; available: number }
): ErrorText {
	if (refusal.code === 'unsupported') {
		return {
			title: `${name} was not added: Lantern reads text, Markdown, source code, HTML and PDF files.`,
			action:
				'Nothing was stored. Convert it to one of these (for example, save it as PDF) and add it again.'
		};
	}
	return {
		title: `${name} was not added: it is ${formatBytes(refusal.size)}, and with its index it needs about ${formatBytes(refusal.needed)}; this browser lets Lantern store about ${formatBytes(Math.max(0, refusal.available))} more.`,
		action:
			'Nothing was stored. Free space (delete models or documents you no longer use, or free disk space), then add it again.'
	};
}

/** Why indexing waits, and what to do. */
export function blockText(block: IndexingBlock, modelName: (id: string) => string): ErrorText {
	switch (block.code) {
		case 'no-model':
			return {
				title: 'Your documents wait for an embedding model.',
				action: 'Choose one above. Until then, they can be searched by their words.'
			};
		case 'offline':
			return {
				title: `The embedding model ${modelName(block.modelId)} is not downloaded, and this device is offline.`,
				action:
					'Indexing waits and goes on by itself once you are online. To index offline later, download the model on the Models page while online.'
			};
		case 'engine': {
			const text = engineErrorText[block.error.code];
			return {
				title: `Indexing stopped. ${text.title}`,
				action: `${text.action} Then press Try again: indexing goes on where it stopped.`
			};
		}
		case 'gpu-busy':
			return {
				title: `Indexing waits: ${block.modelIds.map(modelName).join(', ')} is loaded for chat, and Lantern does not know that it and the embedding model both fit in GPU memory.`,
				action:
					'Press Index now to unload it while your documents are indexed (load it again to chat afterwards), or come back when you have finished chatting.'
			};
		case 'reader':
			return {
				title: 'Reading documents stopped: the part of Lantern that reads files did not start.',
				action: 'Reload the page, then press Try again. Your documents are kept.'
			};
		case 'storage': {
			const text = storageErrorText[block.error.code];
			return {
				title: 'Indexing stopped: the browser did not save the passages.',
				action: text.action
			};
		}
	}
}

export const retryText = 'Try again';
export const makeWayText = 'Index now';
