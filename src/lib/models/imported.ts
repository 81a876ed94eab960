// The made-up addresses of custom models imported from files (see identity.ts for why): under
// `lantern.invalid`, a name reserved so that it can never resolve, and outside the
// Content-Security-Policy, so nothing is ever sent there. Kept apart, with no imports, because the
// downloader needs to recognise them too.
import type { ModelRecord } from '$lib/engine/types';

export const IMPORTED_ORIGIN = 'https://lantern.invalid';

/** Addresses derived from tensor-cache.json's MD5, so the same files always get the same ones. */
export function importedRecord(id: string, cacheDigest: string, libraryName: string): ModelRecord {
	const base = `${IMPORTED_ORIGIN}/imported/${cacheDigest}/`;
	return {
		model: base,
		model_id: id,
		model_lib: `${base}${encodeURIComponent(libraryName)}`
	};
}

/** Whether an address is one made up for a model from files (never to be fetched). */
export function isImportedUrl(url: string): boolean {
	return url.startsWith(`${IMPORTED_ORIGIN}/`);
}
