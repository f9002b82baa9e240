import { describe, expect, it } from 'vitest';
import { splitMasterKey } from './hkdf-split.ts';
import { deriveSharedSecret, importPublicKey } from './key-pair.ts';
import { unwrapPrivateKey } from './private-key-wrap.ts';
import { deriveRecoveryWrappingKey, generateRecoveryKey } from './recovery-key.ts';
import { createUserKeys } from './user-keys.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('createUserKeys', () => {
	it('wraps one private key twice, and keeps a non-extractable copy for the session', async () => {
		const { kek } = await splitMasterKey(crypto.getRandomValues(new Uint8Array(32)));
		const recovery = generateRecoveryKey();
		const keys = await createUserKeys({ kek, recoverySecret: recovery.secret });
		expect(keys.keyPair.privateKey.extractable).toBe(false);

		const viaKek = await unwrapPrivateKey({
			wrapped: keys.privateKeyWrappedByKek,
			wrappingKey: kek
		});
		const viaRecovery = await unwrapPrivateKey({
			wrapped: keys.privateKeyWrappedByRecovery,
			wrappingKey: await deriveRecoveryWrappingKey(recovery.secret)
		});
		const publicKey = await importPublicKey(keys.publicKeyJwk);
		const secrets = await Promise.all(
			[keys.keyPair.privateKey, viaKek, viaRecovery].map((privateKey) =>
				deriveSharedSecret({ privateKey, publicKey })
			)
		);
		expect(new Set(secrets.map(hex)).size).toBe(1);
	});
});
