// Formatting of an answer's cost, e.g. "TTFT 120 ms · prefill 850 tok/s · decode 42.1 tok/s · 12 in, 85 out · stop".
import type { UsageStats } from '$lib/engine/types';

function rate(x: number | null): string {
	if (x === null) return '–';
	return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

export function formatStats(stats: UsageStats): string {
	const ttft =
		stats.timeToFirstTokenMs === null ? '–' : `${Math.round(stats.timeToFirstTokenMs)} ms`;
	return [
		`TTFT ${ttft}`,
		`prefill ${rate(stats.prefillTokensPerSec)} tok/s`,
		`decode ${rate(stats.decodeTokensPerSec)} tok/s`,
		`${stats.promptTokens} in, ${stats.completionTokens} out`,
		stats.finishReason
	].join(' · ');
}
