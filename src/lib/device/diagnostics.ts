// The plain-text report behind "Copy diagnostics": everything a bug report needs, nothing personal.
import type { GpuReport } from '$lib/engine/gpu';

export interface DiagnosticsContext {
	appVersion: string;
	webllmVersion: string;
	userAgent: string;
	/** ISO time of the report. */
	now: string;
}

export function formatDiagnostics(report: GpuReport, ctx: DiagnosticsContext): string {
	const lines = [
		`Lantern ${ctx.appVersion} (WebLLM ${ctx.webllmVersion})`,
		`Date: ${ctx.now}`,
		`Browser: ${ctx.userAgent}`
	];
	if (report.status === 'no-webgpu') {
		lines.push(`WebGPU: not available (secure context: ${report.secureContext ? 'yes' : 'no'})`);
	} else if (report.status === 'no-adapter') {
		lines.push(`WebGPU: available, but no adapter (${report.reason})`);
	} else {
		const { info } = report;
		lines.push(
			`WebGPU: available${report.isFallback ? ' (software fallback)' : ''}`,
			`Adapter: vendor=${info.vendor || '?'} architecture=${info.architecture || '?'} device=${info.device || '?'} description=${info.description || '?'}`,
			`Features: ${report.features.join(', ') || '(none)'}`,
			'Limits:',
			...Object.entries(report.limits).map(([name, value]) => `  ${name}: ${value}`)
		);
	}
	return lines.join('\n') + '\n';
}
