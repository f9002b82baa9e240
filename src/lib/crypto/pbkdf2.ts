import { bufferSource } from './bytes.ts';
import { InvalidArgumentError } from './errors.ts';
import { getSubtle } from './webcrypto.ts';

export interface Pbkdf2Input {
	password: Uint8Array;
	salt: Uint8Array;
	iterations: number;
	length: number;
}

// The bare primitive, with no policy floor, so it can be checked against published vectors
// (Wycheproof uses 1 to 80,000 iterations). Policy (>= 600,000) lives in kdf-params.ts.
export async function pbkdf2Sha256({
	password,
	salt,
	iterations,
	length
}: Pbkdf2Input): Promise<Uint8Array<ArrayBuffer>> {
	if (!Number.isSafeInteger(iterations) || iterations < 1) {
		throw new InvalidArgumentError(
			`PBKDF2 iterations must be a positive integer, got ${iterations}`
		);
	}
	if (!Number.isSafeInteger(length) || length < 1) {
		throw new InvalidArgumentError(`PBKDF2 output must be at least 1 byte, got ${length}`);
	}
	const subtle = getSubtle();
	const key = await subtle.importKey('raw', bufferSource(password), 'PBKDF2', false, [
		'deriveBits'
	]);
	const bits = await subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: bufferSource(salt), iterations },
		key,
		length * 8
	);
	return new Uint8Array(bits);
}
