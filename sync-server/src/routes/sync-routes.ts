import { createRoute, z } from '@hono/zod-openapi';
import { ApiErrorBody } from '../../../src/lib/shared/api-error.ts';
import {
	CreateProfileRequest,
	ProfileMembership,
	ProfilesResponse
} from '../../../src/lib/shared/profiles.ts';
import { PullResponse, PushRequest, PushResponse } from '../../../src/lib/shared/sync.ts';

// The OpenAPI description of /v1/profiles, /v1/sync/* and /v1/events; the handlers are in
// profiles.ts, sync.ts and events.ts.

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ApiErrorBody) });

const invalid = error('invalid_request: the body or query does not match (details.issues)');
const unauthenticated = error('unauthenticated: no live session');

export const createProfile = createRoute({
	method: 'post',
	path: '/profiles',
	summary: 'Create a profile: the caller becomes its owner, with the profile key at version 1',
	request: { body: { ...json(CreateProfileRequest), required: true } },
	responses: {
		201: { description: 'Created', ...json(ProfileMembership) },
		200: { description: 'The same request again: nothing changed', ...json(ProfileMembership) },
		400: invalid,
		401: unauthenticated,
		409: error('profile_exists: the id belongs to another profile (or another key)')
	}
});

export const listProfiles = createRoute({
	method: 'get',
	path: '/profiles',
	summary: "The caller's current memberships, with every profile key version wrapped for them",
	responses: {
		200: { description: 'Memberships', ...json(ProfilesResponse) },
		401: unauthenticated
	}
});

export const push = createRoute({
	method: 'post',
	path: '/sync/push',
	summary: 'Store up to 500 encrypted mutations; one answer per mutation',
	request: { body: { ...json(PushRequest), required: true } },
	responses: {
		200: {
			description:
				'One result per mutation, in order: applied / duplicate (with seq) or rejected (not_a_member, read_only, stale_key_version, unknown_profile, invalid)',
			...json(PushResponse)
		},
		400: invalid,
		401: unauthenticated,
		413: error('payload_too_large: the body is over 16 MiB')
	}
});

export const PullQuery = z.object({
	cursor: z.string().optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(500)
});

export const pull = createRoute({
	method: 'get',
	path: '/sync/pull',
	summary: "Changes after the cursor in the caller's profiles, ordered by (profileId, seq)",
	request: { query: PullQuery },
	responses: {
		200: { description: 'A page of changes and the cursor after it', ...json(PullResponse) },
		400: error('invalid_request: a malformed cursor or a limit outside 1..1000'),
		401: unauthenticated
	}
});

export const events = createRoute({
	method: 'get',
	path: '/events',
	summary: 'Server-sent events: `changes` {profileId, seq} nudges, with Last-Event-ID replay',
	responses: {
		200: {
			description: 'An event stream; a heartbeat comment at least every 25 s',
			content: { 'text/event-stream': { schema: z.string() } }
		},
		400: error('invalid_request: a Last-Event-ID this server did not hand out'),
		401: unauthenticated
	}
});
