import { bufferSource } from './bytes.ts';
import { InvalidArgumentError } from './errors.ts';
import { getSubtle } from './webcrypto.ts';

// RFC 5869 §2.3: L <= 255 * HashLen. WebCrypto also refuses longer output, but with an opaque
// OperationError; checking first gives a typed error and documents the limit (Wycheproof SizeTooLarge).
export const HKDF_SHA256_MAX_BYTES = 255 * 32;

export interface HkdfInput {
	ikm: Uint8Array;
	salt: Uint8Array;
	info: Uint8Array;
	length: number;
}

export async function hkdfSha256({
	ikm,
	salt,
	info,
	length
}: HkdfInput): Promise<Uint8Array<ArrayBuffer>> {
	if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_BYTES) {
		throw new InvalidArgumentError(
			`HKDF-SHA256 output must be 1 to ${HKDF_SHA256_MAX_BYTES} bytes, got ${length}`
		);
	}
	const subtle = getSubtle();
	const key = await subtle.importKey('raw', bufferSource(ikm), 'HKDF', false, ['deriveBits']);
	const bits = await subtle.deriveBits(
		{ name: 'HKDF', hash: 'SHA-256', salt: bufferSource(salt), info: bufferSource(info) },
		key,
		length * 8
	);
	return new Uint8Array(bits);
}
