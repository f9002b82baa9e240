import type { EcPublicJwk } from '../../../src/lib/crypto/key-pair.ts';
import type {
	MembersResponse,
	ProfileMember,
	ProfileRole,
	ShareRole,
	UserLookupResponse
} from '../../../src/lib/shared/profiles.ts';
import { ApiError } from '../errors.ts';
import { invalidRequest } from '../invalid-request.ts';
import type { Queryable } from '../store/store.ts';
import { notifyMembership } from './change-feed.ts';
import { checkKeyHolders, checkKeyVersions, storeKeys, type KeyToStore } from './member-keys.ts';

// Sharing a profile (issue 4, Build 3), inside the caller's transaction as `authenticated`: the
// checks here answer with the specific error, the policies of …_sync.sql and …_sharing.sql are
// the second wall. Adding and revoking lock the profile's row first, like a push, so they queue
// behind pushes and each other: a push never lands under a key version that was just retired,
// and a member added during a rotation cannot miss the new version.

interface AccountRow extends Record<string, unknown> {
	user_id: string;
	email: string;
	public_key: EcPublicJwk;
}

interface MemberRow extends AccountRow {
	role: ProfileRole;
	created_at: Date;
	revoked_at: Date | null;
}

const profileNotFound = () =>
	new ApiError(
		404,
		'profile_not_found',
		'There is no such profile, or you are not a member of it.'
	);

/** The caller's current role; an unknown profile and one they are not in look the same (404). */
async function callerRole(tx: Queryable, userId: string, profileId: string) {
	const [row] = await tx.query<{ role: ProfileRole }>(
		`select role from charta.profile_members
		 where profile_id = $1 and user_id = $2 and revoked_at is null`,
		[profileId, userId]
	);
	if (!row) throw profileNotFound();
	return row.role;
}

/** Checks the caller owns the profile, then locks its row; → the current key version. */
async function lockAsOwner(tx: Queryable, userId: string, profileId: string): Promise<number> {
	if ((await callerRole(tx, userId, profileId)) !== 'owner') {
		throw new ApiError(403, 'forbidden', "Only the profile's owner can add or revoke members.");
	}
	const [profile] = await tx.query<{ current_key_version: number }>(
		`select current_key_version from charta.profiles where id = $1 for no key update`,
		[profileId]
	);
	if (!profile) throw profileNotFound();
	return profile.current_key_version;
}

const toMember = (row: MemberRow): ProfileMember => ({
	userId: row.user_id,
	email: row.email,
	role: row.role,
	publicKey: row.public_key,
	addedAt: new Date(row.created_at).toISOString(),
	revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString()
});

/** Members with their email and public key (charta.member_accounts), the owner first. */
async function readMembers(tx: Queryable, profileId: string, userId?: string) {
	const rows = await tx.query<MemberRow>(
		`select m.user_id, m.role, m.created_at, m.revoked_at, a.email, a.public_key
		 from charta.profile_members m join charta.member_accounts($1) a using (user_id)
		 where m.profile_id = $1 and ($2::uuid is null or m.user_id = $2::uuid)
		 order by m.role <> 'owner', m.created_at, m.user_id`,
		[profileId, userId ?? null]
	);
	return rows.map(toMember);
}

/** charta.find_user_by_email: the account's id, email and public key, or undefined. */
export async function findUserByEmail(
	tx: Queryable,
	email: string
): Promise<UserLookupResponse | undefined> {
	const [row] = await tx.query<AccountRow>(
		`select user_id, email, public_key from charta.find_user_by_email($1)`,
		[email]
	);
	return row && { userId: row.user_id, email: row.email, publicKey: row.public_key };
}

export async function listMembers(
	tx: Queryable,
	userId: string,
	profileId: string
): Promise<MembersResponse> {
	await callerRole(tx, userId, profileId);
	const [profile] = await tx.query<{ current_key_version: number }>(
		`select current_key_version from charta.profiles where id = $1`,
		[profileId]
	);
	if (!profile) throw profileNotFound();
	return {
		profileId,
		currentKeyVersion: profile.current_key_version,
		members: await readMembers(tx, profileId)
	};
}

