// What Lantern keeps in IndexedDB, as the rest of the app sees it. Every record read back goes
// through validate.ts first, so these shapes hold even for data written by an older version or
// edited by hand.
import type { EngineErrorCode } from '$lib/engine/errors';
import type { GenerationSettings, UsageStats } from '$lib/engine/types';

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
