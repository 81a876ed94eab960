// App-wide services, created once in the root layout and read by components through typed context.
import { createContext } from 'svelte';
import type { GpuState } from './device/GpuState.svelte';
import type { Engine } from './engine/types';
import type { PwaUpdater } from './pwa/PwaUpdater.svelte';

export interface Services {
	engine: Engine;
	gpu: GpuState;
	pwa: PwaUpdater;
}

export const [getServices, setServices] = createContext<Services>();
