import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportPublicKey, generateUserKeyPair } from './key-pair.ts';
import { formatSafetyCode, jwkThumbprint, safetyCode } from './key-fingerprint.ts';

// RFC 7638 §3: the thumbprint input is the required members, sorted, without whitespace.
const jwk = {
	kty: 'EC' as const,
	crv: 'P-256' as const,
	x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
	y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0'
};

describe('key fingerprints', () => {
	it('hashes exactly the RFC 7638 form of an EC public key', async () => {
		const input = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
		const expected = createHash('sha256').update(input).digest();
		expect(Buffer.from(await jwkThumbprint(jwk))).toEqual(expected);
	});

	it('ignores members outside the key and their order', async () => {
		const reordered = { y: jwk.y, x: jwk.x, crv: jwk.crv, kty: jwk.kty, ext: true, key_ops: [] };
		expect(await safetyCode(reordered as typeof jwk)).toBe(await safetyCode(jwk));
	});

	it('shows 6 groups of 5 digits, each a 40-bit slice of the thumbprint', () => {
		const bytes = new Uint8Array(32);
		bytes.set([0, 0, 0, 0x01, 0x00]); // 256 → "00256"
		bytes.set([0xff, 0xff, 0xff, 0xff, 0xff], 5); // 2^40 - 1 = 1099511627775 → "27775"
		expect(formatSafetyCode(bytes)).toBe('00256 27775 00000 00000 00000 00000');
	});

	it('gives different keys different codes', async () => {
		const codes = new Set<string>();
		for (let i = 0; i < 20; i++) {
			const { publicKey } = await generateUserKeyPair();
			codes.add(await safetyCode(await exportPublicKey(publicKey, 'jwk')));
		}
		expect(codes.size).toBe(20);
		for (const code of codes) expect(code).toMatch(/^\d{5}( \d{5}){5}$/);
	});
});
