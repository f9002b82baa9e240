import {
	aesGcmDecrypt,
	aesGcmEncrypt,
	AES_KEY_BYTES,
	GCM_IV_BYTES,
	GCM_TAG_BYTES,
	importAesGcmKey
} from './aes-gcm.ts';
import { concatBytes } from './bytes.ts';
import { encodeFields } from './canonical-fields.ts';
import { CiphertextFormatError, KeyFormatError } from './errors.ts';
import { hkdfSha256 } from './hkdf.ts';
import {
	deriveSharedSecret,
	exportPublicKey,
	importPublicKey,
	P256_RAW_PUBLIC_KEY_BYTES
} from './key-pair.ts';
import { getSubtle, type CryptoKey, type CryptoKeyPair } from './webcrypto.ts';

// Wire format: version(1) | ephemeral P-256 public key, uncompressed (65) | ciphertext+tag.
const ECIES_VERSION = 1;
const MIN_LENGTH = 1 + P256_RAW_PUBLIC_KEY_BYTES + GCM_TAG_BYTES;
const INFO_LABEL = encodeFields(['charta', 'v1', 'ecies-p256-hkdf-sha256-aes256gcm']);

// Both public keys go into the KDF info, as HPKE's kem_context does (RFC 9180 §4.1), so a
// wrapped key is bound to the one recipient it was made for. The ephemeral key is used once, so
// the nonce can come from the KDF too: no IV on the wire, no reliance on the RNG for uniqueness.
async function deriveMessageKey(
	sharedSecret: Uint8Array,
	ephemeralPublic: Uint8Array,
	recipientPublic: Uint8Array
): Promise<{ key: CryptoKey; iv: Uint8Array }> {
	const okm = await hkdfSha256({
		ikm: sharedSecret,
		salt: new Uint8Array(0),
		info: concatBytes(INFO_LABEL, ephemeralPublic, recipientPublic),
		length: AES_KEY_BYTES + GCM_IV_BYTES
	});
	try {
		return {
			key: await importAesGcmKey(okm.subarray(0, AES_KEY_BYTES)),
			iv: okm.slice(AES_KEY_BYTES)
		};
	} finally {
		okm.fill(0);
		sharedSecret.fill(0);
	}
}

// The version byte is authenticated with the caller's associated data, so the header cannot be
// swapped for a future format's without failing the tag.
function fullAssociatedData(associatedData: Uint8Array): Uint8Array {
	return concatBytes(new Uint8Array([ECIES_VERSION]), associatedData);
}

export async function wrapForRecipient({
	recipientPublicKey,
	plaintext,
	associatedData
}: {
	recipientPublicKey: CryptoKey;
	plaintext: Uint8Array;
	associatedData: Uint8Array;
}): Promise<Uint8Array<ArrayBuffer>> {
	const ephemeral = (await getSubtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
		'deriveBits'
	])) as CryptoKeyPair;
	const ephemeralPublic = await exportPublicKey(ephemeral.publicKey, 'raw');
	const recipientPublic = await exportPublicKey(recipientPublicKey, 'raw');
	const sharedSecret = await deriveSharedSecret({
		privateKey: ephemeral.privateKey,
		publicKey: recipientPublicKey
	});
	const { key, iv } = await deriveMessageKey(sharedSecret, ephemeralPublic, recipientPublic);
	const ciphertext = await aesGcmEncrypt({
		key,
		iv,
		plaintext,
		additionalData: fullAssociatedData(associatedData)
	});
	return concatBytes(new Uint8Array([ECIES_VERSION]), ephemeralPublic, ciphertext);
}

// Takes the recipient's public key as well as the private one: WebCrypto cannot compute a public
// key from a non-extractable private key, and the KDF needs it.
export async function unwrapAsRecipient({
	recipient,
	wrapped,
	associatedData
}: {
	recipient: CryptoKeyPair;
	wrapped: Uint8Array;
	associatedData: Uint8Array;
}): Promise<Uint8Array<ArrayBuffer>> {
	if (wrapped.length < MIN_LENGTH) {
		throw new CiphertextFormatError(
			`Wrapped key is ${wrapped.length} bytes, below the minimum ${MIN_LENGTH}`
		);
	}
	if (wrapped[0] !== ECIES_VERSION) {
		throw new CiphertextFormatError(`Unsupported wrapped-key version ${wrapped[0]}`);
	}
	const ephemeralPublic = wrapped.subarray(1, 1 + P256_RAW_PUBLIC_KEY_BYTES);
	let ephemeralKey: CryptoKey;
	try {
		ephemeralKey = await importPublicKey(ephemeralPublic);
	} catch (cause) {
		if (!(cause instanceof KeyFormatError)) throw cause;
		throw new CiphertextFormatError('Wrapped key carries an invalid ephemeral public key', {
			cause
		});
	}
	const recipientPublic = await exportPublicKey(recipient.publicKey, 'raw');
	const sharedSecret = await deriveSharedSecret({
		privateKey: recipient.privateKey,
		publicKey: ephemeralKey
	});
	const { key, iv } = await deriveMessageKey(sharedSecret, ephemeralPublic, recipientPublic);
	return aesGcmDecrypt({
		key,
		iv,
		ciphertext: wrapped.subarray(1 + P256_RAW_PUBLIC_KEY_BYTES),
		additionalData: fullAssociatedData(associatedData)
	});
}
