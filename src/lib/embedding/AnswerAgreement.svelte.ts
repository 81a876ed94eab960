// The `agreement` service (created in the root layout): Compare's agreement figure for the answers
// on screen, measured once they have all finished, with a stored embedding model loaded beside the
// compared models when the memory rule allows it (beside.ts), never in their place.
import { EngineError } from '$lib/engine/errors';
import type { Engine, ModelRecord } from '$lib/engine/types';
import { agreementInput, agreementOf, type Agreement } from './agreement';
import { embedBeside, type EmbedUnavailable } from './beside';

export interface AgreementDeps {
	engine: Engine;
	records: () => readonly ModelRecord[];
	/** The embedding model to use: a stored one, or null when none is stored. */
	model: () => ModelRecord | null;
}

export type AgreementState =
	| { status: 'measuring' }
	| { status: 'done'; modelId: string; agreement: Agreement }
	| { status: 'unavailable'; reason: EmbedUnavailable };

export class AnswerAgreement {
	#deps: AgreementDeps;
	#key: string | null = null;
	#state = $state.raw<{ key: string; state: AgreementState } | null>(null);

	constructor(deps: AgreementDeps) {
		this.#deps = deps;
	}

	/** True when an embedding model is stored: the figure can be offered. */
	get available(): boolean {
		return this.#deps.model() !== null;
	}

	/** The figure for these answers, or null until they are measured (never another set's). */
	stateOf(answers: readonly string[]): AgreementState | null {
		const current = this.#state;
		return current && current.key === JSON.stringify(answers) ? current.state : null;
	}

	/** Measures the agreement of `answers` (once per set of answers). */
	async measure(answers: readonly string[], budgetMB: number | undefined): Promise<void> {
		const key = JSON.stringify(answers);
		if (key === this.#key) return;
		this.#key = key;
		const model = this.#deps.model();
		if (!model) {
			this.#state = null;
			return;
		}
		this.#state = { key, state: { status: 'measuring' } };
		const { texts, owners } = agreementInput(answers);
		const outcome = await embedBeside(
			{ engine: this.#deps.engine, records: this.#deps.records, canLoad: () => true },
			model,
			texts,
			{ budgetMB }
		);
		// Other answers arrived meanwhile: theirs will be measured instead.
		if (this.#key !== key) return;
		if (!outcome.ok) {
			this.#state = { key, state: { status: 'unavailable', reason: outcome.reason } };
			return;
		}
		const agreement = agreementOf(answers.length, outcome.vectors, owners);
		this.#state = {
			key,
			state: agreement
				? { status: 'done', modelId: outcome.modelId, agreement }
				: {
						status: 'unavailable',
						reason: {
							code: 'failed',
							modelId: outcome.modelId,
							error: new EngineError('unknown', 'no vectors')
						}
					}
		};
	}
}
