// What a conversation's attachment record resolves to: the documents attached by themselves, then
// those of its attached collections, each once, leaving out any that no longer exist.
import type { Attachment, Collection, StoredDocument } from './types';

/** An attached document, and the collection it came with (null when attached by itself). */
export interface AttachedDocument {
	document: StoredDocument;
	via: Collection | null;
}

/** Attached documents that exist, each once: those attached by themselves first. */
export function resolveAttachment(
	attachment: Attachment | null,
	documents: readonly StoredDocument[],
	collections: readonly Collection[]
): AttachedDocument[] {
	if (!attachment) return [];
	const out: AttachedDocument[] = [];
	const seen = new Set<string>();
	for (const id of attachment.documentIds) {
		const document = documents.find((d) => d.id === id);
		if (document && !seen.has(id)) {
			seen.add(id);
			out.push({ document, via: null });
		}
	}
	for (const id of attachment.collectionIds) {
		const collection = collections.find((c) => c.id === id);
		if (!collection) continue;
		for (const document of documents) {
			if (!document.collectionIds.includes(id) || seen.has(document.id)) continue;
			seen.add(document.id);
			out.push({ document, via: collection });
		}
	}
	return out;
}

/** The ids of the attached documents (what the chat searches). */
export function documentIds(attached: readonly AttachedDocument[]): Set<string> {
	return new Set(attached.map((a) => a.document.id));
}
