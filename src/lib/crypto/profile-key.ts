import { importAesGcmKey } from './aes-gcm.ts';
import { encodeFields } from './canonical-fields.ts';
import { assertId, assertKeyVersion } from './assert-args.ts';
import { KeyFormatError } from './errors.ts';
import { unwrapAsRecipient, wrapForRecipient } from './ecies.ts';
import { getSubtle, type CryptoKey, type CryptoKeyPair } from './webcrypto.ts';

// A patient profile's AES-256-GCM key and its version. Revoking a member rotates to a new
// version; envelopes carry the version they were sealed under.
export interface ProfileKey {
	version: number;
	key: CryptoKey;
}

// Extractable, because its creator wraps it for each member right away (and for new members
// when sharing). Members use the non-extractable copy that unwrapProfileKey returns.
export async function generateProfileKey({ version }: { version: number }): Promise<ProfileKey> {
	assertKeyVersion(version);
	const key = (await getSubtle().generateKey({ name: 'AES-GCM', length: 256 }, true, [
		'encrypt',
		'decrypt'
	])) as CryptoKey;
	return { version, key };
}

// Binds the wrapped key to its profile and version: the server cannot hand a member profile A's
// key as profile B's, nor an old version as the current one.
function profileKeyAssociatedData(profileId: string, version: number): Uint8Array {
	assertId('profileId', profileId);
	assertKeyVersion(version);
	return encodeFields(['charta', 'v1', 'profile-key', profileId, String(version)]);
}

export async function wrapProfileKey({
	profileKey,
	profileId,
	recipientPublicKey
}: {
	profileKey: ProfileKey;
	profileId: string;
	recipientPublicKey: CryptoKey;
}): Promise<Uint8Array<ArrayBuffer>> {
	const associatedData = profileKeyAssociatedData(profileId, profileKey.version);
	const raw = new Uint8Array(await getSubtle().exportKey('raw', profileKey.key));
	try {
		return await wrapForRecipient({ recipientPublicKey, plaintext: raw, associatedData });
	} finally {
		raw.fill(0);
	}
}

export async function unwrapProfileKey({
	wrapped,
	profileId,
	keyVersion,
	recipient,
	extractable = false
}: {
	wrapped: Uint8Array;
	profileId: string;
	keyVersion: number;
	recipient: CryptoKeyPair;
	extractable?: boolean;
}): Promise<ProfileKey> {
	const associatedData = profileKeyAssociatedData(profileId, keyVersion);
	const raw = await unwrapAsRecipient({ recipient, wrapped, associatedData });
	try {
		return {
			version: keyVersion,
			key: await importAesGcmKey(raw, { extractable })
		};
	} catch (cause) {
		if (cause instanceof KeyFormatError) {
			throw new KeyFormatError('Unwrapped profile key is not a 256-bit AES key', { cause });
		}
		throw cause;
	} finally {
		raw.fill(0);
	}
}
