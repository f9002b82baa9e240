import { requestJson, type JsonClientOptions } from '../http/request-json.ts';
import {
	MembersResponse,
	ProfileMember,
	ProfilesResponse,
	RevokeMemberResponse,
	UserLookupResponse,
	type AddMemberRequest,
	type RevokeMemberRequest
} from '../shared/profiles.ts';

const membersPath = (profileId: string) => `/v1/profiles/${encodeURIComponent(profileId)}/members`;

// The sharing routes (docs/API.md), checked against the shared schemas.
export function createSharingApi(options: JsonClientOptions) {
	return {
		lookupUser: (email: string) =>
			requestJson(options, 'POST', '/v1/users/lookup', UserLookupResponse, { email }),
		listMembers: (profileId: string) =>
			requestJson(options, 'GET', membersPath(profileId), MembersResponse),
		addMember: (profileId: string, body: AddMemberRequest) =>
			requestJson(options, 'POST', membersPath(profileId), ProfileMember, body),
		revokeMember: (profileId: string, userId: string, body: RevokeMemberRequest) =>
			requestJson(
				options,
				'POST',
				`${membersPath(profileId)}/${encodeURIComponent(userId)}/revoke`,
				RevokeMemberResponse,
				body
			),
		// Every key version wrapped for this user, to wrap them again for someone else.
		listProfiles: () => requestJson(options, 'GET', '/v1/profiles', ProfilesResponse)
	};
}

export type SharingApi = ReturnType<typeof createSharingApi>;
