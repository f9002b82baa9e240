import {
	exportPublicKey,
	openEnvelope,
	sealEnvelope,
	type CryptoKeyPair,
	type EcPublicJwk,
	type ProfileKey
} from '../crypto/index.ts';
import { getSubtle } from '../crypto/webcrypto.ts';

const ECDH_P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;

// An import job's events are sealed to a key pair made for that job alone. Its private key is
// kept sealed under the profile key, bound to the import, so a worker the browser restarted
// (or a reload) can still open the server's replay of the job's events.
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
	// Extractable, only so its JWK can be sealed here; the pair in use is imported again below.
	const generated = (await getSubtle().generateKey(ECDH_P256, true, [
		'deriveBits'
	])) as CryptoKeyPair;
	const jwk = await getSubtle().exportKey('jwk', generated.privateKey);
	const plaintext = new TextEncoder().encode(JSON.stringify(jwk));
	try {
		const sealed = await sealEnvelope({
			profileKey,
			binding: binding(profileId, importId),
			plaintext
		});
		return {
			pair: await importPair(jwk),
			publicJwk: await exportPublicKey(generated.publicKey, 'jwk'),
			sealed
		};
	} finally {
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
		return await importPair(JSON.parse(new TextDecoder().decode(plaintext)) as JsonWebKey);
	} finally {
		plaintext.fill(0);
	}
}

async function importPair(jwk: JsonWebKey): Promise<CryptoKeyPair> {
	const subtle = getSubtle();
	const { kty, crv, x, y, d } = jwk;
	const [privateKey, publicKey] = await Promise.all([
		subtle.importKey('jwk', { kty, crv, x, y, d }, ECDH_P256, false, ['deriveBits']),
		subtle.importKey('jwk', { kty, crv, x, y }, ECDH_P256, true, [])
	]);
	return { privateKey, publicKey };
}
