// Which tabs use which model, and so whether a load must ask before it unloads one. The host keeps
// the record (a tab uses a model it loaded, or asked for answers or vectors from, for as long as
// that model stays on the GPU); these pure functions keep it and read it, so the rule is tested
// without an engine.
import type { BusyWork } from './errors';

/** For each tab, the models it uses: client id → model ids. */
export type Uses = ReadonlyMap<string, ReadonlySet<string>>;

/** Work being done (or waiting its turn) with a model, for a tab. */
export interface WorkOnModel {
	client: string;
	modelId: string;
	kind: 'chat' | 'embed';
}

/** `uses` with `client` using `modelIds` too. */
export function withUse(uses: Uses, client: string, modelIds: readonly string[]): Uses {
	const next = new Map(uses);
	next.set(client, new Set([...(uses.get(client) ?? []), ...modelIds]));
	return next;
}

/**
 * `uses` cut to the models on the GPU and the tabs connected: a model that left the GPU is used by
 * nobody (were it loaded again later, only its new users use it), and a closed tab uses nothing.
 */
export function pruned(uses: Uses, loaded: readonly string[], clients: readonly string[]): Uses {
	const next = new Map<string, ReadonlySet<string>>();
	for (const [client, ids] of uses) {
		if (!clients.includes(client)) continue;
		const kept = [...ids].filter((id) => loaded.includes(id));
		if (kept.length > 0) next.set(client, new Set(kept));
	}
	return next;
}

/** The tabs that use a model. */
export function usersOf(uses: Uses, modelId: string): string[] {
	return [...uses].filter(([, ids]) => ids.has(modelId)).map(([client]) => client);
}

/**
 * What a load asked for by `client` would take from other tabs, were it not to ask: for each model
 * it `unloads`, the answers (or embeddings) other tabs are writing with it, else, when another tab
 * merely uses it (its chat's model, or a Compare run's), one `idle` entry. Empty: go ahead.
 *
 * A model with an answer being written in another tab is asked about too, rather than only
 * queued as before: that tab loses the model either way once its answer ends, so the user who
 * asked should learn both that the load will wait and that the other tab will need to load again;
 * "Load anyway" then queues as before (the answer is never cut short).
 */
export function takenFromOthers(
	client: string,
	unloads: readonly string[],
	uses: Uses,
	work: readonly WorkOnModel[]
): BusyWork[] {
	const taken: BusyWork[] = [];
	for (const modelId of unloads) {
		const busy = work.filter((w) => w.client !== client && w.modelId === modelId);
		if (busy.length > 0) taken.push(...busy.map((w) => ({ modelId, kind: w.kind })));
		else if (usersOf(uses, modelId).some((c) => c !== client))
			taken.push({ modelId, kind: 'idle' });
	}
	return taken;
}
