import { z } from 'zod';
import { fromBase64Url } from './base64url.ts';
import { bufferSource } from './bytes.ts';
import { CryptoError, KeyFormatError } from './errors.ts';
import { getSubtle, type CryptoKey, type CryptoKeyPair } from './webcrypto.ts';

const ECDH_P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;
export const P256_RAW_PUBLIC_KEY_BYTES = 65;
export const ECDH_SHARED_SECRET_BYTES = 32;

const Coordinate = z.string().refine((text) => {
	try {
		return fromBase64Url(text).length === 32;
	} catch {
		return false;
	}
}, 'must be base64url of 32 bytes');

export const EcPublicJwk = z.object({
	kty: z.literal('EC'),
	crv: z.literal('P-256'),
	x: Coordinate,
	y: Coordinate
});
export type EcPublicJwk = z.infer<typeof EcPublicJwk>;

// Extractable, because the private key must be exported (pkcs8) to be wrapped by the KEK and the
// recovery key. Use it only for that; the key to keep in memory is the non-extractable one that
// unwrapPrivateKey returns.
export async function generateUserKeyPair(): Promise<CryptoKeyPair> {
	return (await getSubtle().generateKey(ECDH_P256, true, ['deriveBits'])) as CryptoKeyPair;
}

export async function exportPublicKey(
	key: CryptoKey,
	format: 'raw'
): Promise<Uint8Array<ArrayBuffer>>;
export async function exportPublicKey(key: CryptoKey, format: 'jwk'): Promise<EcPublicJwk>;
export async function exportPublicKey(
	key: CryptoKey,
	format: 'raw' | 'jwk'
): Promise<Uint8Array<ArrayBuffer> | EcPublicJwk> {
	if (key.type !== 'public') throw new KeyFormatError('Expected a public key');
	const subtle = getSubtle();
	if (format === 'raw') return new Uint8Array(await subtle.exportKey('raw', key));
	const { kty, crv, x, y } = await subtle.exportKey('jwk', key);
	return { kty, crv, x, y } as EcPublicJwk;
}

// WebCrypto checks that the point lies on P-256 (the invalid-curve attack); we first check the
// shape, so that a wrong curve or a stray private scalar gets a message that names it.
// `input` is raw bytes or a JWK, typically straight off the wire, hence unknown.
export async function importPublicKey(input: unknown): Promise<CryptoKey> {
	const subtle = getSubtle();
	try {
		if (input instanceof Uint8Array) {
			// Uncompressed points only: Chromium and Safari cannot import compressed ones (2026).
			if (input.length !== P256_RAW_PUBLIC_KEY_BYTES || input[0] !== 0x04) {
				throw new KeyFormatError('Public key must be a 65-byte uncompressed P-256 point');
			}
			return await subtle.importKey('raw', bufferSource(input), ECDH_P256, true, []);
		}
		// A `d` here means someone is about to publish a private key as a public one.
		if (typeof input === 'object' && input !== null && 'd' in input) {
			throw new KeyFormatError('A public key JWK must not carry the private scalar d');
		}
		const parsed = EcPublicJwk.safeParse(input);
		if (!parsed.success) {
			throw new KeyFormatError(
				`Public key JWK is not P-256: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`
			);
		}
		const { kty, crv, x, y } = parsed.data;
		return await subtle.importKey('jwk', { kty, crv, x, y }, ECDH_P256, true, []);
	} catch (cause) {
		if (cause instanceof CryptoError) throw cause;
		throw new KeyFormatError('Public key is not a valid P-256 point', { cause });
	}
}

export async function exportPrivateKeyPkcs8(
	privateKey: CryptoKey
): Promise<Uint8Array<ArrayBuffer>> {
	return new Uint8Array(await getSubtle().exportKey('pkcs8', privateKey));
}

export async function importPrivateKeyPkcs8(
	pkcs8: Uint8Array,
	options: { extractable?: boolean } = {}
): Promise<CryptoKey> {
	try {
		return await getSubtle().importKey(
			'pkcs8',
			bufferSource(pkcs8),
			ECDH_P256,
			options.extractable ?? false,
			['deriveBits']
		);
	} catch (cause) {
		throw new KeyFormatError('Private key is not a PKCS #8 P-256 key', { cause });
	}
}

export async function deriveSharedSecret({
	privateKey,
	publicKey
}: {
	privateKey: CryptoKey;
	publicKey: CryptoKey;
}): Promise<Uint8Array<ArrayBuffer>> {
	try {
		return new Uint8Array(
			await getSubtle().deriveBits(
				{ name: 'ECDH', public: publicKey },
				privateKey,
				ECDH_SHARED_SECRET_BYTES * 8
			)
		);
	} catch (cause) {
		throw new KeyFormatError('ECDH failed: keys are not a P-256 private/public pair', { cause });
	}
}
