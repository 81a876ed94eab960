// The one truth of what the engine holds, as this tab sees it: the host's newest snapshot
// (snapshot.ts), made reactive. Chat (ChatSession), Compare, the header and the update prompt read
// it; none keeps its own copy, so a model that Compare (in this tab or another) swaps out is gone
// from Chat's view at once.
import type { EngineSnapshot, HostLoad, HostModel } from './snapshot';

/** Where the snapshots come from (EngineClient). */
export interface SnapshotSource {
	readonly state: EngineSnapshot | null;
	/** This tab's id at the host. */
	readonly client: string;
	/** Whether this tab runs the engine's worker (leader mode): its end ends or moves the engine. */
	readonly hostedHere: boolean;
	onState(listener: (state: EngineSnapshot | null) => void): () => void;
}

export class EngineState {
	#source: SnapshotSource;
	#snapshot = $state.raw<EngineSnapshot | null>(null);

	constructor(source: SnapshotSource) {
		this.#source = source;
		this.#snapshot = source.state;
		source.onState((state) => (this.#snapshot = state));
	}

	/** Whether this tab has heard from the engine's host (it may not run yet). */
	get connected(): boolean {
		return this.#snapshot !== null;
	}
	/** 'shared': a shared worker hosts the engine; 'leader': one tab does. */
	get mode(): EngineSnapshot['mode'] | null {
		return this.#snapshot?.mode ?? null;
	}
	/** Whether this tab runs the engine (leader mode): a reload here ends it or hands it over. */
	get hostedHere(): boolean {
		// Read through the snapshot, so it updates when a hand-over changes the host.
		return this.#snapshot !== null && this.#source.hostedHere;
	}
	/** How many tabs use the engine now (this one included). */
	get tabs(): number {
		return this.#snapshot?.clients.filter((c) => !c.startsWith('watch-')).length ?? 0;
	}
	get models(): readonly HostModel[] {
		return this.#snapshot?.models ?? [];
	}
	get modelIds(): string[] {
		return this.models.map((m) => m.id);
	}
	/** Chat (and vision) models on the GPU, in load order. */
	get chatModels(): string[] {
		return this.models.filter((m) => m.purpose === 'chat').map((m) => m.id);
	}
	has(modelId: string): boolean {
		return this.models.some((m) => m.id === modelId);
	}
	/** The window a loaded model was given in place of its own (null = its own). */
	contextWindowOf(modelId: string): number | null {
		return this.models.find((m) => m.id === modelId)?.contextWindowSize ?? null;
	}
	get loading(): HostLoad | null {
		return this.#snapshot?.loading ?? null;
	}
	/** Answers being written (or waiting their turn), by any tab. */
	get answers(): number {
		return this.#snapshot?.work.filter((w) => w.kind === 'chat').length ?? 0;
	}
	/** Answers another tab asked for. */
	get answersElsewhere(): number {
		const me = this.#source.client;
		return this.#snapshot?.work.filter((w) => w.kind === 'chat' && w.client !== me).length ?? 0;
	}
	get embedding(): boolean {
		return this.#snapshot?.work.some((w) => w.kind === 'embed') ?? false;
	}
}
