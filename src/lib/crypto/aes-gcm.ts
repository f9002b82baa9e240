import { bufferSource } from './bytes.ts';
import { DecryptionError, InvalidArgumentError, KeyFormatError } from './errors.ts';
import { getSubtle, type CryptoKey } from './webcrypto.ts';

export const AES_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

type AesKeyUsage = 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey';

export async function importAesGcmKey(
	raw: Uint8Array,
	options: { extractable?: boolean; usages?: readonly AesKeyUsage[] } = {}
): Promise<CryptoKey> {
	// AES-128/192 would import fine; only 256-bit keys belong in this system.
	if (raw.length !== AES_KEY_BYTES) {
		throw new KeyFormatError(`AES-GCM key must be ${AES_KEY_BYTES} bytes, got ${raw.length}`);
	}
	return getSubtle().importKey('raw', bufferSource(raw), 'AES-GCM', options.extractable ?? false, [
		...(options.usages ?? ['encrypt', 'decrypt'])
	]);
}

export interface AesGcmInput {
	key: CryptoKey;
	iv: Uint8Array;
	additionalData: Uint8Array;
}

function gcmParams({ iv, additionalData }: AesGcmInput) {
	// 96-bit IVs only: other lengths are GHASHed into the counter, a path with a history of bugs
	// (Wycheproof "LongIv", "CounterWrap") that we have no reason to exercise.
	if (iv.length !== GCM_IV_BYTES) {
		throw new InvalidArgumentError(`AES-GCM IV must be ${GCM_IV_BYTES} bytes, got ${iv.length}`);
	}
	return {
		name: 'AES-GCM',
		iv: bufferSource(iv),
		additionalData: bufferSource(additionalData),
		tagLength: GCM_TAG_BYTES * 8
	};
}

// Returns ciphertext || 16-byte tag, WebCrypto's layout.
export async function aesGcmEncrypt(
	input: AesGcmInput & { plaintext: Uint8Array }
): Promise<Uint8Array<ArrayBuffer>> {
	const sealed = await getSubtle().encrypt(
		gcmParams(input),
		input.key,
		bufferSource(input.plaintext)
	);
	return new Uint8Array(sealed);
}

export async function aesGcmDecrypt(
	input: AesGcmInput & { ciphertext: Uint8Array }
): Promise<Uint8Array<ArrayBuffer>> {
	const params = gcmParams(input);
	if (input.ciphertext.length < GCM_TAG_BYTES) {
		throw new DecryptionError('Ciphertext is shorter than an AES-GCM tag');
	}
	try {
		return new Uint8Array(
			await getSubtle().decrypt(params, input.key, bufferSource(input.ciphertext))
		);
	} catch (cause) {
		// WebCrypto verifies the tag before releasing any plaintext, so an OperationError means
		// nothing was decrypted. Anything else (a key without 'decrypt' usage) is a bug: rethrow.
		if (isOperationError(cause)) {
			throw new DecryptionError('Ciphertext did not authenticate', { cause });
		}
		throw cause;
	}
}

export function isOperationError(error: unknown): boolean {
	return error instanceof Error && error.name === 'OperationError';
}
