// Is a shard the one tensor-cache.json describes? Its size is checked while it streams in
// (transfer.ts); its MD5, which MLC writes for every shard and WebLLM never checks, is computed
// over the same chunks as they arrive (md5.ts; for downloads in a worker, shardFetch.ts) and
// compared before the shard is stored, so that a corrupted transfer or a damaged file on a USB
// stick is refused and named like a wrong size.
// The same checks serve downloads, Repair (stored shards, read back) and imports from files.
import type { Artifact } from './artifacts';
import { DownloadError } from './errors';
import { md5Of } from './md5';
import { storedSize } from './store';

export function checksumMismatch(url: string, expected: string, received: string): DownloadError {
	return new DownloadError('checksum-mismatch', `expected md5 ${expected}, got ${received}`, url, {
		expected,
		received
	});
}

/** Throws 'checksum-mismatch' unless `md5` (of a shard's body) is the one tensor-cache.json gives. */
export function verifyShardMd5(artifact: Artifact, md5: string | null): void {
	if (!artifact.md5) return;
	if (md5 !== artifact.md5) throw checksumMismatch(artifact.url, artifact.md5, md5 ?? 'none');
}

/** Whether a stored value is the shard: an ArrayBuffer of the right size and, if known, MD5. */
export async function isShardIntact(artifact: Artifact, data: unknown): Promise<boolean> {
	if (!(data instanceof ArrayBuffer) || storedSize(data) !== artifact.nbytes) return false;
	return !artifact.md5 || (await md5Of(data)) === artifact.md5;
}
