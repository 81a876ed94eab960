// Wording of Compare's agreement figure (messages/en.json, `compare_agreement_*`). Same rules as
// src/lib/strings.ts: plain, complete sentences.
import { formatNumber } from '$lib/i18n/format';
import * as m from '$lib/i18n/paraglide/m/compare.js';
import type { EmbedUnavailable } from './beside';

const percent = (score: number) => formatNumber(Math.max(0, score), { style: 'percent' });

export const agreementText = {
	get label() {
		return m.compare_agreement_label();
	},
	figure: (score: number) => percent(score),
	pair: (a: string, b: string, score: number) =>
		m.compare_agreement_pair({ a, b, score: percent(score) }),
	help: (modelId: string) => m.compare_agreement_help({ model: modelId }),
	get measuring() {
		return m.compare_agreement_measuring();
	},
	unavailable: {
		get 'no-model'() {
			return m.compare_agreement_no_model();
		},
		get offline() {
			return m.compare_agreement_offline();
		},
		get 'no-room'() {
			return m.compare_agreement_no_room();
		},
		get failed() {
			return m.compare_agreement_failed();
		}
	} satisfies Record<EmbedUnavailable['code'], string>
};
