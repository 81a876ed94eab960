// What to do when WebGPU is unavailable, in words for this browser: the first line says what is
// wrong, the others are the steps that fix it (the wording is in strings.ts, `text.device.advice`).
import { browserFamily, type GpuReport } from '$lib/engine/gpu';
import { text } from '$lib/strings';

export function webgpuAdvice(report: GpuReport, userAgent: string): string[] {
	if (report.status === 'ok') return [];
	const advice = text.device.advice;
	if (report.status === 'no-webgpu' && !report.secureContext) return [advice.insecure];
	const linux = /Linux/.test(userAgent) && !/Android/.test(userAgent);
	const family = browserFamily(userAgent);
	const steps =
		family === 'chrome' ? (linux ? advice.chromeLinux() : advice.chrome()) : advice[family]();
	return [report.status === 'no-webgpu' ? advice.noWebgpu : advice.noAdapter, ...steps];
}
