import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/lib/device/diagnostics';

const ctx = {
	appVersion: '0.1.0',
	webllmVersion: '0.2.86',
	userAgent: 'UA/1',
	now: '2026-11-26T00:00:00.000Z'
};

describe('formatDiagnostics', () => {
	it('lists adapter, features and limits for a working GPU', () => {
		const text = formatDiagnostics(
			{
				status: 'ok',
				info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
				features: ['float32-filterable', 'subgroups'],
				limits: { maxBufferSize: 1073741824 } as never,
				isFallback: true
			},
			ctx
		);
		expect(text).toBe(
			[
				'Lantern 0.1.0 (WebLLM 0.2.86)',
				'Date: 2026-11-26T00:00:00.000Z',
				'Browser: UA/1',
				'WebGPU: available (software fallback)',
				'Adapter: vendor=google architecture=swiftshader device=? description=?',
				'Features: float32-filterable, subgroups',
				'Limits:',
				'  maxBufferSize: 1073741824',
				''
			].join('\n')
		);
	});

	it('says why there is no GPU', () => {
		expect(formatDiagnostics({ status: 'no-webgpu', secureContext: false }, ctx)).toContain(
			'WebGPU: not available (secure context: no)'
		);
		expect(
			formatDiagnostics({ status: 'no-adapter', reason: 'requestAdapter() returned null' }, ctx)
		).toContain('no adapter (requestAdapter() returned null)');
	});
});
