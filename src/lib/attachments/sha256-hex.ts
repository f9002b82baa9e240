import { getSubtle } from '../crypto/webcrypto.ts';

// Lower-case hex, as a DocumentReference's `hash` holds it.
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const digest = new Uint8Array(
		await getSubtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
	);
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
