import type { CryptoKeyPair, ProfileKey } from '../crypto/index.ts';
import type { UserDb } from '../db/index.ts';
import { ProfileNotFoundError } from './errors.ts';
import type { VaultCrypto } from './vault-crypto.ts';

// Profile keys are unwrapped on first use and held in memory only. The promise is cached, so a
// list that opens 10,000 records of one profile does one ECDH, not 10,000.
export function createProfileKeys({
	db,
	userKeyPair,
	crypto
}: {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	crypto: VaultCrypto;
}) {
	const keys = new Map<string, Promise<ProfileKey>>();

	async function unwrap(profileId: string): Promise<ProfileKey> {
		const profile = await db.profiles.get(profileId);
		if (!profile || profile.deleted) throw new ProfileNotFoundError(profileId);
		return crypto.unwrapProfileKey({
			wrapped: profile.wrappedProfileKey,
			profileId,
			keyVersion: profile.keyVersion,
			recipient: userKeyPair
		});
	}

	return {
		get(profileId: string): Promise<ProfileKey> {
			let key = keys.get(profileId);
			if (!key) {
				key = unwrap(profileId);
				keys.set(profileId, key);
				// A failure is not cached: the profile may arrive, or be repaired, by sync.
				key.catch(() => {
					if (keys.get(profileId) === key) keys.delete(profileId);
				});
			}
			return key;
		},
		clear(): void {
			keys.clear();
		}
	};
}

export type ProfileKeys = ReturnType<typeof createProfileKeys>;
