// Shared test data for the model tests: the pinned WebLLM catalog, and GPU reports.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { GpuReport, LimitName } from '$lib/engine/gpu';
import type { ModelRecord } from '$lib/engine/types';

export const GiB = 1024 ** 3;

export const catalog: ModelRecord[] = prebuiltAppConfig.model_list;

/** A catalog record by id; throws for an unknown id. */
export function find(id: string): ModelRecord {
	const r = catalog.find((m) => m.model_id === id);
	if (!r) throw new Error(id);
	return r;
}

export interface GpuOptions {
	features?: string[];
	/** maxBufferSize and maxStorageBufferBindingSize. */
	storageBuffer?: number;
	/** A software adapter (SwiftShader). */
	fallback?: boolean;
	invocations?: number;
	vendor?: string;
	architecture?: string;
}

/** A GPU report; by default a desktop GPU with shader-f16 and 2 GiB buffers. */
export function gpuReport(options: GpuOptions = {}): GpuReport {
	const invocations = options.invocations ?? 1024;
	const limits: Record<LimitName, number> = {
		maxBufferSize: options.storageBuffer ?? 2 * GiB,
		maxStorageBufferBindingSize: options.storageBuffer ?? 2 * GiB,
		maxComputeWorkgroupStorageSize: 32768,
		maxComputeInvocationsPerWorkgroup: invocations,
		maxComputeWorkgroupSizeX: invocations,
		maxStorageBuffersPerShaderStage: 10
	};
	return {
		status: 'ok',
		info: {
			vendor: options.vendor ?? 'nvidia',
			architecture: options.architecture ?? 'ampere',
			device: '',
			description: ''
		},
		features: options.features ?? ['shader-f16'],
		limits,
		isFallback: options.fallback ?? false
	};
}

/** SwiftShader as TESTING.md describes it: no shader-f16, 1 GiB buffers, a software adapter. */
export function swiftshaderReport(options: GpuOptions = {}): GpuReport {
	return gpuReport({
		features: [],
		storageBuffer: GiB,
		fallback: true,
		vendor: 'google',
		architecture: 'swiftshader',
		...options
	});
}
