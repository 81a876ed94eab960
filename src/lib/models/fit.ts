// Will this model run here? Pure rules over the GPU probe's report, because WebLLM 0.2.86 checks
// almost nothing before it starts allocating: it ignores vram_required_MB and
// buffer_size_required_bytes, and many f16 records do not list shader-f16 in required_features.
//
// Memory heuristic. Browsers do not expose VRAM, so the caller passes a budget in MB: a user
// setting, or `memoryBudgetMB(navigator.deviceMemory)` (engine/memory.ts). The model's need is WebLLM's
// vram_required_MB times VRAM_SAFETY_MARGIN (WebLLM's figure leaves out the browser's own
// buffers and fragmentation, and loads that fit it exactly do fail). Over budget is 'may-oom',
// never 'unsupported': the budget is a guess, and the user may try anyway.
import type { GpuReport } from '$lib/engine/gpu';
import { estimateVramMB, VRAM_SAFETY_MARGIN } from '$lib/engine/memory';
import type { ModelRecord } from '$lib/engine/types';
import { floatSibling, needsF16 } from './families';
import { fitText } from './strings';

export type FitVerdict = 'runs' | 'may-oom' | 'unsupported';

export type FitCode =
	| 'no-webgpu'
	| 'no-adapter'
	| 'shader-f16-missing'
	| 'feature-missing'
	| 'buffer-too-small'
	| 'memory-tight'
	| 'software-adapter';

export interface FitResult {
	verdict: FitVerdict;
	/** One sentence per finding, for people (empty when nothing is worth saying). */
	reasons: string[];
	/** The same findings as codes, in the same order, for code and tests. */
	codes: FitCode[];
	/**
	 * model_id of the f32 sibling, when only shader-f16 is missing and the sibling is not itself
	 * unsupported (say it with `fitText.useAlternative`).
	 */
	alternative?: string;
	/** vram_required_MB x VRAM_SAFETY_MARGIN, or null when the record gives no figure. */
	estimateMB: number | null;
}

export interface FitInput {
	report: GpuReport;
	/** Memory the model may use, in MB; omitted = unknown, and memory is not judged. */
	budgetMB?: number;
	/** The catalog, to look up the f32 sibling for `alternative`. */
	records?: readonly ModelRecord[];
}

export { estimateVramMB, VRAM_SAFETY_MARGIN };
export function checkFit(record: ModelRecord, input: FitInput): FitResult {
	const { report } = input;
	const estimateMB = estimateVramMB(record);
	if (report.status === 'no-webgpu') {
		return unsupportedResult(['no-webgpu'], [fitText.noWebgpu], estimateMB);
	}
	if (report.status === 'no-adapter') {
		return unsupportedResult(['no-adapter'], [fitText.noAdapter], estimateMB);
	}

	const codes: FitCode[] = [];
	const reasons: string[] = [];
	const add = (code: FitCode, reason: string) => {
		codes.push(code);
		reasons.push(reason);
	};
	const has = new Set(report.features);
	let blocked = false;

	const f16Missing = needsF16(record) && !has.has('shader-f16');
	if (f16Missing) {
		add('shader-f16-missing', fitText.shaderF16Missing);
		blocked = true;
	}
	for (const feature of record.required_features ?? []) {
		if (feature === 'shader-f16' || has.has(feature)) continue;
		add('feature-missing', fitText.featureMissing(feature));
		blocked = true;
	}
	const needBuffer = record.buffer_size_required_bytes;
	const haveBuffer = report.limits.maxStorageBufferBindingSize;
	if (typeof needBuffer === 'number' && needBuffer > haveBuffer) {
		add('buffer-too-small', fitText.bufferTooSmall(needBuffer, haveBuffer));
		blocked = true;
	}
	let tight = false;
	if (estimateMB !== null && input.budgetMB !== undefined && estimateMB > input.budgetMB) {
		add('memory-tight', fitText.memoryTight(estimateMB, input.budgetMB));
		tight = true;
	}
	if (report.isFallback) add('software-adapter', fitText.softwareAdapter);

	const verdict: FitVerdict = blocked ? 'unsupported' : tight ? 'may-oom' : 'runs';
	const result: FitResult = { verdict, reasons, codes, estimateMB };
	// Only f16 stands in the way: offer the f32 build, if it exists and is itself not blocked.
	const onlyF16 =
		f16Missing && codes.every((c) => c !== 'feature-missing' && c !== 'buffer-too-small');
	if (onlyF16 && input.records) {
		const sibling = floatSibling(record, input.records, 'f32');
		if (sibling && !needsF16(sibling)) {
			const siblingFit = checkFit(sibling, { ...input, records: undefined });
			if (siblingFit.verdict !== 'unsupported') {
				result.alternative = sibling.model_id;
			}
		}
	}
	return result;
}

function unsupportedResult(
	codes: FitCode[],
	reasons: string[],
	estimateMB: number | null
): FitResult {
	return { verdict: 'unsupported', codes, reasons, estimateMB };
}
