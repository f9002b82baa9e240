import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { KdfParamsError } from './errors.ts';
import { createKdfParams, KdfParams, parseKdfParams } from './kdf-params.ts';

const salt = toBase64Url(new Uint8Array(16).fill(7));
const argon2 = { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1, salt };

function rejection(input: unknown): KdfParamsError {
	try {
		parseKdfParams(input);
	} catch (error) {
		expect(error).toBeInstanceOf(KdfParamsError);
		return error as KdfParamsError;
	}
	throw new Error('expected KdfParamsError');
}

describe('KDF parameters', () => {
	it('defaults to Argon2id 64 MiB, t=3, p=1 with a fresh 16-byte salt', () => {
		const a = createKdfParams();
		const b = createKdfParams();
		expect(a).toMatchObject({
			algorithm: 'argon2id',
			memoryKiB: 65536,
			iterations: 3,
			parallelism: 1
		});
		expect(fromBase64Url(a.salt)).toHaveLength(16);
		expect(a.salt).not.toBe(b.salt);
		expect(KdfParams.parse(a)).toEqual(a);
	});

	it('offers PBKDF2-SHA256 at 600,000 iterations as the fallback', () => {
		expect(createKdfParams({ algorithm: 'pbkdf2-sha256' })).toMatchObject({
			algorithm: 'pbkdf2-sha256',
			iterations: 600_000
		});
	});

	it('accepts raised parameters, so they can grow later', () => {
		expect(
			parseKdfParams({ ...argon2, memoryKiB: 262144, iterations: 4, parallelism: 2 })
		).toMatchObject({
			memoryKiB: 262144
		});
		expect(
			parseKdfParams({ algorithm: 'pbkdf2-sha256', iterations: 1_000_000, salt }).iterations
		).toBe(1_000_000);
	});

	it.each([
		['less memory', { ...argon2, memoryKiB: 32768 }, 'memoryKiB'],
		['fewer passes', { ...argon2, iterations: 2 }, 'iterations'],
		['no lanes', { ...argon2, parallelism: 0 }, 'parallelism'],
		['fractional passes', { ...argon2, iterations: 3.5 }, 'iterations'],
		['an absurd memory cost', { ...argon2, memoryKiB: 8 * 1024 * 1024 }, 'memoryKiB'],
		['an 8-byte salt', { ...argon2, salt: toBase64Url(new Uint8Array(8)) }, 'salt'],
		['a salt that is not base64url', { ...argon2, salt: 'AAAA+AAAAAAAAAAAAAAAAA' }, 'salt'],
		['a missing salt', { ...argon2, salt: undefined }, 'salt'],
		[
			'PBKDF2 below 600,000',
			{ algorithm: 'pbkdf2-sha256', iterations: 599_999, salt },
			'iterations'
		],
		['an unknown algorithm', { ...argon2, algorithm: 'scrypt' }, 'algorithm']
	])('rejects %s with a KdfParamsError naming the field', (_, input, field) => {
		expect(rejection(input).issues.some((issue) => issue.startsWith(field))).toBe(true);
	});

	it('rejects every iteration count in the Wycheproof PBKDF2 file as too weak for passwords', () => {
		const file = JSON.parse(
			readFileSync(
				new URL('../../../tests/fixtures/wycheproof/pbkdf2_hmacsha256_test.json', import.meta.url),
				'utf8'
			)
		) as { testGroups: { tests: { iterationCount: number }[] }[] };
		const counts = new Set(file.testGroups.flatMap((g) => g.tests.map((t) => t.iterationCount)));
		expect([...counts].sort((a, b) => a - b)).toEqual([1, 4096, 80000]);
		for (const iterations of counts) {
			expect(() => parseKdfParams({ algorithm: 'pbkdf2-sha256', iterations, salt })).toThrow(
				KdfParamsError
			);
		}
	});
});
