import { requestJson, type JsonClientOptions } from '../http/request-json.ts';
import {
	ProfileMembership,
	ProfilesResponse,
	type CreateProfileRequest
} from '../shared/profiles.ts';
import { PullResponse, PushResponse, type PushRequest } from '../shared/sync.ts';

// The /v1 routes the sync client calls (docs/API.md), checked against the shared schemas.
export function createSyncApi(options: JsonClientOptions) {
	return {
		createProfile: (body: CreateProfileRequest) =>
			requestJson(options, 'POST', '/v1/profiles', ProfileMembership, body),
		listProfiles: () => requestJson(options, 'GET', '/v1/profiles', ProfilesResponse),
		push: (body: PushRequest) => requestJson(options, 'POST', '/v1/sync/push', PushResponse, body),
		pull: ({ cursor, limit }: { cursor: string; limit: number }) =>
			requestJson(
				options,
				'GET',
				`/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${limit}`,
				PullResponse
			)
	};
}

export type SyncApi = ReturnType<typeof createSyncApi>;
