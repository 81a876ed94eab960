// The open conversation: its stored messages, the answer being written, and the user's actions
// (send, stop, regenerate, edit, delete). Storage is the source of truth: messages are written
// first and then shown as written, so a reload or another tab sees the same thing. (Changes to the
// title, system prompt and settings show at once, so a message sent right after uses them.)
//
// A streaming answer is stored as soon as it starts (status 'streaming') and saved again every few
// hundred milliseconds, so closing the tab keeps what was generated. While it streams, this tab
// holds a Web Lock named after the message: another tab that finds a 'streaming' message checks
// the lock to tell "being written over there" (held) from "the writer died" (free: interrupted).
//
// The text on screen and the screen-reader announcement are updated on a timer rather than per
// token: at 1,000 tokens a second, rendering per token would be the bottleneck.
import { EngineError } from '$lib/engine/errors';
import type { Engine, GenerationSettings, ModelRecord, UsageStats } from '$lib/engine/types';
import { contextWindow } from '$lib/models/families';
import type {
	ConversationPatch,
	ConversationRepository,
	NewMessage
} from '$lib/storage/conversations';
import { StorageError } from '$lib/storage/errors';
import {
	DEFAULT_TITLE,
	type Conversation,
	type ConversationWithMessages,
	type Message
} from '$lib/storage/types';
import { Announcer } from './announcer';
import type { ChatSession } from './ChatSession.svelte';
import { canToggleThinking, effectiveSettings, isVisionModel } from './defaults';
import type { Grounding } from '$lib/grounding';
import { groundedPrompt, groundingBudget, recordedRequest } from './grounding';
import { buildPrompt, contextUsage, tooLong, type ContextUsage, type TooLong } from './prompt';
import { splitReasoning } from './reasoning';
import { throttle } from './throttle';
import { hasVisibleText, titleFrom } from './title';

/** How often the streaming answer is shown again / saved / announced. */
const PUBLISH_MS = 100;
const SAVE_MS = 400;
const ANNOUNCE_MS = 2500;
const FALLBACK_CONTEXT = 4096;

export interface LiveAnswer {
	messageId: string;
	answer: string;
	reasoning: string | null;
	thinking: boolean;
}

export interface ConversationDeps {
	repo: ConversationRepository;
	engine: Engine;
	session: ChatSession;
	model: (id: string) => ModelRecord | undefined;
	/** Called after this tab wrote to the conversation (to refresh the sidebar and search). */
	onWrite: (conversation: Conversation) => void;
	/** Passages from the conversation's attached documents, for each answer (grounding.ts). */
	grounding?: Grounding;
}

const lockName = (messageId: string) => `lantern-answer-${messageId}`;

/** Names of the answers other tabs are writing now. */
async function heldLocks(): Promise<string[]> {
	if (typeof navigator === 'undefined' || !navigator.locks) return [];
	const { held = [] } = await navigator.locks.query();
	return held.flatMap((lock) => (lock.name ? [lock.name] : []));
}

export class OpenConversation {
	#deps: ConversationDeps;
	#conversation = $state.raw<Conversation>();
	/** False for a new conversation until its first write. */
	#saved = $state(false);
	#messages = $state.raw<Message[]>([]);
	#live = $state.raw<LiveAnswer | null>(null);
	#elsewhere = $state.raw<readonly string[]>([]);
	#generating = $state(false);
	#searching = $state(false);
	#dropped = $state(0);
	#error = $state.raw<EngineError | StorageError | null>(null);
	#tooLong = $state.raw<{ modelId: string | null; refused: TooLong } | null>(null);
	#announcement = $state('');
	#abort: AbortController | null = null;

	constructor(deps: ConversationDeps, data: ConversationWithMessages, saved: boolean) {
		this.#deps = deps;
		this.#conversation = data.conversation;
		this.#messages = data.messages;
		this.#saved = saved;
	}

	/** Reads a stored conversation; 'streaming' answers whose writer is gone become interrupted. */
	static async load(deps: ConversationDeps, id: string): Promise<OpenConversation | null> {
		const data = await deps.repo.get(id);
		if (!data) return null;
		const open = new OpenConversation(deps, data, true);
		await open.#settleStreaming();
		return open;
	}

