import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar, tarEnd, tarHeader, tarPadding, tarSize } from '$lib/models/tar';

function archive(files: Array<[string, Uint8Array]>): Uint8Array<ArrayBuffer> {
	const parts: Uint8Array[] = [];
	for (const [path, data] of files)
		parts.push(tarHeader(path, data.byteLength), data, tarPadding(data.byteLength));
	parts.push(tarEnd());
	const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.byteLength;
	}
	return out;
}

const longDir = `Model-${'x'.repeat(90)}-q4f32_1-MLC`;

describe('tar', () => {
	it('reads back what it writes, long names included, and predicts its size', async () => {
		const files: Array<[string, Uint8Array]> = [
			[`${longDir}/mlc-chat-config.json`, new TextEncoder().encode('{"a":1}')],
			[`${longDir}/params_shard_0.bin`, new Uint8Array(1000).fill(3)],
			['empty.txt', new Uint8Array(0)]
		];
		const bytes = archive(files);
		expect(bytes.byteLength).toBe(tarSize(files.map(([, d]) => d.byteLength)));
		const entries = await readTar(new Blob([bytes]));
		expect(entries.map((e) => e.path)).toEqual(files.map(([p]) => p));
		for (const [i, entry] of entries.entries()) {
			expect(new Uint8Array(await entry.file.arrayBuffer())).toEqual(files[i]?.[1]);
		}
	});

	it('is a tar file the system tar reads', () => {
		const dir = mkdtempSync(join(tmpdir(), 'lantern-tar-'));
		try {
			const data = new TextEncoder().encode('hello');
			writeFileSync(join(dir, 'a.tar'), archive([[`${longDir}/hello.txt`, data]]));
			execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
			expect(readFileSync(join(dir, longDir, 'hello.txt'), 'utf8')).toBe('hello');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('reads a tar the system tar wrote', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'lantern-tar-'));
		try {
			writeFileSync(join(dir, 'f.bin'), new Uint8Array(700).fill(9));
			execFileSync('tar', ['-cf', 'b.tar', 'f.bin'], { cwd: dir });
			const entries = await readTar(new Blob([readFileSync(join(dir, 'b.tar'))]));
			expect(entries.map((e) => [e.path, e.file.size])).toEqual([['f.bin', 700]]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses what is not a tar, and one cut short', async () => {
		await expect(readTar(new Blob([new Uint8Array(2048).fill(65)]))).rejects.toThrow(RangeError);
		const whole = archive([['a.bin', new Uint8Array(2000)]]);
		await expect(readTar(new Blob([whole.subarray(0, 1500)]))).rejects.toThrow('cut short');
	});
});
