// The server never opens an envelope, but it can tell one that cannot be ours from its header:
//   version(1) | keyVersion(4, big-endian) | IV(12) | ciphertext + tag(16)   (src/lib/crypto/envelope.ts)
const ENVELOPE_VERSION = 1;
const MIN_ENVELOPE_BYTES = 1 + 4 + 12 + 16;

/** The envelope's bytes, or why it is not one sealed under `keyVersion`. */
export function readEnvelope(
	ciphertext: string,
	keyVersion: number
): { bytes: Buffer } | { problem: string } {
	const bytes = Buffer.from(ciphertext, 'base64url');
	// Buffer's decoder is lenient; the shared schema already allows only the base64url alphabet,
	// and re-encoding catches the rest (a dangling character, non-zero padding bits).
	if (bytes.toString('base64url') !== ciphertext) {
		return { problem: 'ciphertext is not canonical base64url' };
	}
	if (bytes.length < MIN_ENVELOPE_BYTES) {
		return { problem: `ciphertext is ${bytes.length} bytes, shorter than any envelope` };
	}
	if (bytes[0] !== ENVELOPE_VERSION) {
		return { problem: `ciphertext has envelope version ${bytes[0]}, expected ${ENVELOPE_VERSION}` };
	}
	const sealedUnder = bytes.readUInt32BE(1);
	if (sealedUnder !== keyVersion) {
		return {
			problem: `ciphertext is sealed under key version ${sealedUnder}, the mutation says ${keyVersion}`
		};
	}
	return { bytes };
}