	get id() {
		return this.conversation.id;
	}
	get conversation(): Conversation {
		// Always set in the constructor; the type of an uninitialised $state.raw includes undefined.
		return this.#conversation as Conversation;
	}
	get saved() {
		return this.#saved;
	}
	get messages(): readonly Message[] {
		return this.#messages;
	}
	/** The answer this tab is writing now, as last published; null when idle. */
	get live() {
		return this.#live;
	}
	/** Ids of answers another tab is writing. */
	get elsewhere() {
		return this.#elsewhere;
	}
	get generating() {
		return this.#generating;
	}
	/** The attached documents are being searched for the question (before the answer starts). */
	get searching() {
		return this.#searching;
	}
	/** How many stored turns the last request left out to fit the context window. */
	get dropped() {
		return this.#dropped;
	}
	get error() {
		return this.#error;
	}
	/**
	 * Why the last message was refused (longer than the model can read); null once one is sent, or
	 * once another model is loaded (its limit is another: the next send measures again).
	 */
	get tooLong(): TooLong | null {
		return this.#tooLong?.modelId === this.modelId ? this.#tooLong.refused : null;
	}
	/** Polite screen-reader text: the answer in pieces of whole sentences, a few seconds apart. */
	get announcement() {
		return this.#announcement;
	}

	/** The model that answers the next message: the loaded one, else the conversation's. */
	get modelId(): string | null {
		return this.#derived.modelId;
	}
	get record(): ModelRecord | undefined {
		return this.#derived.record;
	}
	get contextSize(): number {
		return this.#derived.contextSize;
	}
	get vision(): boolean {
		return this.#derived.record ? isVisionModel(this.#derived.record) : false;
	}
	get canThink(): boolean {
		return this.#derived.modelId ? canToggleThinking(this.#derived.modelId) : false;
	}
	/** What the next request sends: the model's defaults and the conversation's own settings. */
	get settings(): GenerationSettings {
		return this.#derived.settings;
	}
	/** How full the context window is with the whole conversation, and what the next send drops. */
	get context(): ContextUsage & { willDrop: number } {
		return this.#context;
	}

