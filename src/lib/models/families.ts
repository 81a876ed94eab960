// What a model is, read from its WebLLM record: family, maker, licence, size, quantization and
// context window. WebLLM's records carry none of this except inside the model_id string, so the
// facts here are parsed from ids (checked against every id in the pinned catalog by the unit
// tests) plus a small hand-written table of families. A model that matches no family still gets
// every parsed fact and an "Unknown" family, never an exception: custom models must keep working.
import type { ModelRecord } from '$lib/engine/types';

export interface Licence {
	name: string;
	url: string;
}

export interface Family {
	/** Stable key, e.g. "llama", "qwen". */
	key: string;
	/** Family name as people say it, e.g. "Llama", "Qwen". */
	name: string;
	maker: string;
	licence: Licence;
	/** Extra licence terms inherited from a base model (e.g. a Llama fine-tune), if any. */
	alsoLicence?: Licence;
}

const APACHE: Licence = {
	name: 'Apache 2.0',
	url: 'https://www.apache.org/licenses/LICENSE-2.0'
};
const MIT: Licence = { name: 'MIT', url: 'https://opensource.org/license/mit' };
const GEMMA: Licence = { name: 'Gemma Terms of Use', url: 'https://ai.google.dev/gemma/terms' };
const LLAMA_2: Licence = {
	name: 'Llama 2 Community License',
	url: 'https://www.llama.com/llama2/license/'
};
const LLAMA_3: Licence = {
	name: 'Meta Llama 3 Community License',
	url: 'https://www.llama.com/llama3/license/'
};
const LLAMA_3_1: Licence = {
	name: 'Llama 3.1 Community License',
	url: 'https://www.llama.com/llama3_1/license/'
};
const LLAMA_3_2: Licence = {
	name: 'Llama 3.2 Community License',
	url: 'https://www.llama.com/llama3_2/license/'
};
const QWEN_RESEARCH: Licence = {
	name: 'Qwen Research License',
	url: 'https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE'
};

/** The Llama licence that applies to an id mentioning a Llama version (fine-tunes included). */
function llamaLicence(id: string): Licence {
	if (/llama-?3[._]2/i.test(id)) return LLAMA_3_2;
	if (/llama-?3[._]1/i.test(id)) return LLAMA_3_1;
	if (/llama-?3/i.test(id)) return LLAMA_3;
	return LLAMA_2;
}

interface FamilyRule {
	test: RegExp;
	family: (id: string) => Family;
}

