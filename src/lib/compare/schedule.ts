// Memory-aware scheduling. WebLLM can hold several models in one engine, and models that are
// loaded together can answer at the same time; but browsers do not say how much GPU memory there is,
// and a load that does not fit ends in a lost device. So the rule is conservative: models run
// together only when the sum of their estimates (fit.ts: WebLLM's figure times the safety margin)
// is within the budget; a model without an estimate, or any model when the budget is unknown, runs
// alone. Models that cannot share take turns: unload, load the next group, generate.
//
// With 2 to 4 panes, every way of splitting them into groups is tried (at most 15) and the split
// with the fewest groups wins, so the fewest model switches are paid; ties go to the split that
// keeps the earliest panes together.
//
// Models on the user's own servers take no GPU memory here (their need is 0): they are left out
// of the split, so they never make in-browser models take turns, and they answer with the first
// group, at the same time as the in-browser models that run first.

import { estimateVramMB, fitsTogether as fits, type MemoryNeed } from '$lib/engine/memory';
import type { ModelRecord } from '$lib/engine/types';
import { isRemoteRecord } from '$lib/servers/types';

export type { MemoryNeed };

/** What a model needs of the GPU: its estimate, or 0 for a model on one of the user's servers. */
export function needOf(record: ModelRecord): MemoryNeed {
	return {
		modelId: record.model_id,
		estimateMB: isRemoteRecord(record) ? 0 : estimateVramMB(record)
	};
}

/** Takes no GPU memory here. */
export const runsElsewhere = (need: MemoryNeed) => need.estimateMB === 0;

export type PlanStep =
	| { kind: 'unload' }
	| { kind: 'load'; modelIds: string[] }
	| { kind: 'generate'; modelIds: string[] };

export interface SchedulePlan {
	/** Models that are loaded and generate together, in the order they run. */
	groups: string[][];
	/** True when every model runs in one group. */
	together: boolean;
	steps: PlanStep[];
}

/** Every partition of `items` into non-empty groups, in a stable order (pane order is kept inside). */
function partitions<T>(items: readonly T[]): T[][][] {
	if (items.length === 0) return [[]];
	const [first, ...rest] = items as [T, ...T[]];
	const out: T[][][] = [];
	for (const partition of partitions(rest)) {
		out.push([[first], ...partition]);
		partition.forEach((_, i) => {
			out.push(partition.map((group, j) => (i === j ? [first, ...group] : group)));
		});
	}
	return out;
}

/** Lower is better: earlier panes in earlier, larger groups. */
function orderKey(groups: number[][]): string {
	return groups.map((g) => g.join(',')).join('|');
}

/** Pane indexes grouped so that each group fits; fewest groups first. */
export function groupByMemory(
	needs: readonly MemoryNeed[],
	budgetMB: number | undefined
): number[][] {
	const indexes = needs.map((_, i) => i);
	if (indexes.length > 8) return indexes.map((i) => [i]);
	let best: number[][] | null = null;
	for (const partition of partitions(indexes)) {
		if (
			!partition.every((g) =>
				fits(
					g.map((i) => needs[i] as MemoryNeed),
					budgetMB
				)
			)
		)
			continue;
		const groups = partition
			.map((g) => [...g].sort((a, b) => a - b))
			.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
		if (
			!best ||
			groups.length < best.length ||
			(groups.length === best.length && orderKey(groups) < orderKey(best))
		)
			best = groups;
	}
	return best ?? indexes.map((i) => [i]);
}

/**
 * The steps of one round (every model answers once). `loaded` is what the engine holds now: a
 * group already loaded goes first and skips its load, so a follow-up on models that fit together
 * reloads nothing, and one on models that take turns starts with the last group of the round before.
 */
export function planRound(
	needs: readonly MemoryNeed[],
	budgetMB: number | undefined,
	loaded: readonly string[] = []
): SchedulePlan {
	const onGpu = needs.filter((n) => !runsElsewhere(n));
	const elsewhere = needs.filter(runsElsewhere).map((n) => n.modelId);
	const groups = groupByMemory(onGpu, budgetMB).map((g) =>
		g.map((i) => (onGpu[i] as MemoryNeed).modelId)
	);
	const isLoaded = (group: string[]) => group.every((id) => loaded.includes(id));
	const first = groups.findIndex(isLoaded);
	if (first > 0) groups.unshift(...groups.splice(first, 1));
	if (elsewhere.length > 0) {
		const order = needs.map((n) => n.modelId);
		const joined = [...(groups[0] ?? []), ...elsewhere];
		groups[0] = joined.sort((a, b) => order.indexOf(a) - order.indexOf(b));
	}
	const steps: PlanStep[] = [];
	let current = [...loaded];
	for (const group of groups) {
		if (!group.every((id) => current.includes(id))) {
			// Adding server models alone leaves the GPU as it is: nothing is unloaded for them.
			const gpuChanges = group.some((id) => !elsewhere.includes(id) && !current.includes(id));
			if (gpuChanges && current.length > 0) steps.push({ kind: 'unload' });
			steps.push({ kind: 'load', modelIds: group });
			current = group;
		}
		steps.push({ kind: 'generate', modelIds: group });
	}
	return { groups, together: groups.length === 1, steps };
}

/** The sum of the estimates, or null if any is unknown. */
export function totalEstimateMB(needs: readonly MemoryNeed[]): number | null {
	let sum = 0;
	for (const need of needs) {
		if (need.estimateMB === null) return null;
		sum += need.estimateMB;
	}
	return sum;
}
