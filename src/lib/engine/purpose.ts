// What a model is loaded for. An engine keeps chat models (chat and vision) and embedding models
// apart: a load replaces only the models of its own purpose (see `Engine.load`), so indexing
// documents with an embedding model never drops the chat's model, wherever either runs.
import type { ModelRecord } from './types';

export type Purpose = 'chat' | 'embed';

/** Embedding models (WebLLM's model_type 1) are for `embed`; every other model is for `chat`. */
export function purposeOf(record: Pick<ModelRecord, 'model_type'>): Purpose {
	return record.model_type === 1 ? 'embed' : 'chat';
}
