import type { ProfileMembership, ProfileRole } from '../../../src/lib/shared/profiles.ts';
import type { Queryable } from '../store/store.ts';
import { notifyMembership } from './change-feed.ts';

export type CreateProfileOutcome = 'created' | 'replayed' | 'taken';

/**
 * A new profile with the caller as owner and their key at version 1, all under RLS
 * (profiles_insert_creator, members_insert_claim, member_keys_insert_owner). Sending the same
 * request again is a replay; any other request for an existing id finds it taken.
 */
export async function createProfile(
	tx: Queryable,
	userId: string,
	{ profileId, wrappedKey }: { profileId: string; wrappedKey: Buffer }
): Promise<CreateProfileOutcome> {
	// No RETURNING and no ON CONFLICT: both need the new row readable (profiles_select_member),
	// which it is not until we are its member. A taken id is a unique violation, undone alone.
	await tx
		.savepoint((sp) =>
			sp.query(`insert into charta.profiles (id, created_by) values ($1, $2)`, [profileId, userId])
		)
		.catch((error: unknown) => {
			if ((error as { code?: unknown }).code !== '23505') throw error;
		});
	const [{ claimable } = { claimable: false }] = await tx.query<{ claimable: boolean }>(
		`select charta.can_claim($1) as claimable`,
		[profileId]
	);
	if (claimable) {
		await tx.query(
			`insert into charta.profile_members (profile_id, user_id, role, added_by)
			 values ($1, $2, 'owner', $2)`,
			[profileId, userId]
		);
		await tx.query(
			`insert into charta.profile_member_keys (profile_id, user_id, key_version, wrapped_key, added_by)
			 values ($1, $2, 1, $3, $2)`,
			[profileId, userId, wrappedKey]
		);
		// The creator's other devices have event streams open that know only the profiles they had:
		// they re-read this membership and are nudged for its changes from now on.
		await notifyMembership(tx, { profileId, userId });
		return 'created';
	}
	const [mine] = await tx.query<{ wrapped_key: Uint8Array }>(
		`select k.wrapped_key
		 from charta.profile_members m
		 join charta.profile_member_keys k using (profile_id, user_id)
		 where m.profile_id = $1 and m.user_id = $2 and m.role = 'owner' and m.revoked_at is null
		   and k.key_version = 1`,
		[profileId, userId]
	);
	return mine && wrappedKey.equals(Buffer.from(mine.wrapped_key)) ? 'replayed' : 'taken';
}

/** Every profile the caller is a current member of, with each key version wrapped for them. */
export async function listMemberships(
	tx: Queryable,
	userId: string,
	profileId?: string
): Promise<ProfileMembership[]> {
	const rows = await tx.query<{
		profile_id: string;
		role: ProfileRole;
		current_key_version: number;
		key_version: number | null;
		wrapped_key: Uint8Array | null;
	}>(
		`select m.profile_id, m.role, p.current_key_version, k.key_version, k.wrapped_key
		 from charta.profile_members m
		 join charta.profiles p on p.id = m.profile_id
		 left join charta.profile_member_keys k using (profile_id, user_id)
		 where m.user_id = $1 and m.revoked_at is null and ($2::uuid is null or m.profile_id = $2::uuid)
		 order by m.created_at, m.profile_id, k.key_version`,
		[userId, profileId ?? null]
	);
	const byId = new Map<string, ProfileMembership>();
	for (const row of rows) {
		let membership = byId.get(row.profile_id);
		if (!membership) {
			membership = {
				profileId: row.profile_id,
				role: row.role,
				currentKeyVersion: row.current_key_version,
				keys: []
			};
			byId.set(row.profile_id, membership);
		}
		if (row.key_version !== null && row.wrapped_key !== null) {
			membership.keys.push({
				keyVersion: row.key_version,
				wrappedProfileKey: Buffer.from(row.wrapped_key).toString('base64url')
			});
		}
	}
	return [...byId.values()];
}
