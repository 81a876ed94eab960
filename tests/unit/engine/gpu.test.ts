import { describe, expect, it } from 'vitest';
import { probeGpu } from '../../../src/lib/engine/gpu';

describe('probeGpu', () => {
	it('reports a missing navigator.gpu', async () => {
		expect(await probeGpu({}, true)).toEqual({ status: 'no-webgpu', secureContext: true });
	});

	it('reports a null adapter', async () => {
		const report = await probeGpu({ gpu: { requestAdapter: async () => null } }, true);
		expect(report.status).toBe('no-adapter');
	});

	it('reads info, sorted features and the limits that matter', async () => {
		const report = await probeGpu(
			{
				gpu: {
					requestAdapter: async () => ({
						info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
						features: new Set(['subgroups', 'shader-f16']),
						limits: { maxBufferSize: 1024, maxStorageBufferBindingSize: 512, somethingElse: 1 }
					})
				}
			},
			true
		);
		expect(report.status).toBe('ok');
		if (report.status !== 'ok') return;
		expect(report.features).toEqual(['shader-f16', 'subgroups']);
		expect(report.limits.maxBufferSize).toBe(1024);
		expect(report.limits.maxStorageBufferBindingSize).toBe(512);
		expect(report.limits.maxComputeWorkgroupStorageSize).toBe(0);
		expect(report.isFallback).toBe(true);
	});
});
