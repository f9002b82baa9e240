import { z } from 'zod';
import { EcPublicJwk } from '../crypto/key-pair.ts';
import { Email } from './auth.ts';

// Patient profiles on the server (sync protocol v1): who belongs to which profile, in which role,
// and the profile key wrapped for each member per key version. The server stores the wrapped keys
// and never opens them.

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');

/** An ECIES-wrapped profile key (src/lib/crypto/profile-key.ts), base64url. */
export const WrappedProfileKey = base64url
	.min(22, 'is too short to be a wrapped key')
	.max(5462, 'is larger than 4 KiB');

export const ProfileRole = z.enum(['owner', 'editor', 'viewer']);
export type ProfileRole = z.infer<typeof ProfileRole>;

/** POST /v1/profiles: a new profile, its creator its owner, the key at version 1. */
export const CreateProfileRequest = z.object({
	profileId: z.uuid(),
	wrappedProfileKey: WrappedProfileKey,
	keyVersion: z.literal(1)
});
export type CreateProfileRequest = z.infer<typeof CreateProfileRequest>;

export const MemberKey = z.object({
	keyVersion: z.number().int().min(1),
	wrappedProfileKey: WrappedProfileKey
});
export type MemberKey = z.infer<typeof MemberKey>;

/** One profile the caller is a current member of, with every key version wrapped for them. */
export const ProfileMembership = z.object({
	profileId: z.uuid(),
	role: ProfileRole,
	currentKeyVersion: z.number().int().min(1),
	keys: z.array(MemberKey)
});
export type ProfileMembership = z.infer<typeof ProfileMembership>;

export const ProfilesResponse = z.object({ profiles: z.array(ProfileMembership) });
export type ProfilesResponse = z.infer<typeof ProfilesResponse>;

// Sharing (issue 4, Build 3). The owner finds a person by email, wraps the profile key for their
// public key, and adds them as editor or viewer. Revoking a member rotates the profile key: the
// owner sends the next key version wrapped for every remaining member, in the same request.

export const ShareRole = z.enum(['editor', 'viewer']);
export type ShareRole = z.infer<typeof ShareRole>;

/**
 * POST /v1/users/lookup: the public key of the account with this email (rate-limited). Trimmed
 * and lower-cased like every email of the account API, so "Ann@Example.org " finds ann@example.org.
 */
export const UserLookupRequest = z.object({ email: Email });
export type UserLookupRequest = z.infer<typeof UserLookupRequest>;

export const UserLookupResponse = z.object({
	userId: z.uuid(),
	email: z.string(),
	publicKey: EcPublicJwk
});
export type UserLookupResponse = z.infer<typeof UserLookupResponse>;

/** One member of a profile as its members see it. Revoked members are listed with revokedAt. */
export const ProfileMember = z.object({
	userId: z.uuid(),
	email: z.string(),
	role: ProfileRole,
	publicKey: EcPublicJwk,
	addedAt: z.iso.datetime({ offset: true }),
	revokedAt: z.iso.datetime({ offset: true }).nullable()
});
export type ProfileMember = z.infer<typeof ProfileMember>;

/** GET /v1/profiles/:profileId/members (any current member). */
export const MembersResponse = z.object({
	profileId: z.uuid(),
	currentKeyVersion: z.number().int().min(1),
	members: z.array(ProfileMember)
});
export type MembersResponse = z.infer<typeof MembersResponse>;

/**
 * POST /v1/profiles/:profileId/members (the owner): add or re-add a person. `keys` holds the
 * profile key wrapped for them at EVERY version from 1 to the current one, so they can read the
 * profile's history; a missing or extra version is a 400.
 */
export const AddMemberRequest = z.object({
	userId: z.uuid(),
	role: ShareRole,
	keys: z.array(MemberKey).min(1).max(1000)
});
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

/**
 * POST /v1/profiles/:profileId/members/:userId/revoke (the owner): the member loses access and the
 * key rotates to `keyVersion` (the current version + 1, else 409 key_version_conflict). `keys`
 * holds the new key wrapped for each remaining current member, the owner included, exactly once.
 */
export const RevokeMemberRequest = z.object({
	keyVersion: z.number().int().min(2),
	keys: z
		.array(z.object({ userId: z.uuid(), wrappedProfileKey: WrappedProfileKey }))
		.min(1)
		.max(1000)
});
export type RevokeMemberRequest = z.infer<typeof RevokeMemberRequest>;

export const RevokeMemberResponse = z.object({ currentKeyVersion: z.number().int().min(2) });
export type RevokeMemberResponse = z.infer<typeof RevokeMemberResponse>;
