import { createHmac } from 'node:crypto';
import {
	ARGON2ID_DEFAULTS,
	KDF_SALT_BYTES,
	KdfParams
} from '../../../src/lib/crypto/kdf-params.ts';

// version(1) | IV(12) | AES-GCM(138-byte PKCS #8 P-256 key) | tag(16): what createUserKeys makes
// in Node and in Chromium (checked 2026-11). A decoy of any other length would give it away.
export const WRAPPED_PRIVATE_KEY_BYTES = 167;
const WRAP_VERSION = 1;

export interface Decoys {
	/** KDF parameters for an email with no account: default Argon2id, a stable made-up salt. */
	kdf(email: string): KdfParams;
	/** "Private key wrapped by the recovery key" for an email with no account. */
	wrappedPrivateKey(email: string): Uint8Array;
}

/**
 * Answers for unknown emails that look like real ones and never change: asking twice, or after a
 * restart, gives the same bytes, so comparing answers cannot tell a decoy from an account.
 * Each output has its own HMAC label, so one never reveals another.
 */
export function createDecoys(secret: Uint8Array): Decoys {
	const mac = (label: string, email: string, counter = 0) =>
		createHmac('sha256', secret).update(`charta/v1/${label}/${counter}\0${email}`).digest();

	return {
		kdf(email) {
			const salt = mac('decoy-kdf-salt', email).subarray(0, KDF_SALT_BYTES);
			// Parsed, so the key order matches that of a real row read back through the schema.
			return KdfParams.parse({
				algorithm: 'argon2id',
				...ARGON2ID_DEFAULTS,
				salt: salt.toString('base64url')
			});
		},
		wrappedPrivateKey(email) {
			const out = new Uint8Array(WRAPPED_PRIVATE_KEY_BYTES);
			out[0] = WRAP_VERSION;
			for (let offset = 1, block = 0; offset < out.length; offset += 32, block++) {
				const bytes = mac('decoy-wrapped-key', email, block);
				out.set(bytes.subarray(0, out.length - offset), offset);
			}
			return out;
		}
	};
}
