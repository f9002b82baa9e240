import type { CryptoKeyPair, ProfileKey } from '../crypto/index.ts';
import {
	recordKey,
	recordsOf,
	sameEnvelope,
	type OlderProfileKey,
	type RecordRow,
	type UserDb
} from '../db/index.ts';
import type { ProfileMembership, ProfileRole } from '../shared/profiles.ts';
import { openRecord, sealRecord } from '../vault/record-envelope.ts';
import type { VaultCrypto } from '../vault/index.ts';
import type { ProfileKeyRing } from './profile-key-ring.ts';
import type { SyncApi } from './sync-api.ts';
import { currentWrappedKey, keepOlderKeys, olderKeysOf, profileRowOf } from './membership-keys.ts';
import { registeredKey, registeredProfiles } from './sync-settings.ts';

export interface FollowSummary {
	// Profiles whose key this device moved to a newer version.
	rotated: string[];
	// Profiles this user was removed from since the last sync.
	revoked: string[];
}

const MAX_ATTEMPTS = 5;

// Keeps this device's profile rows in step with the server's memberships (GET /v1/profiles),
// once per sync, before the push:
// - a profile shared with this user gets its row (role, current key) and is marked registered,
//   so the pull that follows fills it and registerProfiles never tries to create it;
// - a role the owner changed is stored, so the pages and the vault know what this user may do;
// - a newer key version (the owner removed a member) is adopted: every record here is sealed
//   again under it, so later writes seal under it and reads need only the current key; changes
//   the server refused as `stale_key_version` meanwhile are put back in line;
// - a profile the server no longer lists, though it knew it, was revoked: the row is marked,
//   and its records stay on the device.
export async function followKeyRotation({
	db,
	api,
	keys,
	crypto,
	userKeyPair,
	now
}: {
	db: UserDb;
	api: Pick<SyncApi, 'listProfiles'>;
	keys: Pick<ProfileKeyRing, 'get'>;
	crypto: VaultCrypto;
	userKeyPair: CryptoKeyPair;
	now: () => number;
}): Promise<FollowSummary> {
	const { profiles } = await api.listProfiles();
	const [local, registered] = await Promise.all([db.profiles.toArray(), registeredProfiles(db)]);
	const localById = new Map(local.map((row) => [row.id, row]));
	const summary: FollowSummary = { rotated: [], revoked: [] };

	for (const membership of profiles) {
		const row = localById.get(membership.profileId);
		if (row?.deleted) continue;
		if (!row) {
			await addSharedProfile(db, membership, now());
		} else if (membership.currentKeyVersion > row.keyVersion) {
			const wrapped = currentWrappedKey(membership);
			if (!wrapped) continue;
			const adopted = await adoptKeyVersion({
				db,
				crypto,
				profileId: row.id,
				profileKey: await crypto.unwrapProfileKey({
					wrapped,
					profileId: row.id,
					keyVersion: membership.currentKeyVersion,
					recipient: userKeyPair
				}),
				wrappedProfileKey: wrapped,
				olderKeys: olderKeysOf(membership),
				role: membership.role,
				openKey: (version) => keys.get(row.id, version),
				now
			});
			if (adopted) summary.rotated.push(row.id);
		} else if (row.role !== membership.role || row.revoked) {
			await db.profiles.update(row.id, { role: membership.role, revoked: false });
		}
	}

	const listed = new Set(profiles.map((membership) => membership.profileId));
	const removed = local.filter(
		(row) => !row.deleted && !row.revoked && registered.has(row.id) && !listed.has(row.id)
	);
	for (const row of removed) {
		await db.profiles.update(row.id, { revoked: true });
		summary.revoked.push(row.id);
	}
	return summary;
}

async function addSharedProfile(db: UserDb, membership: ProfileMembership, now: number) {
	const row = profileRowOf(membership, now);
	if (!row) return;
	await db.transaction('rw', db.profiles, db.settings, async () => {
		// The pull of another tab may have written it meanwhile; its row has the same key.
		if (await db.profiles.get(row.id)) return;
		await db.profiles.add(row);
		await db.settings.put({ key: registeredKey(row.id), value: true });
	});
}

