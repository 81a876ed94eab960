// What a reload of this tab (to take a new version) would cut short, so the update prompt can say
// it before the user chooses. The engine is shared by every tab (engine/connect.ts): a reload ends
// it only when this tab is its last user, or hands it to another tab when this one hosts it;
// another tab's answer is never cut (Reload waits for it instead).
import type { ReloadEffect } from '$lib/engine/EngineActivity.svelte';

export interface ReloadView {
	readonly answeringHere: boolean;
	readonly answeringElsewhere: boolean;
	/** Models on the GPU or being put there, whichever tab loaded them. */
	readonly models: readonly string[];
	readonly reloadEffect: ReloadEffect;
}

export type ReloadCost =
	/** Another tab writes an answer: Reload waits until it is finished. */
	| { kind: 'waits' }
	/** This tab's answer stops; `unloads`: the engine ends with it. */
	| { kind: 'answer'; unloads: boolean }
	/** The models are unloaded: nobody else uses the engine. */
	| { kind: 'model'; models: readonly string[] }
	/** Another tab takes the engine over and must load the models again. */
	| { kind: 'hand-over'; models: readonly string[] }
	| { kind: 'none' };

export function reloadCost(view: ReloadView): ReloadCost {
	if (view.answeringElsewhere) return { kind: 'waits' };
	const { models, reloadEffect } = view;
	if (view.answeringHere) return { kind: 'answer', unloads: reloadEffect === 'ends' };
	if (models.length === 0) return { kind: 'none' };
	if (reloadEffect === 'ends') return { kind: 'model', models };
	if (reloadEffect === 'moves') return { kind: 'hand-over', models };
	return { kind: 'none' };
}
