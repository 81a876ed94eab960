// Vectors for search by meaning: one per message, made by the embedding model the documents use
// (chat/HistoryMeaning). Stored as 8-bit integers: a vector's direction is all a cosine needs, and
// a byte per number instead of four keeps 50,000 messages' vectors at about 20 MB (384 numbers)
// with rankings that hardly move (the rounding error is under 1% of each number's range).
//
// They are derived data: removed with their message or conversation (searchIndex.ts), dropped for
// a message whose text changes, never put in a backup, and made again when missing.
import { isRecord } from './validate';

export interface MessageVector {
	messageId: string;
	conversationId: string;
	/** The embedding model that made it: vectors of another model are not compared. */
	model: string;
	/** The direction of the model's vector, each number scaled to -127..127 by the largest. */
	vector: Int8Array;
}

/** The vector in 8 bits: each number divided by the largest magnitude, times 127. */
export function quantize(vector: Float32Array): Int8Array {
	let max = 0;
	for (const x of vector) max = Math.max(max, Math.abs(x));
	const out = new Int8Array(vector.length);
	if (max === 0) return out;
	for (let i = 0; i < vector.length; i++) out[i] = Math.round(((vector[i] ?? 0) / max) * 127);
	return out;
}

/** Null when the record is damaged (the message is then embedded again). */
export function readMessageVector(raw: unknown): MessageVector | null {
	if (!isRecord(raw)) return null;
	const { messageId, conversationId, model, vector } = raw;
	if (typeof messageId !== 'string' || typeof conversationId !== 'string') return null;
	if (typeof model !== 'string' || !(vector instanceof Int8Array) || vector.length === 0)
		return null;
	return { messageId, conversationId, model, vector };
}