// Moves a profile on this device to a newer key version: every record still sealed under an
// older one is opened (`openKey` gives the key of its version) and sealed under `profileKey`,
// and the profile row takes the new version and wrapped key, all in one transaction, so the
// vault never sees a profile whose records need a key it no longer holds. Sealing happens
// before the transaction (WebCrypto cannot run inside one); a record another tab wrote
// meanwhile starts the pass over. A record that does not open stays as it is (it shows as
// "cannot be decrypted" either way). Resolves false when the row was already at this version
// or newer. Rejections of `stale_key_version` for the profile are put back in line after. The
// row keeps the wrapped keys of its earlier versions (membership-keys.ts), and `olderKeys` besides.
export async function adoptKeyVersion({
	db,
	crypto,
	profileId,
	profileKey,
	wrappedProfileKey,
	olderKeys = [],
	role,
	openKey,
	now
}: {
	db: UserDb;
	crypto: VaultCrypto;
	profileId: string;
	profileKey: ProfileKey;
	// `profileKey` wrapped for this user's own public key.
	wrappedProfileKey: Uint8Array;
	olderKeys?: readonly OlderProfileKey[];
	role?: ProfileRole;
	openKey: (keyVersion: number) => Promise<ProfileKey>;
	now: () => number;
}): Promise<boolean> {
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const stored = (await recordsOf(db, profileId).toArray()).filter(
			(row) => row.keyVersion < profileKey.version
		);
		const resealed: { before: RecordRow; after: RecordRow }[] = [];
		for (const row of stored) {
			const after = await reseal({ crypto, row, profileKey, openKey });
			if (after) resealed.push({ before: row, after });
		}
		const outcome = await db.transaction('rw', db.profiles, db.profileRecords, async () => {
			const profile = await db.profiles.get(profileId);
			if (!profile || profile.keyVersion >= profileKey.version) return 'current';
			const current = await db.profileRecords.bulkGet(
				resealed.map(({ before }) => recordKey(before))
			);
			if (current.some((row, i) => !sameEnvelope(row?.envelope, resealed[i]!.before.envelope))) {
				return 'stale';
			}
			if (resealed.length > 0) {
				await db.profileRecords.bulkPut(resealed.map(({ after }) => after));
			}
			await db.profiles.update(profileId, {
				keyVersion: profileKey.version,
				wrappedProfileKey,
				olderKeys: keepOlderKeys(profile, profileKey.version, olderKeys),
				updatedAt: now(),
				revoked: false,
				...(role ? { role } : {})
			});
			return 'adopted';
		});
		if (outcome === 'stale') continue;
		if (outcome === 'current') return false;
		await retryStaleKeyVersion(db, profileId);
		return true;
	}
	throw new Error('Records kept changing while moving to the new key; the next sync retries');
}

async function reseal({
	crypto,
	row,
	profileKey,
	openKey
}: {
	crypto: VaultCrypto;
	row: RecordRow;
	profileKey: ProfileKey;
	openKey: (keyVersion: number) => Promise<ProfileKey>;
}): Promise<RecordRow | undefined> {
	try {
		const doc = await openRecord({ crypto, profileKey: await openKey(row.keyVersion), row });
		const envelope = await sealRecord({ crypto, profileKey, row, doc });
		return { ...row, keyVersion: profileKey.version, envelope };
	} catch {
		return undefined;
	}
}

// Puts back in line this profile's changes the server refused for their key version: now that
// the device holds the new key, the push seals them under it (push-outbox.ts, `reseal`).
// Other rejections (read_only, not_a_member, invalid) stay for the person to see.
export async function retryStaleKeyVersion(db: UserDb, profileId: string): Promise<number> {
	return db.outbox
		.filter(
			(row) => row.profileId === profileId && !!row.lastError?.startsWith('stale_key_version')
		)
		.modify((row) => {
			delete row.lastError;
		});
}
