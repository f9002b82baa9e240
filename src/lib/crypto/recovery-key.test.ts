import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFields } from './canonical-fields.ts';
import { InvalidArgumentError, RecoveryKeyError, type RecoveryKeyProblem } from './errors.ts';
import { generateUserKeyPair } from './key-pair.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';
import {
	deriveRecoveryAuthKey,
	deriveRecoveryWrappingKey,
	formatRecoveryKey,
	generateRecoveryKey,
	parseRecoveryKey
} from './recovery-key.ts';
import { getSubtle } from './webcrypto.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function problemOf(input: string): RecoveryKeyProblem | 'accepted' {
	try {
		parseRecoveryKey(input);
		return 'accepted';
	} catch (error) {
		expect(error).toBeInstanceOf(RecoveryKeyError);
		return (error as RecoveryKeyError).problem;
	}
}

const compact = (key: string) => key.replaceAll('-', '');

describe('recovery key', () => {
	it('carries 160 random bits as 7 groups of 5 Crockford base32 characters', () => {
		const { text, secret } = generateRecoveryKey();
		expect(secret).toHaveLength(20);
		expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){6}$/);
		expect(hex(parseRecoveryKey(text))).toBe(hex(secret));
		expect(generateRecoveryKey().text).not.toBe(text);
	});

	it('round-trips every secret', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (secret) => {
				expect(hex(parseRecoveryKey(formatRecoveryKey(secret)))).toBe(hex(secret));
			})
		);
	});

	it('tolerates case, spaces, line breaks, dashes and the look-alikes O, I and L', () => {
		const secret = new Uint8Array(20).fill(0x42);
		const text = formatRecoveryKey(new Uint8Array(20).fill(0x42));
		const variants = [
			text.toLowerCase(),
			text.replaceAll('-', ' '),
			compact(text),
			` ${text.replaceAll('-', ' – ')}\n`,
			text.replaceAll('0', 'o').replaceAll('1', 'l')
		];
		for (const variant of variants) expect(hex(parseRecoveryKey(variant))).toBe(hex(secret));
	});

	it('catches every single-character typo, at every position including the check characters', () => {
		for (let run = 0; run < 5; run++) {
			const symbols = compact(generateRecoveryKey().text);
			for (let i = 0; i < symbols.length; i++) {
				for (const replacement of ALPHABET) {
					if (replacement === symbols[i]) continue;
					const typo = symbols.slice(0, i) + replacement + symbols.slice(i + 1);
					expect(problemOf(typo)).toBe('checksum-mismatch');
				}
			}
		}
	});

	it('catches every swap of two neighbouring characters', () => {
		for (let run = 0; run < 20; run++) {
			const symbols = compact(generateRecoveryKey().text);
			for (let i = 0; i + 1 < symbols.length; i++) {
				if (symbols[i] === symbols[i + 1]) continue;
				const swapped = symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2);
				expect(problemOf(swapped)).toBe('checksum-mismatch');
			}
		}
	});

	it('says which character is not valid, by group and position', () => {
		const text = generateRecoveryKey().text;
		const withU = text.slice(0, 9) + 'U' + text.slice(10);
		const error = (() => {
			try {
				parseRecoveryKey(withU);
			} catch (e) {
				return e as RecoveryKeyError;
			}
			throw new Error('accepted');
		})();
		expect(error.problem).toBe('invalid-character');
		expect(error.position).toBe(9);
		expect(error.message).toBe('"U" (character 4 of group 2) is not used in recovery keys');
	});

	it('reports a missing or extra character as a wrong length, and nothing typed as empty', () => {
		const symbols = compact(generateRecoveryKey().text);
		expect(problemOf(symbols.slice(1))).toBe('wrong-length');
		expect(problemOf(symbols + '0')).toBe('wrong-length');
		expect(problemOf(' - ')).toBe('empty');
	});

	it('has exactly one valid spelling per secret: an out-of-range check value is refused', () => {
		// Find a key whose check value plus 32,749 still fits in three symbols; its residue is
		// unchanged, so only the range check stands between it and a second valid spelling.
		for (;;) {
			const symbols = compact(generateRecoveryKey().text);
			const check = [...symbols.slice(-3)].reduce((n, c) => n * 32 + ALPHABET.indexOf(c), 0);
			if (check + 32_749 >= 32 ** 3) continue;
			const alias = [2, 1, 0].map((i) => ALPHABET[((check + 32_749) >> (5 * i)) & 31]).join('');
			expect(problemOf(symbols.slice(0, -3) + alias)).toBe('checksum-mismatch');
			return;
		}
	});
});

describe('deriveRecoveryAuthKey', () => {
	it('is HKDF-SHA256 of the secret with its own label, as node:crypto computes it', async () => {
		const { secret } = generateRecoveryKey();
		const expected = hkdfSync(
			'sha256',
			secret,
			new Uint8Array(0),
			encodeFields(['charta', 'v1', 'recovery-auth-key']),
			32
		);
		const authKey = await deriveRecoveryAuthKey(secret);
		expect(authKey).toHaveLength(32);
		expect(hex(authKey)).toBe(hex(new Uint8Array(expected)));
		expect(hex(await deriveRecoveryAuthKey(secret))).toBe(hex(authKey));
	});

	it('cannot stand in for the wrapping key: a key built from it does not open the wrapped copy', async () => {
		const { secret } = generateRecoveryKey();
		const pair = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({
			privateKey: pair.privateKey,
			wrappingKey: await deriveRecoveryWrappingKey(secret)
		});
		const fromAuthKey = await getSubtle().importKey(
			'raw',
			await deriveRecoveryAuthKey(secret),
			'AES-GCM',
			false,
			['unwrapKey']
		);
		await expect(unwrapPrivateKey({ wrapped, wrappingKey: fromAuthKey })).rejects.toThrow();
	});

	it('differs between recovery keys and refuses a secret of the wrong length', async () => {
		const a = await deriveRecoveryAuthKey(generateRecoveryKey().secret);
		const b = await deriveRecoveryAuthKey(generateRecoveryKey().secret);
		expect(hex(a)).not.toBe(hex(b));
		await expect(deriveRecoveryAuthKey(new Uint8Array(16))).rejects.toThrow(InvalidArgumentError);
	});
});
