// Is a shard the one tensor-cache.json describes? Its size is checked while it streams in
// (transfer.ts); its MD5, which MLC writes for every shard and WebLLM never checks, is computed
// over the same chunks as they arrive (md5.ts) and compared before the shard is stored, so that a
// corrupted transfer or a damaged file on a USB stick is refused and named like a wrong size.
// The same checks serve downloads, Repair (stored shards, read back) and imports from files.
import type { Artifact } from './artifacts';
import { DownloadError } from './errors';
import { createMd5, md5Of, type Md5 } from './md5';
import { storedSize } from './store';

export function checksumMismatch(url: string, expected: string, received: string): DownloadError {
	return new DownloadError('checksum-mismatch', `expected md5 ${expected}, got ${received}`, url, {
		expected,
		received
	});
}

/** A running hash for a shard that has an MD5 to meet, or null when tensor-cache.json gives none. */
export async function shardHash(artifact: Artifact): Promise<Md5 | null> {
	return artifact.md5 ? createMd5() : null;
}

/** Throws 'checksum-mismatch' unless the hash of everything fed to `hash` is the shard's MD5. */
export function verifyShardHash(artifact: Artifact, hash: Md5 | null): void {
	if (!hash || !artifact.md5) return;
	const digest = hash.digest();
	if (digest !== artifact.md5) throw checksumMismatch(artifact.url, artifact.md5, digest);
}

/** Whether a stored value is the shard: an ArrayBuffer of the right size and, if known, MD5. */
export async function isShardIntact(artifact: Artifact, data: unknown): Promise<boolean> {
	if (!(data instanceof ArrayBuffer) || storedSize(data) !== artifact.nbytes) return false;
	return !artifact.md5 || (await md5Of(data)) === artifact.md5;
}
