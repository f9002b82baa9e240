import { createRoute, z } from '@hono/zod-openapi';
import { ApiErrorBody } from '../../../src/lib/shared/api-error.ts';
import {
	AddMemberRequest,
	MembersResponse,
	ProfileMember,
	RevokeMemberRequest,
	RevokeMemberResponse,
	UserLookupRequest,
	UserLookupResponse
} from '../../../src/lib/shared/profiles.ts';

// The OpenAPI description of /v1/users/lookup and /v1/profiles/{profileId}/members*; the handlers
// are in sharing.ts.

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ApiErrorBody) });

const unauthenticated = error('unauthenticated: no live session');
const profileNotFound = error(
	'profile_not_found: no such profile, or the caller is not a current member (one answer for both)'
);
const forbidden = error("forbidden: only the profile's owner may do this");
const tooLarge = error('payload_too_large: the body is over 1 MiB');

const ProfileParams = z.object({ profileId: z.uuid() });
const MemberParams = z.object({ profileId: z.uuid(), userId: z.uuid() });

export const lookupUser = createRoute({
	method: 'post',
	path: '/users/lookup',
	summary: 'The id and public key of the account with this email, to share a profile with it',
	request: { body: { ...json(UserLookupRequest), required: true } },
	responses: {
		200: { description: 'The account', ...json(UserLookupResponse) },
		400: error('invalid_request: not an email, or the caller’s own'),
		401: unauthenticated,
		404: error('user_not_found: no account has this email'),
		413: error('payload_too_large: the body is over 16 KiB'),
		429: error('rate_limited: too many lookups; Retry-After says when to try again')
	}
});

export const listMembers = createRoute({
	method: 'get',
	path: '/profiles/{profileId}/members',
	summary: "The profile's members, revoked ones with revokedAt, and its current key version",
	request: { params: ProfileParams },
	responses: {
		200: { description: 'Members', ...json(MembersResponse) },
		400: error('invalid_request: the profile id is not a uuid'),
		401: unauthenticated,
		404: profileNotFound
	}
});

export const addMember = createRoute({
	method: 'post',
	path: '/profiles/{profileId}/members',
	summary: 'Add (or re-add) a person as editor or viewer, with the profile key of every version',
	request: { params: ProfileParams, body: { ...json(AddMemberRequest), required: true } },
	responses: {
		201: { description: 'Added', ...json(ProfileMember) },
		400: error(
			'invalid_request: a bad body, or keys that do not hold every key version 1..current exactly once'
		),
		401: unauthenticated,
		403: forbidden,
		404: error('profile_not_found (as for the members list), or user_not_found: no such account'),
		409: error('already_member: the person is a current member'),
		413: tooLarge
	}
});

export const revokeMember = createRoute({
	method: 'post',
	path: '/profiles/{profileId}/members/{userId}/revoke',
	summary: 'Revoke a member and rotate the profile key, wrapped for every remaining member',
	request: { params: MemberParams, body: { ...json(RevokeMemberRequest), required: true } },
	responses: {
		200: {
			description: 'Revoked; the profile is at the new key version',
			...json(RevokeMemberResponse)
		},
		400: error(
			'invalid_request: a bad body, the owner themselves, or keys not for exactly the remaining members'
		),
		401: unauthenticated,
		403: forbidden,
		404: error('profile_not_found, or member_not_found: not a current member'),
		409: error('key_version_conflict: keyVersion is not the current version + 1'),
		413: tooLarge
	}
});