/**
 * The owner adds `memberId` as editor or viewer with the profile key of every version, or
 * re-adds a revoked member (revoked_at back to null, the new role).
 */
export async function addMember(
	tx: Queryable,
	userId: string,
	profileId: string,
	{ memberId, role, keys }: { memberId: string; role: ShareRole; keys: KeyToStore[] }
): Promise<ProfileMember> {
	const current = await lockAsOwner(tx, userId, profileId);
	const [existing] = await tx.query<{ revoked: boolean }>(
		`select revoked_at is not null as revoked from charta.profile_members
		 where profile_id = $1 and user_id = $2`,
		[profileId, memberId]
	);
	if (existing && !existing.revoked) {
		throw new ApiError(409, 'already_member', 'This person is a member of the profile already.');
	}
	checkKeyVersions(
		keys.map((k) => k.keyVersion),
		current
	);
	if (existing) {
		await tx.query(
			`update charta.profile_members set revoked_at = null, role = $3
			 where profile_id = $1 and user_id = $2`,
			[profileId, memberId, role]
		);
	} else {
		await tx
			.query(
				`insert into charta.profile_members (profile_id, user_id, role, added_by)
				 values ($1, $2, $3, auth.uid())`,
				[profileId, memberId, role]
			)
			.catch((error: unknown) => {
				// foreign_key_violation on user_id: no such account (the transaction is undone anyway).
				if ((error as { code?: unknown }).code !== '23503') throw error;
				throw new ApiError(404, 'user_not_found', 'There is no Charta account with this id.');
			});
	}
	await storeKeys(tx, profileId, keys, { keepHeld: existing !== undefined });
	await notifyMembership(tx, { profileId, userId: memberId });
	const [member] = await readMembers(tx, profileId, memberId);
	return member!;
}

/**
 * The owner revokes `memberId` and rotates the key to `keyVersion` (current + 1), with the new key
 * wrapped for exactly the remaining current members, all in the caller's one transaction.
 */
export async function revokeMember(
	tx: Queryable,
	userId: string,
	profileId: string,
	{ memberId, keyVersion, keys }: { memberId: string; keyVersion: number; keys: KeyToStore[] }
): Promise<number> {
	const current = await lockAsOwner(tx, userId, profileId);
	if (memberId === userId) {
		throw invalidRequest([
			{ path: ['userId'], message: "is the profile's owner, who cannot be revoked" }
		]);
	}
	const members = await tx.query<{ user_id: string; role: ProfileRole }>(
		`select user_id, role from charta.profile_members where profile_id = $1 and revoked_at is null`,
		[profileId]
	);
	const target = members.find((m) => m.user_id === memberId);
	if (!target) {
		throw new ApiError(
			404,
			'member_not_found',
			'This person is not a current member of the profile (never added, or revoked already).'
		);
	}
	if (target.role === 'owner') {
		throw invalidRequest([{ path: ['userId'], message: 'is an owner, who cannot be revoked' }]);
	}
	if (keyVersion !== current + 1) {
		throw new ApiError(
			409,
			'key_version_conflict',
			`The profile is at key version ${current}, so the new key must be version ${current + 1}. Reload the members and try again.`,
			{ currentKeyVersion: current }
		);
	}

	checkKeyHolders(
		keys.map((k) => k.userId),
		new Set(members.filter((m) => m !== target).map((m) => m.user_id)),
		memberId
	);

	await tx.query(
		`update charta.profile_members set revoked_at = now() where profile_id = $1 and user_id = $2`,
		[profileId, memberId]
	);
	await tx.query(`update charta.profiles set current_key_version = $2 where id = $1`, [
		profileId,
		keyVersion
	]);
	await storeKeys(tx, profileId, keys, { keepHeld: false });
	await notifyMembership(tx, { profileId, userId: memberId });
	return keyVersion;
}
