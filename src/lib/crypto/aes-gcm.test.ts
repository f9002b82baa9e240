import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from './aes-gcm.ts';
import { DecryptionError, InvalidArgumentError, KeyFormatError } from './errors.ts';

interface AeadVector {
	tcId: number;
	comment: string;
	flags: string[];
	key: string;
	iv: string;
	aad: string;
	msg: string;
	ct: string;
	tag: string;
	result: 'valid' | 'invalid' | 'acceptable';
}
interface AeadGroup {
	keySize: number;
	ivSize: number;
	tagSize: number;
	tests: AeadVector[];
}

const file = JSON.parse(
	readFileSync(
		new URL('../../../tests/fixtures/wycheproof/aes_gcm_test.json', import.meta.url),
		'utf8'
	)
) as { testGroups: AeadGroup[] };
// Only what the envelope uses: 256-bit keys, 96-bit IVs, 128-bit tags.
const vectors = file.testGroups
	.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128)
	.flatMap((g) => g.tests);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');

describe('AES-256-GCM against Wycheproof aes_gcm_test.json (keySize 256, ivSize 96, tagSize 128)', () => {
	it('exercises 66 vectors: 39 valid, 27 invalid, none "acceptable"', () => {
		// No vector is "acceptable" in these groups; if an update adds one, decide its fate here.
		expect(vectors.filter((v) => v.result === 'valid')).toHaveLength(39);
		expect(vectors.filter((v) => v.result === 'invalid')).toHaveLength(27);
		expect(vectors).toHaveLength(66);
	});

	it.each(vectors.filter((v) => v.result === 'valid'))(
		'encrypts and decrypts valid tcId $tcId $flags',
		async (v) => {
			const key = await importAesGcmKey(bytes(v.key));
			const common = { key, iv: bytes(v.iv), additionalData: bytes(v.aad) };
			expect(hex(await aesGcmEncrypt({ ...common, plaintext: bytes(v.msg) }))).toBe(v.ct + v.tag);
			expect(hex(await aesGcmDecrypt({ ...common, ciphertext: bytes(v.ct + v.tag) }))).toBe(v.msg);
		}
	);

	it.each(vectors.filter((v) => v.result === 'invalid'))(
		'rejects invalid tcId $tcId ($comment) with DecryptionError',
		async (v) => {
			const key = await importAesGcmKey(bytes(v.key));
			await expect(
				aesGcmDecrypt({
					key,
					iv: bytes(v.iv),
					additionalData: bytes(v.aad),
					ciphertext: bytes(v.ct + v.tag)
				})
			).rejects.toThrow(DecryptionError);
		}
	);

	it('refuses keys that are not 256 bits and IVs that are not 96 bits', async () => {
		await expect(importAesGcmKey(new Uint8Array(16))).rejects.toThrow(KeyFormatError);
		const key = await importAesGcmKey(new Uint8Array(32));
		await expect(
			aesGcmEncrypt({
				key,
				iv: new Uint8Array(16),
				additionalData: new Uint8Array(0),
				plaintext: new Uint8Array(1)
			})
		).rejects.toThrow(InvalidArgumentError);
	});
});
