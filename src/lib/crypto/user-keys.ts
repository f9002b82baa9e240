import { exportPublicKey, generateUserKeyPair, type EcPublicJwk } from './key-pair.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';
import { deriveRecoveryWrappingKey } from './recovery-key.ts';
import type { CryptoKey, CryptoKeyPair } from './webcrypto.ts';

export interface NewUserKeys {
	// For this session: the private key here is the non-extractable copy.
	keyPair: CryptoKeyPair;
	// What sign-up sends: the public key and the private key wrapped twice.
	publicKeyJwk: EcPublicJwk;
	privateKeyWrappedByKek: Uint8Array<ArrayBuffer>;
	privateKeyWrappedByRecovery: Uint8Array<ArrayBuffer>;
}

// Sign-up in one call. The session key is obtained by unwrapping the KEK-wrapped copy, which both
// drops extractability and proves the stored blob opens before it is ever uploaded.
export async function createUserKeys({
	kek,
	recoverySecret
}: {
	kek: CryptoKey;
	recoverySecret: Uint8Array;
}): Promise<NewUserKeys> {
	const generated = await generateUserKeyPair();
	const privateKeyWrappedByKek = await wrapPrivateKey({
		privateKey: generated.privateKey,
		wrappingKey: kek
	});
	const privateKeyWrappedByRecovery = await wrapPrivateKey({
		privateKey: generated.privateKey,
		wrappingKey: await deriveRecoveryWrappingKey(recoverySecret)
	});
	const privateKey = await unwrapPrivateKey({ wrapped: privateKeyWrappedByKek, wrappingKey: kek });
	return {
		keyPair: { publicKey: generated.publicKey, privateKey },
		publicKeyJwk: await exportPublicKey(generated.publicKey, 'jwk'),
		privateKeyWrappedByKek,
		privateKeyWrappedByRecovery
	};
}
