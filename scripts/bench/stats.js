// Small figures shared by the benchmarks.

/**
 * The middle value (the upper of the two middles for an even count); NaN for none.
 * @param {number[]} values
 */
export const median = (values) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/**
 * One of Chromium's performance metrics (CDP `Performance.getMetrics`), 0 when absent.
 * @param {{ name: string, value: number }[]} metrics
 * @param {string} name
 */
export const metric = (metrics, name) => metrics.find((m) => m.name === name)?.value ?? 0;
