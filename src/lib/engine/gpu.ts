// WebGPU capability probe. Runs on the page (no WebLLM needed): it tells the Device panel and the
// fit rules what this browser's GPU can do, and why it cannot when it cannot.

/** The limits that decide whether a model fits. */
export const LIMIT_NAMES = [
	'maxBufferSize',
	'maxStorageBufferBindingSize',
	'maxComputeWorkgroupStorageSize',
	'maxComputeInvocationsPerWorkgroup',
	'maxComputeWorkgroupSizeX',
	'maxStorageBuffersPerShaderStage'
] as const;

export type LimitName = (typeof LIMIT_NAMES)[number];

export interface AdapterInfo {
	vendor: string;
	architecture: string;
	device: string;
	description: string;
}

export type GpuReport =
	/** `navigator.gpu` is missing: the browser has no WebGPU, or it is switched off. */
	| { status: 'no-webgpu'; secureContext: boolean }
	/** WebGPU exists but gave no adapter (blocklisted GPU, flag needed, or no GPU at all). */
	| { status: 'no-adapter'; reason: string }
	| {
			status: 'ok';
			info: AdapterInfo;
			/** Sorted feature names, e.g. "shader-f16", "subgroups". */
			features: string[];
			limits: Record<LimitName, number>;
			/** SwiftShader and other CPU fallbacks: works, but far too slow for real models. */
			isFallback: boolean;
	  };

interface GpuLike {
	requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

interface AdapterLike {
	info?: Partial<AdapterInfo>;
	features: Iterable<string>;
	limits: Record<string, unknown>;
	isFallbackAdapter?: boolean;
}

export async function probeGpu(
	nav: { gpu?: unknown } = navigator,
	secureContext = globalThis.isSecureContext
): Promise<GpuReport> {
	const gpu = nav.gpu as GpuLike | undefined;
	if (!gpu) return { status: 'no-webgpu', secureContext };
	let adapter: AdapterLike | null;
	try {
		adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
	} catch (error) {
		return { status: 'no-adapter', reason: error instanceof Error ? error.message : String(error) };
	}
	if (!adapter) return { status: 'no-adapter', reason: 'requestAdapter() returned null' };
	const info: AdapterInfo = {
		vendor: adapter.info?.vendor ?? '',
		architecture: adapter.info?.architecture ?? '',
		device: adapter.info?.device ?? '',
		description: adapter.info?.description ?? ''
	};
	const limits = {} as Record<LimitName, number>;
	for (const name of LIMIT_NAMES) {
		const value = adapter.limits[name];
		limits[name] = typeof value === 'number' ? value : 0;
	}
	return {
		status: 'ok',
		info,
		features: [...adapter.features].sort(),
		limits,
		isFallback:
			adapter.isFallbackAdapter === true ||
			/swiftshader/i.test(`${info.architecture} ${info.vendor}`)
	};
}

export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';

export function browserFamily(userAgent: string): BrowserFamily {
	if (/Edg\//.test(userAgent)) return 'edge';
	if (/Firefox\//.test(userAgent)) return 'firefox';
	if (/Chrome\/|Chromium\//.test(userAgent)) return 'chrome';
	if (/Safari\//.test(userAgent)) return 'safari';
	return 'other';
}
