import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.ts';
import { pbkdf2Sha256 } from './pbkdf2.ts';

interface Pbkdf2Vector {
	tcId: number;
	comment: string;
	password: string;
	salt: string;
	iterationCount: number;
	dkLen: number;
	dk: string;
	result: 'valid' | 'invalid' | 'acceptable';
}

const file = JSON.parse(
	readFileSync(
		new URL('../../../tests/fixtures/wycheproof/pbkdf2_hmacsha256_test.json', import.meta.url),
		'utf8'
	)
) as { testGroups: { tests: Pbkdf2Vector[] }[] };
const vectors = file.testGroups.flatMap((group) => group.tests);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

// These test the bare primitive. The policy floor (600,000 iterations) that every vector here is
// below is tested in kdf-params.test.ts.
describe('PBKDF2-HMAC-SHA256 against Wycheproof pbkdf2_hmacsha256_test.json', () => {
	it('exercises all 60 vectors, all valid (the file has no invalid or "acceptable" ones)', () => {
		expect(vectors).toHaveLength(60);
		expect(vectors.every((v) => v.result === 'valid')).toBe(true);
	});

	it.each(vectors)('derives the expected key for tcId $tcId ($comment)', async (v) => {
		const dk = await pbkdf2Sha256({
			password: bytes(v.password),
			salt: bytes(v.salt),
			iterations: v.iterationCount,
			length: v.dkLen
		});
		expect(Buffer.from(dk).toString('hex')).toBe(v.dk);
	});

	it('refuses zero iterations and empty output with a typed error', async () => {
		const input = { password: new Uint8Array(1), salt: new Uint8Array(16) };
		await expect(pbkdf2Sha256({ ...input, iterations: 0, length: 32 })).rejects.toThrow(
			InvalidArgumentError
		);
		await expect(pbkdf2Sha256({ ...input, iterations: 1, length: 0 })).rejects.toThrow(
			InvalidArgumentError
		);
	});
});