	#derived = $derived.by(() => {
		const modelId = this.#deps.session.loadedModel ?? this.conversation.modelId;
		const record = modelId ? this.#deps.model(modelId) : undefined;
		// A model loaded with a smaller window than its own (after running out of GPU memory) reads
		// only that much.
		const reduced = this.#deps.session.contextWindowSize ?? Infinity;
		const contextSize = Math.min(record ? contextWindow(record) : FALLBACK_CONTEXT, reduced);
		const settings = modelId
			? effectiveSettings(modelId, this.conversation.settings, contextSize)
			: this.conversation.settings;
		return { modelId, record, contextSize, settings };
	});

	#context = $derived.by((): ContextUsage & { willDrop: number } => {
		const source = {
			systemPrompt: this.conversation.systemPrompt,
			messages: this.#messages,
			vision: this.vision
		};
		const all = buildPrompt(source, { contextWindow: Infinity, maxTokens: 0 });
		const fitted = buildPrompt(source, {
			contextWindow: this.contextSize,
			maxTokens: this.settings.max_tokens ?? 0
		});
		return { ...contextUsage(all.messages, this.contextSize), willDrop: fitted.dropped };
	});

	dismissError() {
		this.#error = null;
	}

	/**
	 * Stores the message and asks for an answer. A message that cannot fit the context window even
	 * alone is neither stored nor sent: `tooLong` says why. That is decided before the first await,
	 * so the caller can read `tooLong` right after calling (and keep the draft).
	 */
	/**
	 * Saves the user's message and asks the model. True once the message is stored (the answer
	 * then streams in); false if it was refused (too long) or could not be stored (a full disk),
	 * in which case the caller keeps the draft so nothing typed is lost.
	 */
	async send(content: string, images: string[] = []): Promise<boolean> {
		const text = content.trim();
		if ((!text && !images.length) || this.#generating) return false;
		const refused = tooLong(
			this.conversation.systemPrompt,
			{ content: text, images: this.vision ? images.length : 0 },
			{ contextWindow: this.contextSize, maxTokens: this.settings.max_tokens ?? 0 }
		);
		this.#tooLong = refused && { modelId: this.modelId, refused };
		if (refused) return false;
		const message: NewMessage = { role: 'user', content: text };
		if (images.length) message.images = images;
		const sent = await this.#guard(async () => {
			await this.#ensureSaved();
			await this.#append(message);
			if (this.conversation.title === DEFAULT_TITLE && text) await this.rename(titleFrom(text));
		});
		if (sent) void this.#generate();
		return sent;
	}

	stop() {
		this.#abort?.abort();
	}

	/** Writes a new answer in place of `messageId` (an answer), dropping it and what follows. */
	async regenerate(messageId: string): Promise<void> {
		if (this.#generating) return;
		const at = this.#messages.findIndex((m) => m.id === messageId);
		if (at < 0) return;
		if (await this.#guard(() => this.#truncate(at))) await this.#generate();
	}

	/** Replaces the user message `messageId` with `content`, drops what followed, and asks again. */
	async edit(messageId: string, content: string): Promise<void> {
		if (this.#generating || !content.trim()) return;
		const at = this.#messages.findIndex((m) => m.id === messageId);
		const original = this.#messages[at];
		if (!original || original.role !== 'user') return;
		const sent = await this.#guard(async () => {
			await this.#truncate(at);
			const message: NewMessage = { role: 'user', content: content.trim() };
			if (original.images?.length) message.images = original.images;
			await this.#append(message);
		});
		if (sent) await this.#generate();
	}

	async deleteMessage(messageId: string): Promise<void> {
		if (this.#live?.messageId === messageId) this.stop();
		await this.#guard(async () => {
			await this.#deps.repo.deleteMessage(messageId);
			this.#messages = this.#messages.filter((m) => m.id !== messageId);
			this.#written();
		});
	}

	/** A title that shows nothing (blank, zero-width characters only) falls back to the default. */
	rename(title: string): Promise<void> {
		return this.#update({ title: hasVisibleText(title) ? title.trim() : DEFAULT_TITLE });
	}

	setSystemPrompt(systemPrompt: string): Promise<void> {
		return this.#update({ systemPrompt });
	}

	/** Replaces the conversation's own settings (absent fields take the model's defaults). */
	setSettings(settings: GenerationSettings): Promise<void> {
		return this.#update({ settings });
	}

	/** Reads the conversation again after another tab changed it (not while this tab writes). */
	async refresh(): Promise<'ok' | 'gone'> {
		if (this.#generating || !this.#saved) return 'ok';
		const data = await this.#deps.repo.get(this.id);
		if (!data) return 'gone';
		this.#conversation = data.conversation;
		this.#messages = data.messages;
		await this.#settleStreaming();
		return 'ok';
	}

	async #settleStreaming() {
		const streaming = this.#messages.filter((m) => m.status === 'streaming');
		if (!streaming.length) {
			this.#elsewhere = [];
			return;
		}
		const held = await heldLocks();
		const elsewhere: string[] = [];
		for (const m of streaming) {
			if (held.includes(lockName(m.id))) {
				elsewhere.push(m.id);
				continue;
			}
			const fixed = await this.#deps.repo.markInterrupted(m.id);
			if (fixed) this.#replace(fixed);
		}
		this.#elsewhere = elsewhere;
	}

	/** Shown at once (a message sent right after a change uses it), then stored. */
	async #update(patch: ConversationPatch) {
		this.#conversation = { ...this.conversation, ...patch };
		if (!this.#saved) return;
		await this.#guard(async () => {
			const next = await this.#deps.repo.update(this.id, patch);
			if (next) {
				this.#conversation = next;
				this.#deps.onWrite(next);
			}
		});
	}

	async #ensureSaved() {
		if (this.#saved) return;
		const draft = this.conversation;
		const created = await this.#deps.repo.create({
			id: draft.id,
			title: draft.title,
			modelId: this.modelId,
			systemPrompt: draft.systemPrompt,
			settings: draft.settings
		});
		this.#conversation = created;
		this.#saved = true;
	}

	async #append(input: NewMessage): Promise<Message> {
		const message = await this.#deps.repo.appendMessage(this.id, input);
		this.#messages = [...this.#messages, message];
		this.#written();
		return message;
	}

	/** Deletes the message at `index` and everything after it. */
	async #truncate(index: number) {
		const doomed = this.#messages.slice(index);
		for (const m of doomed) await this.#deps.repo.deleteMessage(m.id);
		this.#messages = this.#messages.slice(0, index);
	}

	#replace(message: Message) {
		this.#messages = this.#messages.map((m) => (m.id === message.id ? message : m));
	}

	#written() {
		this.#deps.onWrite(this.conversation);
	}

	/** Runs a write; a storage failure is shown (not thrown) and makes it return false. */
	async #guard(work: () => Promise<void>): Promise<boolean> {
		try {
			await work();
			return true;
		} catch (error) {
			if (error instanceof StorageError || error instanceof EngineError) this.#error = error;
			else throw error;
			return false;
		}
	}

	async #generate(): Promise<void> {
		const modelId = this.#deps.session.loadedModel;
		const last = this.#messages.at(-1);
		if (!modelId || this.#generating || last?.role !== 'user') return;
		this.#error = null;
		const settings = this.settings;
		const source = {
			systemPrompt: this.conversation.systemPrompt,
			messages: this.#messages,
			vision: this.vision
		};
		const budget = { contextWindow: this.contextSize, maxTokens: settings.max_tokens ?? 0 };
		let prompt = buildPrompt(source, budget);
		this.#dropped = prompt.dropped;
		if (prompt.overflow) {
			this.#error = new EngineError('context-window-exceeded', 'estimated before sending');
			return;
		}
		this.#generating = true;
		const abort = new AbortController();
		this.#abort = abort;
		try {
			const grounded = await this.#ground(last.content, source, budget, abort.signal);
			// Stopped while the documents were searched: no answer was asked for.
			if (abort.signal.aborted) return;
			if (grounded) {
				prompt = groundedPrompt(source, budget, grounded.text);
				this.#dropped = prompt.dropped;
			}
			if (this.conversation.modelId !== modelId) await this.#update({ modelId });
			const answer = await this.#append({
				role: 'assistant',
				content: '',
				modelId,
				status: 'streaming',
				...(grounded
					? { sources: { ...grounded.sources, request: recordedRequest(prompt.messages) } }
					: {})
			});
			await this.#stream(answer.id, modelId, prompt.messages, settings, abort);
		} catch (error) {
			if (!(error instanceof StorageError)) throw error;
			this.#error = error;
		} finally {
			this.#generating = false;
			this.#abort = null;
			this.#live = null;
		}
	}

	/** The attached documents' passages for the question (null when none are attached). */
	async #ground(
		question: string,
		source: Parameters<typeof buildPrompt>[0],
		budget: Parameters<typeof buildPrompt>[1],
		signal: AbortSignal
	) {
		const grounding = this.#deps.grounding;
		if (!grounding) return null;
		this.#searching = true;
		try {
			return await grounding.ground(this.id, question, groundingBudget(source, budget), signal);
		} finally {
			this.#searching = false;
		}
	}

	async #stream(
		id: string,
		modelId: string,
		messages: ReturnType<typeof buildPrompt>['messages'],
		settings: GenerationSettings,
		abort: AbortController
	) {
		const { engine, repo } = this.#deps;
		const saver = throttle(
			(patch: { content: string; reasoning: string | undefined }) => repo.updateMessage(id, patch),
			SAVE_MS
		);
		let raw = '';
		let timer: ReturnType<typeof setTimeout> | null = null;
		const announcer = new Announcer(ANNOUNCE_MS);
		this.#announcement = '';
		const publish = (final: boolean) => {
			timer = null;
			const split = splitReasoning(raw);
			this.#live = {
				messageId: id,
				answer: split.answer,
				reasoning: split.reasoning,
				thinking: split.thinking
			};
			saver.push({ content: split.answer, reasoning: split.reasoning ?? undefined });
			const spoken = announcer.next(split.answer, final);
			if (spoken !== null) this.#announcement = spoken;
		};
		const run = async (): Promise<void> => {
			let stats: UsageStats | null = null;
			let error: EngineError | null = null;
			try {
				for await (const event of engine.chat(
					{ modelId, messages, settings },
					{ signal: abort.signal }
				)) {
					if (event.type === 'done') stats = event.stats;
					else {
						raw += event.text;
						timer ??= setTimeout(() => publish(false), PUBLISH_MS);
					}
				}
			} catch (e) {
				error = e instanceof EngineError ? e : new EngineError('unknown', String(e));
			}
			if (timer) clearTimeout(timer);
			publish(true);
			await saver.flush();
			await this.#finish(id, raw, stats, error);
		};
		// The lock is held until the final save: until then, other tabs see the answer as live.
		if (typeof navigator !== 'undefined' && navigator.locks)
			await navigator.locks.request(lockName(id), run);
		else await run();
	}

	async #finish(id: string, raw: string, stats: UsageStats | null, error: EngineError | null) {
		const split = splitReasoning(raw);
		const aborted = error?.code === 'aborted' || stats?.finishReason === 'aborted';
		const failed = error !== null && !aborted;
		const final = await this.#deps.repo.updateMessage(id, {
			content: split.answer,
			reasoning: split.reasoning ?? undefined,
			status: failed ? 'error' : aborted ? 'interrupted' : 'complete',
			stats: stats ?? undefined,
			errorCode: failed ? error.code : undefined
		});
		if (final) this.#replace(final);
		this.#written();
		if (failed) {
			this.#error = error;
			// The model is gone from the GPU (or the engine no longer has it, e.g. its worker was
			// restarted while idle): it must be loaded again.
			if (['device-lost', 'worker-crashed', 'host-closed', 'model-not-found'].includes(error.code))
				this.#deps.session.lost();
		}
	}
}
