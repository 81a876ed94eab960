// One comparison: 2 to 4 panes, one shared set of settings, rounds of prompts. Each round is
// planned by the memory rule (schedule.ts) and carried out by runner.ts: models that fit together
// load together and answer at the same time; the others wait their turn, and say for whom. Every
// pane keeps its own conversation, so a follow-up continues each one. In blind mode the panes are
// shown shuffled under letters until the user votes; then the names are revealed. The comparison
// is saved after every round and every vote, so it can be reopened.
import { ReplaceQuestion } from '$lib/engine/ReplaceQuestion.svelte';
import type { Engine, ModelRecord } from '$lib/engine/types';
import type { ConversationRepository } from '$lib/storage/conversations';
import { StorageError } from '$lib/storage/errors';
import { makeVote, outcomeOf, paneLabel, paneOrder, type Ballot } from './blind';
import { PaneState } from './PaneState.svelte';
import type { CompareRepository } from './repository';
import { paneHistory, toStoredMessages } from './conversation';
import { ensureLoaded, answer, toEngineError } from './runner';
import { needOf, planRound, type SchedulePlan } from './schedule';
import { compareText } from './strings';
import {
	toGenerationSettings,
	type CompareSettings,
	type PaneMessage,
	type SavedComparison
} from './types';

export interface CompareDeps {
	engine: Engine;
	repository: CompareRepository;
	now?: () => number;
	newId?: () => string;
}

export interface StartOptions {
	blind: boolean;
	/** Seeds the blind shuffle. */
	seed: number;
	tags?: string[];
}

export class CompareSession {
	#deps: Required<CompareDeps>;
	/** Asked before a group's load takes a model another tab uses (shown on the page). */
	readonly question = new ReplaceQuestion();
	#panes = $state.raw<PaneState[]>([]);
	#order = $state.raw<number[]>([]);
	#blind = $state(false);
	#revealed = $state(false);
	#settings = $state.raw<CompareSettings | null>(null);
	#running = $state(false);
	#plan = $state.raw<SchedulePlan | null>(null);
	#voteId = $state<string | null>(null);
	#tags = $state.raw<string[]>([]);
	#id: string | null = null;
	#createdAt = 0;
	#roundAbort: AbortController | null = null;
	#saveError = $state.raw<StorageError | null>(null);

	constructor(deps: CompareDeps) {
		this.#deps = { now: Date.now, newId: () => crypto.randomUUID(), ...deps };
	}

	get panes(): readonly PaneState[] {
		return this.#panes;
	}
	/** Display position -> pane index. */
	get order(): readonly number[] {
		return this.#order;
	}
	get blind() {
		return this.#blind;
	}
	/** Names may be shown: a named comparison, or a blind one after the vote. */
	get revealed() {
		return !this.#blind || this.#revealed;
	}
	get settings() {
		return this.#settings;
	}
	get running() {
		return this.#running;
	}
	get plan() {
		return this.#plan;
	}
	get voted() {
		return this.#voteId !== null;
	}
	get started() {
		return this.#panes.length > 0;
	}
	get id() {
		return this.#id;
	}
	/** Why the last save (after a round or a vote) failed; null once one works. */
	get saveError() {
		return this.#saveError;
	}
	/** Every pane has answered at least once, and nothing runs. */
	get canVote() {
		return (
			!this.#running &&
			!this.voted &&
			this.#panes.length > 1 &&
			this.#panes.every((p) => p.messages.some((m) => m.role === 'assistant' && m.content))
		);
	}

