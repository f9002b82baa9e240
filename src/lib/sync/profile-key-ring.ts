import { fromBase64Url, type CryptoKeyPair, type ProfileKey } from '../crypto/index.ts';
import type { ProfileRow, UserDb } from '../db/index.ts';
import type { ProfileMembership, ProfilesResponse } from '../shared/profiles.ts';
import type { VaultCrypto } from '../vault/index.ts';
import { profileRowOf } from './membership-keys.ts';
import type { SyncApi } from './sync-api.ts';

// Profile keys for applying pulled changes, by profile and key version. A profile this device
// has not seen (made on another device, or shared) is looked up once per sync in GET
// /v1/profiles, and a row for it is written with the pulled changes. Unwrapped keys stay in
// memory for the client's life; a failed unwrap is not cached.
export function createProfileKeyRing({
	db,
	userKeyPair,
	crypto,
	api
}: {
	db: UserDb;
	userKeyPair: CryptoKeyPair;
	crypto: VaultCrypto;
	api: Pick<SyncApi, 'listProfiles'>;
}) {
	const keys = new Map<string, Promise<ProfileKey>>();
	let memberships: Promise<Map<string, ProfileMembership>> | undefined;

	function serverMemberships(): Promise<Map<string, ProfileMembership>> {
		memberships ??= api
			.listProfiles()
			.then(({ profiles }) => new Map(profiles.map((profile) => [profile.profileId, profile])));
		memberships.catch(() => (memberships = undefined));
		return memberships;
	}

	async function wrappedKey(profileId: string, keyVersion: number): Promise<Uint8Array> {
		const local = await db.profiles.get(profileId);
		if (local && local.keyVersion === keyVersion) return local.wrappedProfileKey;
		const older = local?.olderKeys?.find((key) => key.keyVersion === keyVersion);
		if (older) return older.wrappedProfileKey;
		const membership = (await serverMemberships()).get(profileId);
		const key = membership?.keys.find((k) => k.keyVersion === keyVersion);
		if (!key) throw new Error(`No key version ${keyVersion} for profile ${profileId}`);
		return fromBase64Url(key.wrappedProfileKey);
	}

	return {
		get(profileId: string, keyVersion: number): Promise<ProfileKey> {
			const id = `${profileId}:${keyVersion}`;
			let key = keys.get(id);
			if (!key) {
				key = wrappedKey(profileId, keyVersion).then((wrapped) =>
					crypto.unwrapProfileKey({ wrapped, profileId, keyVersion, recipient: userKeyPair })
				);
				keys.set(id, key);
				key.catch(() => {
					if (keys.get(id) === key) keys.delete(id);
				});
			}
			return key;
		},

		// The key new envelopes of this profile are sealed under.
		async current(profileId: string): Promise<ProfileKey> {
			const local = await db.profiles.get(profileId);
			const version =
				local?.keyVersion ?? (await serverMemberships()).get(profileId)?.currentKeyVersion;
			if (version === undefined) throw new Error(`Profile ${profileId} is not known`);
			return this.get(profileId, version);
		},

		// Rows for profiles the server lists and this device lacks.
		async missingProfiles(profileIds: Iterable<string>, now: number): Promise<ProfileRow[]> {
			const wanted = [...new Set(profileIds)];
			const local = await db.profiles.bulkGet(wanted);
			const missing = wanted.filter((_, i) => !local[i]);
			if (missing.length === 0) return [];
			const server = await serverMemberships();
			return missing.flatMap((profileId) => {
				const membership = server.get(profileId);
				const row = membership && profileRowOf(membership, now);
				return row ? [row] : [];
			});
		},

		// The next sync asks the server again (a profile may have been shared meanwhile).
		// Each sync starts from the list it fetched itself, so the ring never asks again.
		useMemberships(list: Promise<ProfilesResponse>): void {
			memberships = list.then(
				({ profiles }) => new Map(profiles.map((profile) => [profile.profileId, profile]))
			);
			memberships.catch(() => (memberships = undefined));
		}
	};
}

export type ProfileKeyRing = ReturnType<typeof createProfileKeyRing>;
