// A load that asks before it takes a model from another tab (issue 11): it goes to the engine with
// `ifBusy: 'ask'`, so the host (which alone knows which tab uses which model) refuses before
// anything is unloaded; then the user chooses. Chat and Compare load through this.
import { EngineError, type BusyWork } from './errors';
import type { Engine, LoadOptions, ModelRecord } from './types';

/** Asks the user whether to take these models from the other tabs; true: go ahead. */
export type ConfirmReplace = (taken: readonly BusyWork[]) => Promise<boolean>;

/**
 * Loads `models`; when that would unload a model another tab uses, loads only once `confirm`
 * says yes. Then the load waits for an answer that tab is writing with the model (never cutting
 * it short), as every load does. No: rejects with `aborted`, and nothing was unloaded.
 */
export async function loadAskingFirst(
	engine: Engine,
	models: ModelRecord[],
	options: LoadOptions,
	confirm: ConfirmReplace
): Promise<void> {
	try {
		await engine.load(models, { ...options, ifBusy: 'ask' });
		return;
	} catch (error) {
		if (!(error instanceof EngineError) || error.code !== 'busy') throw error;
		if (!(await confirm(error.busy)))
			throw new EngineError('aborted', 'kept the model another tab uses');
	}
	if (options.signal?.aborted) throw new EngineError('aborted', 'load cancelled');
	await engine.load(models, { ...options, ifBusy: 'wait' });
}
