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

/** Plain, browser-specific next steps when WebGPU is unavailable. */
export function webgpuAdvice(report: GpuReport, userAgent: string): string[] {
	if (report.status === 'ok') return [];
	if (report.status === 'no-webgpu' && !report.secureContext) {
		return ['WebGPU only works on secure pages. Open Lantern over https:// or from localhost.'];
	}
	const family = browserFamily(userAgent);
	const linux = /Linux/.test(userAgent) && !/Android/.test(userAgent);
	const steps: Record<BrowserFamily, string[]> = {
		chrome: linux
			? [
					'Chrome and Chromium on Linux ship WebGPU switched off.',
					'Open chrome://flags/#enable-unsafe-webgpu, set it to Enabled, and restart the browser.',
					'Also enable chrome://flags/#enable-vulkan if your GPU driver supports Vulkan.'
				]
			: [
					'Update Chrome to version 113 or later; WebGPU is on by default there.',
					'If it still fails, open chrome://gpu and check that "WebGPU" is hardware accelerated; your GPU or driver may be blocklisted (update the driver).'
				],
		edge: [
			'Update Edge to version 113 or later; WebGPU is on by default there.',
			'If it still fails, open edge://gpu and check the WebGPU line; update your GPU driver.'
		],
		firefox: [
			'Firefox 141 or later has WebGPU on Windows; on macOS and Linux it is still behind a setting.',
			'Open about:config, set dom.webgpu.enabled to true, and restart Firefox, or use Chrome or Edge.'
		],
		safari: [
			'Safari 26 (macOS Tahoe, iOS 26) has WebGPU on by default.',
			'On older Safari: Develop menu > Feature Flags > enable "WebGPU", then reload.'
		],
		other: ['Use a recent Chrome, Edge, or Safari 26, which have WebGPU on by default.']
	};
	const head =
		report.status === 'no-webgpu'
			? 'This browser does not offer WebGPU, which Lantern needs to run models on your GPU.'
			: 'This browser has WebGPU, but it found no usable GPU adapter.';
	return [head, ...steps[family]];
}
