import { GCM_IV_BYTES, GCM_TAG_BYTES, isOperationError } from './aes-gcm.ts';
import { bufferSource, concatBytes, randomBytes } from './bytes.ts';
import { encodeFields } from './canonical-fields.ts';
import {
	CiphertextFormatError,
	DecryptionError,
	InvalidArgumentError,
	KeyFormatError
} from './errors.ts';
import { getSubtle, type CryptoKey } from './webcrypto.ts';

// Wire format: version(1) | IV(12) | AES-256-GCM(pkcs8 private key) + tag.
// Stored on the server twice per user: wrapped by the KEK and by the recovery key.
const WRAP_VERSION = 1;
const MIN_LENGTH = 1 + GCM_IV_BYTES + GCM_TAG_BYTES;
// Ties the blob to its purpose, so nothing else the same key encrypts can stand in for it.
const ASSOCIATED_DATA = concatBytes(
	new Uint8Array([WRAP_VERSION]),
	encodeFields(['charta', 'v1', 'user-private-key'])
);

function gcm(iv: Uint8Array) {
	return { name: 'AES-GCM', iv: bufferSource(iv), additionalData: ASSOCIATED_DATA, tagLength: 128 };
}

// wrapKey/unwrapKey rather than exportKey+encrypt: the pkcs8 bytes stay inside WebCrypto.
export async function wrapPrivateKey({
	privateKey,
	wrappingKey
}: {
	privateKey: CryptoKey;
	wrappingKey: CryptoKey;
}): Promise<Uint8Array<ArrayBuffer>> {
	if (privateKey.type !== 'private' || !privateKey.extractable) {
		throw new InvalidArgumentError('Only an extractable private key can be wrapped');
	}
	const iv = randomBytes(GCM_IV_BYTES);
	const wrapped = await getSubtle().wrapKey('pkcs8', privateKey, wrappingKey, gcm(iv));
	return concatBytes(new Uint8Array([WRAP_VERSION]), iv, new Uint8Array(wrapped));
}

// Non-extractable by default: the unlocked private key should be usable, not exportable.
export async function unwrapPrivateKey({
	wrapped,
	wrappingKey,
	extractable = false
}: {
	wrapped: Uint8Array;
	wrappingKey: CryptoKey;
	extractable?: boolean;
}): Promise<CryptoKey> {
	if (wrapped.length < MIN_LENGTH) {
		throw new CiphertextFormatError(
			`Wrapped private key is ${wrapped.length} bytes, below the minimum ${MIN_LENGTH}`
		);
	}
	if (wrapped[0] !== WRAP_VERSION) {
		throw new CiphertextFormatError(`Unsupported wrapped private key version ${wrapped[0]}`);
	}
	const iv = wrapped.subarray(1, 1 + GCM_IV_BYTES);
	try {
		return await getSubtle().unwrapKey(
			'pkcs8',
			bufferSource(wrapped.subarray(1 + GCM_IV_BYTES)),
			wrappingKey,
			gcm(iv),
			{ name: 'ECDH', namedCurve: 'P-256' },
			extractable,
			['deriveBits']
		);
	} catch (cause) {
		if (isOperationError(cause)) {
			throw new DecryptionError('Wrapped private key did not authenticate', { cause });
		}
		// Authentic bytes that are not a P-256 pkcs8 key: the wrapper wrapped the wrong thing.
		if (cause instanceof Error && cause.name === 'DataError') {
			throw new KeyFormatError('Unwrapped bytes are not a P-256 private key', { cause });
		}
		throw cause;
	}
}

// Password change and recovery: re-wrap under a new key. The private key is extractable only
// inside this function.
export async function rewrapPrivateKey({
	wrapped,
	from,
	to
}: {
	wrapped: Uint8Array;
	from: CryptoKey;
	to: CryptoKey;
}): Promise<Uint8Array<ArrayBuffer>> {
	const privateKey = await unwrapPrivateKey({ wrapped, wrappingKey: from, extractable: true });
	return wrapPrivateKey({ privateKey, wrappingKey: to });
}
