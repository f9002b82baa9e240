import { describe, expect, it } from 'vitest';
import { CiphertextFormatError, DecryptionError, InvalidArgumentError } from './errors.ts';
import { splitMasterKey } from './hkdf-split.ts';
import { deriveSharedSecret, generateUserKeyPair } from './key-pair.ts';
import { rewrapPrivateKey, unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';
import {
	deriveRecoveryWrappingKey,
	generateRecoveryKey,
	parseRecoveryKey
} from './recovery-key.ts';
import type { CryptoKey } from './webcrypto.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const newKek = async () => (await splitMasterKey(crypto.getRandomValues(new Uint8Array(32)))).kek;

async function samePrivateKey(a: CryptoKey, b: CryptoKey): Promise<boolean> {
	const peer = await generateUserKeyPair();
	const secret = (privateKey: CryptoKey) =>
		deriveSharedSecret({ privateKey, publicKey: peer.publicKey });
	return hex(await secret(a)) === hex(await secret(b));
}

describe('private key wrapping', () => {
	it('unwraps with the KEK to a working, non-extractable private key', async () => {
		const kek = await newKek();
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: kek });
		const unwrapped = await unwrapPrivateKey({ wrapped, wrappingKey: kek });
		expect(unwrapped.extractable).toBe(false);
		expect(await samePrivateKey(privateKey, unwrapped)).toBe(true);
	});

	it('unwraps with the recovery key typed back in', async () => {
		const { text, secret } = generateRecoveryKey();
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({
			privateKey,
			wrappingKey: await deriveRecoveryWrappingKey(secret)
		});
		const retyped = await deriveRecoveryWrappingKey(
			parseRecoveryKey(text.toLowerCase().replaceAll('-', ' '))
		);
		expect(
			await samePrivateKey(privateKey, await unwrapPrivateKey({ wrapped, wrappingKey: retyped }))
		).toBe(true);
	});

	it('refuses the wrong KEK', async () => {
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: await newKek() });
		await expect(unwrapPrivateKey({ wrapped, wrappingKey: await newKek() })).rejects.toThrow(
			DecryptionError
		);
	});

	it('re-wraps under a new KEK on password change, keeping the same private key', async () => {
		const oldKek = await newKek();
		const newKekKey = await newKek();
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: oldKek });
		const rewrapped = await rewrapPrivateKey({ wrapped, from: oldKek, to: newKekKey });
		expect(
			await samePrivateKey(
				privateKey,
				await unwrapPrivateKey({ wrapped: rewrapped, wrappingKey: newKekKey })
			)
		).toBe(true);
		await expect(unwrapPrivateKey({ wrapped: rewrapped, wrappingKey: oldKek })).rejects.toThrow(
			DecryptionError
		);
	});

	it('refuses to wrap a non-extractable key', async () => {
		const kek = await newKek();
		const { privateKey } = await generateUserKeyPair();
		const locked = await unwrapPrivateKey({
			wrapped: await wrapPrivateKey({ privateKey, wrappingKey: kek }),
			wrappingKey: kek
		});
		await expect(wrapPrivateKey({ privateKey: locked, wrappingKey: kek })).rejects.toThrow(
			InvalidArgumentError
		);
	});

	it('refuses every truncation and an unknown format version', async () => {
		const kek = await newKek();
		const { privateKey } = await generateUserKeyPair();
		const wrapped = await wrapPrivateKey({ privateKey, wrappingKey: kek });
		for (let length = 0; length < wrapped.length; length++) {
			await expect(
				unwrapPrivateKey({ wrapped: wrapped.subarray(0, length), wrappingKey: kek })
			).rejects.toThrow(DecryptionError);
		}
		const future = wrapped.slice();
		future[0] = 9;
		await expect(unwrapPrivateKey({ wrapped: future, wrappingKey: kek })).rejects.toThrow(
			CiphertextFormatError
		);
	});
});
