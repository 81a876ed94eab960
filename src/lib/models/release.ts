// Frees a shard's memory as soon as it has been stored or written, instead of when the garbage
// collector gets to it. A shard is tens of MB; moving a model means hundreds of them, and V8 may
// let several hundred MB of finished shards (from IndexedDB reads, above all) wait for a
// collection. Transferring the buffer to an empty one detaches it, which drops its bytes at once.
// Only for buffers nobody reads again; where `transfer` is missing (older browsers) it does nothing.

export function releaseBuffer(buffer: ArrayBuffer): void {
	const transfer = (buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer })
		.transfer;
	if (typeof transfer === 'function' && buffer.byteLength > 0) transfer.call(buffer, 0);
}