/** First match wins: fine-tunes (Hermes, DeepSeek distills, WizardMath) come before their bases. */
const RULES: readonly FamilyRule[] = [
	{
		test: /^DeepSeek-R1-Distill/i,
		family: (id) => ({
			key: 'deepseek-r1-distill',
			name: 'DeepSeek-R1-Distill',
			maker: 'DeepSeek',
			licence: MIT,
			// The Llama distill is built on Llama 3.1 8B, which its id does not say.
			...(/llama/i.test(id) ? { alsoLicence: LLAMA_3_1 } : {})
		})
	},
	{
		test: /Hermes/i,
		family: (id) => ({
			key: 'hermes',
			name: 'Hermes',
			maker: id.startsWith('NeuralHermes') ? 'Maxime Labonne' : 'Nous Research',
			licence: /llama/i.test(id) ? llamaLicence(id) : APACHE
		})
	},
	{
		test: /^WizardMath/i,
		family: () => ({
			key: 'wizardmath',
			name: 'WizardMath',
			maker: 'WizardLM',
			licence: {
				name: 'Microsoft Research License',
				url: 'https://huggingface.co/WizardLMTeam/WizardMath-7B-V1.1/blob/main/LICENSE'
			}
		})
	},
	{
		test: /^TinyLlama/i,
		family: () => ({ key: 'tinyllama', name: 'TinyLlama', maker: 'TinyLlama', licence: APACHE })
	},
	{
		test: /^Llama/i,
		family: (id) => ({ key: 'llama', name: 'Llama', maker: 'Meta', licence: llamaLicence(id) })
	},
	{
		test: /^Qwen/i,
		family: (id) => ({
			key: 'qwen',
			name: 'Qwen',
			maker: 'Alibaba Cloud (Qwen team)',
			// Qwen2.5's 3B models (and only those) ship under Qwen's research licence.
			licence: /^Qwen2\.5-(Coder-)?3B/i.test(id) ? QWEN_RESEARCH : APACHE
		})
	},
	{
		test: /^phi/i,
		family: () => ({ key: 'phi', name: 'Phi', maker: 'Microsoft', licence: MIT })
	},
	{
		test: /^gemma/i,
		family: (id) => ({
			key: 'gemma',
			name: 'Gemma',
			maker: 'Google',
			// Gemma 4 is the first Gemma released under Apache 2.0; earlier ones use Gemma's terms.
			licence: /^gemma-?4/i.test(id) ? APACHE : GEMMA
		})
	},
	{
		test: /^(Mistral|Ministral)/i,
		family: (id) => ({
			key: 'mistral',
			name: /^Ministral/i.test(id) ? 'Ministral' : 'Mistral',
			maker: 'Mistral AI',
			licence: APACHE
		})
	},
	{
		test: /^SmolLM/i,
		family: () => ({ key: 'smollm', name: 'SmolLM', maker: 'Hugging Face', licence: APACHE })
	},
	{
		test: /^stablelm/i,
		family: () => ({
			key: 'stablelm',
			name: 'StableLM',
			maker: 'Stability AI',
			licence: {
				name: 'Stability AI Community License',
				url: 'https://huggingface.co/stabilityai/stablelm-2-zephyr-1_6b/blob/main/LICENSE'
			}
		})
	},
	{
		test: /^RedPajama/i,
		family: () => ({ key: 'redpajama', name: 'RedPajama', maker: 'Together', licence: APACHE })
	},
	{
		test: /^OLMo/i,
		family: () => ({ key: 'olmo', name: 'OLMo', maker: 'Allen Institute for AI', licence: APACHE })
	},
	{
		test: /^snowflake-arctic-embed/i,
		family: () => ({
			key: 'snowflake-arctic-embed',
			name: 'Arctic Embed',
			maker: 'Snowflake',
			licence: APACHE
		})
	}
];

export const UNKNOWN_FAMILY: Family = {
	key: 'unknown',
	name: 'Unknown',
	maker: 'Unknown',
	licence: { name: 'See the model card', url: '' }
};

export function familyOf(modelId: string): Family {
	const rule = RULES.find((r) => r.test.test(modelId));
	return rule ? rule.family(modelId) : UNKNOWN_FAMILY;
}

/** Quantizations MLC uses, e.g. "q4f16_1", "q4f32_1", "q0f32", "q3f16_1". */
const QUANT = /^q\d+f(16|32)(_\d+)?$/;

function idTokens(modelId: string): string[] {
	return modelId.split('-');
}

/** The quantization named in the id, or null (custom ids may not say). */
export function parseQuantization(modelId: string): string | null {
	return idTokens(modelId).find((t) => QUANT.test(t)) ?? null;
}

/** q*f16* quantizations keep activations (and often weights) in 16-bit floats: shader-f16 needed. */
export function quantizationNeedsF16(quantization: string | null): boolean {
	return quantization !== null && /f16/.test(quantization);
}

export function needsF16(record: ModelRecord): boolean {
	return (
		quantizationNeedsF16(parseQuantization(record.model_id)) ||
		(record.required_features ?? []).includes('shader-f16')
	);
}

export interface ParameterCount {
	/** As written for people: "1B", "0.5B", "360M", "1.6B", "E2B" (Gemma's "effective" size). */
	label: string;
	/** In billions, e.g. 0.36 for "360M". */
	billions: number;
}

/** Sizes of models whose ids do not say (Phi's "mini", Arctic Embed's "s"/"m"). */
const KNOWN_SIZES: ReadonlyArray<[RegExp, ParameterCount]> = [
	[/^phi-1_5/i, { label: '1.3B', billions: 1.3 }],
	[/^phi-2/i, { label: '2.7B', billions: 2.7 }],
	[/^Phi-3(\.5)?-vision/i, { label: '4.2B', billions: 4.2 }],
	[/^Phi-(3|3\.5|4)-mini/i, { label: '3.8B', billions: 3.8 }],
	[/^snowflake-arctic-embed-s/i, { label: '33M', billions: 0.033 }],
	[/^snowflake-arctic-embed-m/i, { label: '110M', billions: 0.11 }]
];

