export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

// getRandomValues refuses more than 65,536 bytes per call (WebCrypto spec); we never need that many.
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
	return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

// WebCrypto takes only ArrayBuffer-backed views; callers may hand us any Uint8Array (a Node Buffer
// slice, a view over a SharedArrayBuffer), so copy when the backing store is not a plain ArrayBuffer.
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes.buffer instanceof ArrayBuffer
		? (bytes as Uint8Array<ArrayBuffer>)
		: new Uint8Array(bytes);
}

// Fills `into` from a pool drawn 4 KiB at a time from the CSPRNG (one getRandomValues call per
// ~340 IVs instead of one each). Every byte is handed out once and wiped from the pool as it goes.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;
export function takeRandomBytes(into: Uint8Array): void {
	if (into.length > POOL_BYTES) throw new RangeError('takeRandomBytes: at most 4096 bytes');
	if (poolOffset + into.length > pool.length) {
		pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
		poolOffset = 0;
	}
	const taken = pool.subarray(poolOffset, poolOffset + into.length);
	into.set(taken);
	taken.fill(0);
	poolOffset += into.length;
}

export function writeUint32BE(value: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(4);
	new DataView(out.buffer).setUint32(0, value, false);
	return out;
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}
