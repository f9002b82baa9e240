// Whether a stored row still holds the envelope read earlier. Envelopes carry a random IV, so
// equal bytes mean the same write: writers that seal outside a transaction (WebCrypto cannot
// run inside one) use this to notice another tab's write in between and start over.
export function sameEnvelope(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
	if (a === undefined || b === undefined) return a === b;
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