const PARAMS = /^(E?)(\d+(?:[._]\d+)?)([BbMm])$/;

/** The parameter count, from a token such as "1B", "0.5B", "360M", "1_6b", "E2B", or null. */
export function parseParameters(modelId: string): ParameterCount | null {
	for (const token of idTokens(modelId)) {
		const match = PARAMS.exec(token);
		if (!match) continue;
		const [, effective = '', digits = '', unit = ''] = match;
		const value = Number(digits.replace('_', '.'));
		const upper = unit.toUpperCase();
		return {
			label: `${effective}${value}${upper}`,
			billions: upper === 'M' ? value / 1000 : value
		};
	}
	return KNOWN_SIZES.find(([test]) => test.test(modelId))?.[1] ?? null;
}

/**
 * The context window WebLLM will use: the record's override, else the model library's compiled
 * size for embedding libraries ("ctx512" in the file name), else "-1k" ids mean 1024, else 4096.
 */
export function contextWindow(record: ModelRecord): number {
	const override = record.overrides?.context_window_size;
	if (typeof override === 'number' && override > 0) return override;
	const fromLib = /ctx(\d+)/.exec(record.model_lib)?.[1];
	if (fromLib) return Number(fromLib);
	if (/-1k$/i.test(record.model_id)) return 1024;
	return 4096;
}

/**
 * The model card: the Hugging Face repository page behind `record.model` (WebLLM accepts both
 * "https://huggingface.co/org/name" and ".../resolve/main/"). Null for other hosts.
 */
export function modelCardUrl(record: ModelRecord): string | null {
	let url: URL;
	try {
		url = new URL(record.model);
	} catch {
		return null;
	}
	if (url.hostname !== 'huggingface.co') return null;
	const [org, name] = url.pathname.split('/').filter(Boolean);
	return org && name ? `https://huggingface.co/${org}/${name}` : null;
}

/** Base models (and embedding models) follow no instructions and have no safety tuning. */
export function isInstructionTuned(record: ModelRecord): boolean {
	if (record.model_type === 1) return false;
	return !/-Base-/i.test(record.model_id);
}

/**
 * "Llama-3.2-1B-Instruct-q4f16_1-MLC" -> "Llama 3.2 1B Instruct": the id without quantization,
 * the "MLC" tag and WebLLM's variant suffixes ("-1k", "-b32"), hyphens as spaces.
 */
export function displayName(modelId: string): string {
	const kept: string[] = [];
	for (const token of idTokens(modelId)) {
		if (QUANT.test(token) || token === 'MLC') break;
		// "2b" -> "2B", "1_6b" -> "1.6B"; "phi-1_5" -> "phi 1.5".
		const size = parseParameters(token);
		kept.push(size && PARAMS.test(token) ? size.label : token.replace(/^(\d+)_(\d+)$/, '$1.$2'));
	}
	return kept.join(' ') || modelId;
}

/** The same model in the other float width: "…q4f16_1…" <-> "…q4f32_1…", if the list has it. */
export function floatSibling(
	record: ModelRecord,
	records: readonly ModelRecord[],
	width: 'f16' | 'f32' = 'f32'
): ModelRecord | undefined {
	const quant = parseQuantization(record.model_id);
	if (!quant) return undefined;
	const other = quant.replace(/f(16|32)/, width);
	if (other === quant) return undefined;
	const id = idTokens(record.model_id)
		.map((t) => (t === quant ? other : t))
		.join('-');
	return records.find((r) => r.model_id === id);
}

export interface ModelFacts {
	family: Family;
	displayName: string;
	parameters: ParameterCount | null;
	quantization: string | null;
	needsF16: boolean;
	contextWindow: number;
	modelCardUrl: string | null;
	instructionTuned: boolean;
}

export function describeModel(record: ModelRecord): ModelFacts {
	return {
		family: familyOf(record.model_id),
		displayName: displayName(record.model_id),
		parameters: parseParameters(record.model_id),
		quantization: parseQuantization(record.model_id),
		needsF16: needsF16(record),
		contextWindow: contextWindow(record),
		modelCardUrl: modelCardUrl(record),
		instructionTuned: isInstructionTuned(record)
	};
}
