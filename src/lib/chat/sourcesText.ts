// Wording of an answer's sources (passages from the conversation's attached documents) and of the
// request shown under it. Same rules as src/lib/strings.ts: plain, complete sentences.
import type { Role } from '$lib/engine/types';
import type { WordsOnlyReason } from '$lib/storage/types';

export const sourcesText = {
	searching: 'Searching the attached documents…',
	dropFiles: 'Drop files to attach them: documents, or images for a vision model',
	heading: 'Sources',
	open: (marker: number, label: string) => `Show source ${marker}: ${label}`,
	none: 'No passage of the attached documents matched the question, so none was sent with it.',
	failed:
		'The attached documents could not be read from this browser’s storage, so this answer was written without them. Reload the page and ask again.',
	wordsOnly: {
		'no-model':
			'Passages were found by their words only: no embedding model is chosen on the Documents page. Choose one to find passages that say the same thing in other words.',
		offline:
			'Passages were found by their words only: the embedding model is not downloaded, and this device is offline. Download it on the Models page to search by meaning offline.',
		'no-room':
			'Passages were found by their words only: the embedding model could not be loaded beside the chat model without unloading it, and Lantern never unloads the model you are chatting with for a search.',
		failed:
			'Passages were found by their words only: the embedding model failed to load or to read the question.'
	} satisfies Record<WordsOnlyReason, string>,
	indexing: (names: readonly string[]) =>
		names.length === 1
			? `${names[0]} was still being indexed when the question was sent: only the part indexed by then was searched.`
			: `${names.length} documents were still being indexed when the question was sent (${names.join(', ')}): only the parts indexed by then were searched.`,
	sent: 'What was sent to the model',
	sentHelp:
		'These are the messages of the request exactly as the model read them: the system prompt, the part of the conversation that fitted, and your question after its sources. Images are shown as a placeholder.',
	role: { system: 'System', user: 'You', assistant: 'Assistant' } satisfies Record<Role, string>,
	passage: {
		close: 'Close',
		title: (marker: number) => `Source ${marker}`,
		document: 'Document',
		where: 'Where'
	}
};
