// The Models page's services, one class per job, composed here for the root layout (and for
// tests): the library (catalog, custom models, what is stored), the download queue, and the
// storage figures. They share one downloader.
import type { ModelRecord } from '$lib/engine/types';
import type { ModelRepository } from './customModels';
import { ModelDownloader } from './downloader';
import { Downloads } from './Downloads.svelte';
import { ModelLibrary, type OnlineSource } from './ModelLibrary.svelte';
import { StorageQuota, type StorageManagerLike } from './StorageQuota.svelte';
import type { FetchLike } from './transfer';

export interface ModelServices {
	library: ModelLibrary;
	downloads: Downloads;
	quota: StorageQuota;
}

export interface ModelDeps {
	repository: ModelRepository;
	downloader?: ModelDownloader;
	online?: () => OnlineSource;
	fetch?: FetchLike;
	storage?: () => StorageManagerLike | undefined;
	now?: () => number;
	catalog?: readonly ModelRecord[];
}

export function createModelServices(deps: ModelDeps): {
	services: ModelServices;
	/** Reads what is stored and the storage figures; watches the connection. Returns the stop function. */
	start: () => () => void;
} {
	const downloader = deps.downloader ?? new ModelDownloader();
	const quota = new StorageQuota(deps.storage);
	const downloads = new Downloads(downloader, (id) => library.find(id));
	const library: ModelLibrary = new ModelLibrary({ ...deps, downloader, downloads, quota });
	return {
		services: { library, downloads, quota },
		start() {
			void quota.start();
			return library.start();
		}
	};
}
