// Wording of Compare's agreement figure. Same rules as src/lib/strings.ts: plain, complete sentences.
import type { EmbedUnavailable } from './beside';

const percent = (score: number) => `${Math.round(Math.max(0, score) * 100)}%`;

export const agreementText = {
	label: 'Agreement between the answers',
	figure: (score: number) => percent(score),
	pair: (a: string, b: string, score: number) => `${a} and ${b}: ${percent(score)}`,
	help: (modelId: string) =>
		`How close the answers are in meaning: the cosine similarity of their embeddings by ${modelId}, measured after they finished. 100% means they say the same thing; a low figure shows where the models disagree. It does not say which answer is right.`,
	measuring: 'Measuring how much the answers agree…',
	unavailable: {
		'no-model': 'Agreement is not shown: no embedding model is downloaded.',
		offline:
			'Agreement is not shown: the embedding model is not downloaded and this device is offline.',
		'no-room':
			'Agreement is not shown: the embedding model does not fit in GPU memory beside the models compared, and Lantern does not unload them for it. Raise the memory budget if your GPU has room.',
		failed: 'Agreement is not shown: the embedding model failed to load or to read the answers.'
	} satisfies Record<EmbedUnavailable['code'], string>
};
