import { probeGpu, type GpuReport } from '$lib/engine/gpu';

/** The probed GPU, once per page. `report` is null until the probe has answered. */
export class GpuState {
	#report = $state.raw<GpuReport | null>(null);
	#probing: Promise<GpuReport> | null = null;

	get report(): GpuReport | null {
		return this.#report;
	}

	/** Probes once; later calls share the first answer. */
	probe(): Promise<GpuReport> {
		this.#probing ??= probeGpu().then((report) => (this.#report = report));
		return this.#probing;
	}
}
