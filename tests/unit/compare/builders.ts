// Small builders for compare unit tests.
import type { UsageStats } from '$lib/engine/types';
import { DEFAULT_COMPARE_SETTINGS, type SuiteRun } from '$lib/compare/types';

export function stats(over: Partial<UsageStats> = {}): UsageStats {
	return {
		promptTokens: 12,
		completionTokens: 40,
		timeToFirstTokenMs: 100,
		prefillTokensPerSec: 500,
		decodeTokensPerSec: 40,
		totalMs: 1100,
		finishReason: 'stop',
		...over
	};
}

export function run(over: Partial<SuiteRun> = {}): SuiteRun {
	return {
		id: 'run-1',
		suiteId: 'suite-1',
		suiteName: 'Smoke',
		prompts: ['Say hi', 'Count to 3'],
		models: ['a', 'b'],
		settings: { ...DEFAULT_COMPARE_SETTINGS },
		budgetMB: 4000,
		status: 'running',
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		results: [],
		...over
	};
}
