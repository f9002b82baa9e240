import { bufferSource } from './bytes.ts';
import { encodeFields } from './canonical-fields.ts';
import { InvalidArgumentError } from './errors.ts';
import { getSubtle, type CryptoKey } from './webcrypto.ts';

// Defined here rather than in kdf.ts so that splitting does not pull hash-wasm into a bundle.
export const MASTER_KEY_BYTES = 32;
export const AUTH_KEY_BYTES = 32;

// Distinct labels make the two outputs independent: knowing the auth key (which the server sees)
// says nothing about the KEK. The version in the label lets a future scheme derive fresh keys.
const AUTH_KEY_INFO = encodeFields(['charta', 'v1', 'auth-key']);
const KEK_INFO = encodeFields(['charta', 'v1', 'key-encryption-key']);
// The master key is already uniformly random (Argon2id output), so RFC 5869 §3.1 allows no salt.
const NO_SALT = new Uint8Array(0);

export interface AccountKeys {
	// Sent to the server, which stores only Argon2id(authKey); it never opens anything.
	authKey: Uint8Array<ArrayBuffer>;
	// Wraps the user's private key. Non-extractable: it never leaves WebCrypto, nor the device.
	kek: CryptoKey;
}

export async function splitMasterKey(masterKey: Uint8Array): Promise<AccountKeys> {
	if (masterKey.length !== MASTER_KEY_BYTES) {
		throw new InvalidArgumentError(
			`Master key must be ${MASTER_KEY_BYTES} bytes, got ${masterKey.length}`
		);
	}
	const subtle = getSubtle();
	const base = await subtle.importKey('raw', bufferSource(masterKey), 'HKDF', false, [
		'deriveBits',
		'deriveKey'
	]);
	const authKey = new Uint8Array(
		await subtle.deriveBits(
			{ name: 'HKDF', hash: 'SHA-256', salt: NO_SALT, info: AUTH_KEY_INFO },
			base,
			AUTH_KEY_BYTES * 8
		)
	);
	const kek = await subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: NO_SALT, info: KEK_INFO },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['wrapKey', 'unwrapKey']
	);
	return { authKey, kek };
}
