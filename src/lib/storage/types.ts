// What Lantern keeps in IndexedDB, as the rest of the app sees it. Every record read back goes
// through validate.ts first, so these shapes hold even for data written by an older version or
// edited by hand.
import type { EngineErrorCode } from '$lib/engine/errors';
import type { ChatMessage, GenerationSettings, UsageStats } from '$lib/engine/types';

export interface Conversation {
	/** Random UUID; never changes. */
	id: string;
	/** Never empty: a conversation without a title reads back as `DEFAULT_TITLE`. */
	title: string;
	/** Milliseconds since the epoch. */
	createdAt: number;
	/** Bumped by every write to the conversation or its messages; the list is sorted by it. */
	updatedAt: number;
	/** The model the conversation continues with; null until one is chosen. */
	modelId: string | null;
	/** Sent first with every request; '' means none. */
	systemPrompt: string;
	/** Only valid fields survive a read; absent fields take the model's defaults. */
	settings: GenerationSettings;
}

export type MessageRole = 'user' | 'assistant' | 'system';

/**
 * - `complete`: finished normally (every user and system message is complete).
 * - `streaming`: an answer being written; saved periodically while tokens arrive. Found on load in a
 *   tab that is not streaming it, it means the tab that was writing it died: show it as interrupted.
 * - `interrupted`: the user stopped it, or the tab closed; the partial text is kept and sent back as
 *   history as it is.
 * - `error`: generation failed; `errorCode` says why. Never sent back as history.
 */
export type MessageStatus = 'complete' | 'streaming' | 'interrupted' | 'error';

export interface Message {
	/** Random UUID; never changes. */
	id: string;
	conversationId: string;
	role: MessageRole;
	/** The answer only: reasoning is kept apart in `reasoning`. */
	content: string;
	/** Milliseconds since the epoch; strictly increasing within a conversation written by one tab. */
	createdAt: number;
	/** Assistant messages: which model wrote it. */
	modelId?: string;
	/** Assistant messages, once finished. */
	stats?: UsageStats;
	status: MessageStatus;
	/** Assistant messages of reasoning models: the `<think>` text, shown folded, never sent back. */
	reasoning?: string;
	/** User messages to vision models: images as JPEG data URLs (see chat/image.ts). */
	images?: string[];
	/** Status `error` only. */
	errorCode?: EngineErrorCode;
	/**
	 * Assistant messages of a conversation with documents attached: the passages the answer was
	 * given (its numbered sources) and the request as sent. Absent in older records and elsewhere.
	 */
	sources?: AnswerSources;
}

/** A passage an answer was given, under its source marker. */
export interface SourceRef {
	/** Its number in the request: 1 for [1]. */
	marker: number;
	/** Where it is: "report.pdf, page 12", "notes.md › Setup", "main.ts, line 40". */
	label: string;
	documentId: string;
	/** The document's name when the answer was written (it may since have been removed). */
	documentName: string;
	passageId: string;
	/** The passage's text as it was sent (plain text, never rendered). */
	text: string;
	/** PDFs: its 1-based page; null otherwise. */
	page: number | null;
}

/**
 * Why a question was matched by its words alone: no embedding model picked, not downloaded while
 * offline, no room for it beside the chat model on the GPU, or the engine failed.
 */
export type WordsOnlyReason = 'no-model' | 'offline' | 'no-room' | 'failed';

/** What an answer was given from the conversation's attached documents. */
export interface AnswerSources {
	/** The passages sent, in marker order (empty when none matched or fitted). */
	passages: SourceRef[];
	/** Set when the question was not embedded, and words alone found the passages. */
	wordsOnly?: WordsOnlyReason;
	/** Attached documents still being read or indexed when the question was sent (their names). */
	indexing: string[];
	/** True when the attached documents could not be read from storage: none were searched. */
	failed?: boolean;
	/**
	 * The request's messages exactly as sent (the system prompt, the history that fitted, and the
	 * question after its sources), except that images are kept as a short placeholder.
	 */
	request: ChatMessage[];
}

/** A conversation and its messages, oldest message first. */
export interface ConversationWithMessages {
	conversation: Conversation;
	messages: Message[];
}

/** A saved system prompt the user can pick when starting a conversation. */
export interface Preset {
	id: string;
	/** Never empty. */
	name: string;
	prompt: string;
	createdAt: number;
	updatedAt: number;
}

/** One app setting; values are validated by whoever reads the key. */
export interface SettingEntry {
	key: string;
	value: unknown;
}

/**
 * A setting whose key starts with this stays on this device: a backup never contains it, and
 * restoring a backup never writes it (e.g. the API keys of the user's own servers, remote/).
 */
export const DEVICE_ONLY_PREFIX = 'device:';

export const isDeviceOnlySetting = (key: string) => key.startsWith(DEVICE_ONLY_PREFIX);

export const DEFAULT_TITLE = 'New conversation';
