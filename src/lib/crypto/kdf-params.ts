import { z } from 'zod';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { randomBytes } from './bytes.ts';
import { KdfParamsError } from './errors.ts';

// DESIGN.md "Security model": Argon2id 64 MiB, t=3, p=1. These are also the floors: params come
// back from the server at prelogin, and a client must not let anyone talk it into a cheaper KDF.
export const ARGON2ID_DEFAULTS = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 } as const;
// OWASP Password Storage Cheat Sheet (2023+): PBKDF2-HMAC-SHA256 needs >= 600,000 iterations.
export const PBKDF2_MIN_ITERATIONS = 600_000;
// RFC 9106 §3.1 recommends 16 bytes of salt; 64 is a sanity cap.
export const KDF_SALT_BYTES = 16;

// The ceilings bound what a hostile server could make a phone compute before the password is
// even checked (1 GiB, tens of seconds), while leaving room to raise the defaults for years.
const Salt = z.string().refine((text) => {
	try {
		const length = fromBase64Url(text).length;
		return length >= KDF_SALT_BYTES && length <= 64;
	} catch {
		return false;
	}
}, `must be base64url of ${KDF_SALT_BYTES} to 64 bytes`);

export const Argon2idParams = z.object({
	algorithm: z.literal('argon2id'),
	memoryKiB: z
		.number()
		.int()
		.min(ARGON2ID_DEFAULTS.memoryKiB)
		.max(1024 * 1024),
	iterations: z.number().int().min(ARGON2ID_DEFAULTS.iterations).max(64),
	parallelism: z.number().int().min(ARGON2ID_DEFAULTS.parallelism).max(16),
	salt: Salt
});
export type Argon2idParams = z.infer<typeof Argon2idParams>;

export const Pbkdf2Params = z.object({
	algorithm: z.literal('pbkdf2-sha256'),
	iterations: z.number().int().min(PBKDF2_MIN_ITERATIONS).max(100_000_000),
	salt: Salt
});
export type Pbkdf2Params = z.infer<typeof Pbkdf2Params>;

// Stored per user and returned at prelogin, so the work factor can be raised later without
// touching old accounts; `algorithm` tells the two apart.
export const KdfParams = z.discriminatedUnion('algorithm', [Argon2idParams, Pbkdf2Params]);
export type KdfParams = z.infer<typeof KdfParams>;

export function parseKdfParams(input: unknown): KdfParams {
	const result = KdfParams.safeParse(input);
	if (!result.success) {
		throw new KdfParamsError(
			'KDF parameters are invalid or weaker than allowed',
			result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
		);
	}
	return result.data;
}

export function createKdfParams(options: { algorithm?: KdfParams['algorithm'] } = {}): KdfParams {
	const salt = toBase64Url(randomBytes(KDF_SALT_BYTES));
	if (options.algorithm === 'pbkdf2-sha256') {
		return { algorithm: 'pbkdf2-sha256', iterations: PBKDF2_MIN_ITERATIONS, salt };
	}
	return { algorithm: 'argon2id', ...ARGON2ID_DEFAULTS, salt };
}
