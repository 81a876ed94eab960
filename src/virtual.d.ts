declare module 'virtual:webllm-catalog' {
	import type { ModelRecord } from '$lib/engine/types';
	/** The pinned @mlc-ai/web-llm's package version. */
	export const webllmVersion: string;
	/** WebLLM's model library version directory, e.g. "v0_2_86/base". */
	export const modelVersion: string;
	export const prebuiltModels: ModelRecord[];
}

// pdf.js ships no types for its parser module; the documents worker only hands it to pdf.js.
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
	export const WorkerMessageHandler: unknown;
}
