import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.ts';
import { hkdfSha256 } from './hkdf.ts';

interface HkdfVector {
	tcId: number;
	comment: string;
	flags: string[];
	ikm: string;
	salt: string;
	info: string;
	size: number;
	okm: string;
	result: 'valid' | 'invalid' | 'acceptable';
}

const file = JSON.parse(
	readFileSync(
		new URL('../../../tests/fixtures/wycheproof/hkdf_sha256_test.json', import.meta.url),
		'utf8'
	)
) as { testGroups: { tests: HkdfVector[] }[] };
const vectors = file.testGroups.flatMap((group) => group.tests);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('HKDF-SHA256 against Wycheproof hkdf_sha256_test.json', () => {
	it('exercises all 86 vectors: 83 valid, 3 invalid, none "acceptable"', () => {
		// No vector is "acceptable" in this file; if an update adds one, decide its fate here.
		expect(vectors.filter((v) => v.result === 'valid')).toHaveLength(83);
		expect(vectors.filter((v) => v.result === 'invalid')).toHaveLength(3);
		expect(vectors).toHaveLength(86);
	});

	it.each(vectors.filter((v) => v.result === 'valid'))(
		'derives the expected output for valid tcId $tcId ($comment)',
		async (v) => {
			const okm = await hkdfSha256({
				ikm: bytes(v.ikm),
				salt: bytes(v.salt),
				info: bytes(v.info),
				length: v.size
			});
			expect(Buffer.from(okm).toString('hex')).toBe(v.okm);
		}
	);

	// The invalid ones are all "SizeTooLarge": 8,161 bytes, one past RFC 5869's 255 * HashLen.
	it.each(vectors.filter((v) => v.result === 'invalid'))(
		'refuses invalid tcId $tcId ($comment) with a typed error',
		async (v) => {
			expect(v.flags).toEqual(['SizeTooLarge']);
			await expect(
				hkdfSha256({ ikm: bytes(v.ikm), salt: bytes(v.salt), info: bytes(v.info), length: v.size })
			).rejects.toThrow(InvalidArgumentError);
		}
	);

	it('refuses zero and fractional output lengths', async () => {
		const input = { ikm: new Uint8Array(32), salt: new Uint8Array(0), info: new Uint8Array(0) };
		await expect(hkdfSha256({ ...input, length: 0 })).rejects.toThrow(InvalidArgumentError);
		await expect(hkdfSha256({ ...input, length: 1.5 })).rejects.toThrow(InvalidArgumentError);
	});
});
