// A file for the attachment tests: `size` bytes of text with a marker that must never appear in
// anything stored (on the device or on the server), so a search for it finds plaintext.
export const PLAINTEXT_MARKER = 'CHARTA-PLAINTEXT-MARKER-7f3a';

export function markedFile(size: number): Uint8Array {
	const line = new TextEncoder().encode(`${PLAINTEXT_MARKER} haemoglobin 13.2 g/dL\n`);
	const bytes = new Uint8Array(size);
	for (let offset = 0; offset < size; offset += line.length) {
		bytes.set(line.subarray(0, Math.min(line.length, size - offset)), offset);
	}
	return bytes;
}

export function containsMarker(bytes: Uint8Array): boolean {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(PLAINTEXT_MARKER);
}

// Vitest's toEqual walks a Uint8Array element by element: seconds for 600 KB.
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
		Buffer.from(b.buffer, b.byteOffset, b.byteLength)
	);
}
