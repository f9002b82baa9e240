import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeyFormatError } from './errors.ts';
import {
	deriveSharedSecret,
	exportPrivateKeyPkcs8,
	exportPublicKey,
	generateUserKeyPair,
	importPrivateKeyPkcs8,
	importPublicKey
} from './key-pair.ts';

interface EcdhVector {
	tcId: number;
	comment: string;
	flags: string[];
	public: Record<string, string>;
	private: Record<string, string>;
	shared: string;
	result: 'valid' | 'invalid' | 'acceptable';
}

const file = JSON.parse(
	readFileSync(
		new URL(
			'../../../tests/fixtures/wycheproof/ecdh_secp256r1_webcrypto_test.json',
			import.meta.url
		),
		'utf8'
	)
) as { testGroups: { curve: string; encoding: string; tests: EcdhVector[] }[] };
const vectors = file.testGroups.flatMap((group) => group.tests);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// The private keys come as JWK, a format the app never imports; WebCrypto reads them directly.
async function importVectorPrivateKey({ kid: _kid, ...jwk }: Record<string, string>) {
	return crypto.subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, [
		'deriveBits'
	]);
}

describe('ECDH P-256 against Wycheproof ecdh_secp256r1_webcrypto_test.json', () => {
	it('exercises all 353 vectors: 330 valid, 23 invalid, none "acceptable"', () => {
		// No vector is "acceptable" in this file; if an update adds one, decide its fate here.
		expect(file.testGroups.every((g) => g.curve === 'secp256r1' || g.curve === 'P-256')).toBe(true);
		expect(vectors.filter((v) => v.result === 'valid')).toHaveLength(330);
		expect(vectors.filter((v) => v.result === 'invalid')).toHaveLength(23);
		expect(vectors).toHaveLength(353);
	});

	it.each(vectors.filter((v) => v.result === 'valid'))(
		'agrees on the shared secret for valid tcId $tcId ($comment)',
		async (v) => {
			const publicKey = await importPublicKey(v.public);
			const privateKey = await importVectorPrivateKey(v.private);
			expect(hex(await deriveSharedSecret({ privateKey, publicKey }))).toBe(v.shared);
		}
	);

	// Off-curve points, (0,0), secp256k1/P-384/P-521 keys: each is refused at import, so no ECDH
	// ever runs on them (the invalid-curve attack needs it to).
	it.each(vectors.filter((v) => v.result === 'invalid'))(
		'refuses the public key of invalid tcId $tcId ($comment) with KeyFormatError',
		async (v) => {
			await expect(importPublicKey(v.public)).rejects.toThrow(KeyFormatError);
		}
	);
});

describe('user key pair', () => {
	it('round-trips the public key as raw bytes and as JWK', async () => {
		const { publicKey } = await generateUserKeyPair();
		const raw = await exportPublicKey(publicKey, 'raw');
		expect(raw).toHaveLength(65);
		expect(raw[0]).toBe(4);
		const jwk = await exportPublicKey(publicKey, 'jwk');
		expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
		expect(await exportPublicKey(await importPublicKey(raw), 'jwk')).toEqual(jwk);
		expect(hex(await exportPublicKey(await importPublicKey(jwk), 'raw'))).toBe(hex(raw));
	});

	it('round-trips the private key through pkcs8 and the pair still agrees', async () => {
		const alice = await generateUserKeyPair();
		const bob = await generateUserKeyPair();
		const restored = await importPrivateKeyPkcs8(await exportPrivateKeyPkcs8(alice.privateKey));
		expect(restored.extractable).toBe(false);
		expect(hex(await deriveSharedSecret({ privateKey: restored, publicKey: bob.publicKey }))).toBe(
			hex(await deriveSharedSecret({ privateKey: bob.privateKey, publicKey: alice.publicKey }))
		);
	});

	it('refuses malformed public and private keys with KeyFormatError', async () => {
		const { publicKey, privateKey } = await generateUserKeyPair();
		const raw = await exportPublicKey(publicKey, 'raw');
		const jwk = await exportPublicKey(publicKey, 'jwk');
		const privateJwk = await crypto.subtle.exportKey('jwk', privateKey);
		const compressed = new Uint8Array([2 + ((raw[64] ?? 0) & 1), ...raw.subarray(1, 33)]);
		for (const bad of [
			raw.subarray(0, 64),
			compressed,
			new Uint8Array(65),
			privateJwk,
			{ ...jwk, crv: 'P-384' },
			{ ...jwk, x: jwk.x.slice(1) },
			{ ...jwk, kty: 'OKP' },
			'not a key'
		]) {
			await expect(importPublicKey(bad)).rejects.toThrow(KeyFormatError);
		}
		await expect(importPrivateKeyPkcs8(new Uint8Array(100))).rejects.toThrow(KeyFormatError);
		await expect(exportPublicKey(privateKey, 'raw')).rejects.toThrow(KeyFormatError);
	});
});