	/** What the user sees as the pane's name: the model, or its letter while blind. */
	nameOf(paneIndex: number): string {
		const pane = this.#panes[paneIndex];
		if (!pane) return '';
		if (this.revealed) return pane.modelId;
		return compareText.blindName(paneLabel(this.#order.indexOf(paneIndex)));
	}

	/** A new comparison of these models; nothing runs until the first prompt. */
	begin(records: readonly ModelRecord[], settings: CompareSettings, options: StartOptions) {
		this.stopAll();
		this.#panes = records.map((r) => new PaneState(r));
		this.#order = paneOrder(records.length, options.blind, options.seed);
		this.#blind = options.blind;
		this.#revealed = false;
		this.#settings = settings;
		this.#voteId = null;
		this.#tags = options.tags ?? [];
		this.#plan = null;
		this.#id = null;
		this.#createdAt = this.#deps.now();
	}

	/** Reopens a saved comparison (models no longer known are skipped by the caller's lookup). */
	open(saved: SavedComparison, find: (modelId: string) => ModelRecord | undefined): boolean {
		const records = saved.panes.map((p) => find(p.modelId));
		if (records.some((r) => r === undefined)) return false;
		this.stopAll();
		this.#panes = saved.panes.map(
			(p, i) =>
				new PaneState(
					records[i] as ModelRecord,
					p.messages.map((m) => ({ ...m }))
				)
		);
		this.#order = [...saved.order];
		this.#blind = saved.blind;
		this.#revealed = saved.revealed;
		this.#settings = saved.settings;
		this.#voteId = saved.voteId ?? null;
		this.#tags = saved.tags;
		this.#plan = null;
		this.#id = saved.id;
		this.#createdAt = saved.createdAt;
		return true;
	}

	/** Forgets the comparison on screen (it stays saved). */
	close() {
		this.stopAll();
		this.#panes = [];
		this.#order = [];
		this.#settings = null;
		this.#plan = null;
		this.#id = null;
		this.#voteId = null;
	}

	/** One round: every pane answers `prompt`, following on from its own conversation. */
	async send(prompt: string, budgetMB: number | undefined): Promise<void> {
		const text = prompt.trim();
		const settings = this.#settings;
		if (!text || !settings || this.#running || this.#panes.length === 0) return;
		const { engine } = this.#deps;
		const panes = this.#panes;
		const roundAbort = new AbortController();
		this.#roundAbort = roundAbort;
		this.#running = true;
		try {
			const loaded = await engine.loaded().catch(() => [] as string[]);
			const plan = planRound(
				panes.map((p) => needOf(p.record)),
				budgetMB,
				loaded
			);
			this.#plan = plan;
			const groups = plan.groups.map((g) =>
				g.map((id) => panes.findIndex((p) => p.modelId === id))
			);
			groups.forEach((group, g) => {
				for (const i of group) panes[i]?.ask(text, g === 0 ? [] : (groups[g - 1] ?? []));
			});
			for (const group of groups) {
				if (roundAbort.signal.aborted) break;
				const active = group.flatMap((i) => {
					const pane = panes[i];
					return pane && pane.status !== 'stopped' ? [pane] : [];
				});
				if (active.length === 0) continue;
				await this.#runGroup(active, settings, roundAbort.signal);
			}
		} finally {
			for (const pane of panes) if (pane.busy) pane.finish(null, null);
			this.#running = false;
			this.#roundAbort = null;
			await this.#save();
		}
	}

	async #runGroup(panes: PaneState[], settings: CompareSettings, signal: AbortSignal) {
		const { engine } = this.#deps;
		for (const pane of panes) pane.loading(null);
		let loadMs: number | null;
		try {
			const report = await ensureLoaded(
				engine,
				panes.map((p) => p.record),
				{
					onLoadProgress: (_ids, progress) => panes.forEach((p) => p.loading(progress)),
					// Names only what may be shown: none while blind.
					confirm: (busy) =>
						this.question.ask(this.revealed ? panes.map((p) => p.modelId) : null, busy)
				},
				signal
			);
			loadMs = report.loadMs;
		} catch (error) {
			const e = toEngineError(error);
			for (const pane of panes) pane.finish(null, e);
			// "Cancel" on the question keeps the other tab's model: the rest of the round would
			// only ask again, so it stops here.
			if (e.code === 'aborted') this.#roundAbort?.abort();
			return;
		}
		const running = panes.filter((p) => p.status !== 'stopped');
		const generation = toGenerationSettings(settings);
		await Promise.all(
			running.map(async (pane) => {
				pane.generating(loadMs);
				const history = paneHistory(settings.systemPrompt, pane.messages.slice(0, -1));
				const abort = new AbortController();
				const stop = () => abort.abort();
				pane.signal?.addEventListener('abort', stop);
				signal.addEventListener('abort', stop);
				const result = await answer(
					engine,
					pane.modelId,
					history,
					generation,
					{ onDelta: (text) => pane.append(text) },
					abort.signal
				);
				pane.signal?.removeEventListener('abort', stop);
				signal.removeEventListener('abort', stop);
				pane.finish(result.stats, result.ok ? null : result.error);
			})
		);
	}

	stopPane(paneIndex: number) {
		this.#panes[paneIndex]?.stop();
	}

	stopAll() {
		this.#roundAbort?.abort();
		this.question.answer(false);
		for (const pane of this.#panes) pane.stop();
	}

	/** Records the vote, reveals the names, and saves. */
	async vote(ballot: Ballot, tags: string[]): Promise<void> {
		if (!this.canVote) return;
		const models = this.#panes.map((p) => p.modelId);
		const id = this.#deps.newId();
		this.#id ??= this.#deps.newId();
		const vote = makeVote({
			id,
			createdAt: this.#deps.now(),
			models: this.#order.map((i) => models[i] as string),
			outcome: outcomeOf(ballot, this.#order, models),
			blind: this.#blind,
			prompt: this.#panes[0]?.messages[0]?.content ?? '',
			tags,
			comparisonId: this.#id
		});
		try {
			await this.#deps.repository.addVote(vote);
		} catch (error) {
			// Not counted: the user can vote again once there is room.
			this.#saveError = StorageError.from(error);
			return;
		}
		this.#voteId = id;
		this.#tags = tags;
		this.#revealed = true;
		await this.#save();
	}

	/** A pane's conversation as a normal chat; returns the new conversation's id. */
	async continueAsChat(paneIndex: number, conversations: ConversationRepository): Promise<string> {
		const pane = this.#panes[paneIndex];
		const settings = this.#settings;
		if (!pane || !settings) throw new Error('no such pane');
		const first = pane.messages[0]?.content ?? '';
		const conversation = await conversations.create({
			title: compareText.titleOf(first),
			modelId: pane.modelId,
			systemPrompt: settings.systemPrompt,
			settings: toGenerationSettings(settings)
		});
		// Plain copies: IndexedDB cannot store the reactive proxies.
		const messages = $state.snapshot(pane.messages) as PaneMessage[];
		for (const message of toStoredMessages(messages, pane.modelId))
			await conversations.appendMessage(conversation.id, message);
		return conversation.id;
	}

	async #save() {
		const settings = this.#settings;
		const first = this.#panes[0]?.messages[0]?.content;
		if (!settings || first === undefined) return;
		this.#id ??= this.#deps.newId();
		const saved: SavedComparison = {
			id: this.#id,
			title: compareText.titleOf(first),
			createdAt: this.#createdAt,
			updatedAt: this.#deps.now(),
			settings,
			panes: this.#panes.map((p) => ({
				modelId: p.modelId,
				messages: $state.snapshot(p.messages) as PaneMessage[]
			})),
			order: [...this.#order],
			blind: this.#blind,
			revealed: this.#revealed,
			tags: this.#tags,
			...(this.#voteId ? { voteId: this.#voteId } : {})
		};
		try {
			await this.#deps.repository.putComparison(saved);
			this.#saveError = null;
		} catch (error) {
			this.#saveError = StorageError.from(error);
		}
	}
}
