import { z } from 'zod';

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
