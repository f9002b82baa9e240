import {
	exportPrivateKeyPkcs8,
	exportPublicKey,
	fromBase64Url,
	generateUserKeyPair,
	importPrivateKeyPkcs8,
	importPublicKey,
	openEnvelope,
	sealEnvelope,
	toBase64Url,
	type CryptoKeyPair,
	type EcPublicJwk,
	type ProfileKey
} from '../crypto/index.ts';

// An import job's events are sealed to a key pair made for that job alone. Its private key is
// kept sealed under the profile key, bound to the import, so a worker the browser restarted
// (or a reload) can still open the server's replay of the job's events. Kept as analyses keep
// theirs (src/lib/analyses/analysis-seal.ts): the private key as PKCS #8 and the public key as a
// JWK, which opening an event needs too (ECIES binds both).
const binding = (profileId: string, importId: string) => ({
	profileId,
	entityId: importId,
	kind: 'import-job-key'
});

export interface JobKey {
	pair: CryptoKeyPair;
	publicJwk: EcPublicJwk;
	sealed: Uint8Array<ArrayBuffer>;
}

export async function createJobKey({
	profileKey,
	profileId,
	importId
}: {
	profileKey: ProfileKey;
	profileId: string;
	importId: string;
}): Promise<JobKey> {
	// Extractable, only so it can be sealed here; the pair in use is imported again.
	const generated = await generateUserKeyPair();
	const publicJwk = await exportPublicKey(generated.publicKey, 'jwk');
	const pkcs8 = await exportPrivateKeyPkcs8(generated.privateKey);
	const plaintext = new TextEncoder().encode(
		JSON.stringify({ pkcs8: toBase64Url(pkcs8), publicJwk })
	);
	try {
		return {
			pair: { privateKey: await importPrivateKeyPkcs8(pkcs8), publicKey: generated.publicKey },
			publicJwk,
			sealed: await sealEnvelope({ profileKey, binding: binding(profileId, importId), plaintext })
		};
	} finally {
		pkcs8.fill(0);
		plaintext.fill(0);
	}
}

/** Throws if the envelope was not sealed for this import under this key. */
export async function openJobKey({
	profileKey,
	profileId,
	importId,
	sealed
}: {
	profileKey: ProfileKey;
	profileId: string;
	importId: string;
	sealed: Uint8Array;
}): Promise<CryptoKeyPair> {
	const plaintext = await openEnvelope({
		profileKey,
		binding: binding(profileId, importId),
		envelope: sealed
	});
	try {
		const { pkcs8, publicJwk } = JSON.parse(new TextDecoder().decode(plaintext)) as {
			pkcs8: string;
			publicJwk: unknown;
		};
		return {
			privateKey: await importPrivateKeyPkcs8(fromBase64Url(pkcs8)),
			publicKey: await importPublicKey(publicJwk)
		};
	} finally {
		plaintext.fill(0);
	}
}
