import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../sync-server/src/app.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import type {
	AddMemberRequest,
	RevokeMemberRequest,
	ShareRole
} from '../../src/lib/shared/profiles.ts';
import {
	ChangesEvent,
	PullResponse,
	PushResponse,
	type Mutation
} from '../../src/lib/shared/sync.ts';
import { createApiClient, type ApiClient } from './api-client.ts';
import { signupBody, type ClientAccount } from './auth-client.ts';
import { readSse, type SseFrame } from './sse-reader.ts';
import { fakeWrappedKey } from './sync-fixtures.ts';

/** One signed-in device of one account, talking to the in-process app. */
export interface Device {
	client: ApiClient;
	userId: string;
	email: string;
}

export async function signUp(app: App, account: ClientAccount, label: string): Promise<Device> {
	const client = createApiClient(app);
	const email = `${label}-${randomUUID().slice(0, 8)}@example.org`;
	const response = await client.request<SessionResponse>('POST', '/v1/auth/signup', {
		json: signupBody(account, email)
	});
	expect(response.status).toBe(201);
	return { client, userId: response.body.user.id, email };
}

export async function createProfile(device: Device): Promise<string> {
	const profileId = randomUUID();
	const response = await device.client.request('POST', '/v1/profiles', {
		json: { profileId, wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 }
	});
	expect(response.status).toBe(201);
	return profileId;
}

/** The body that adds `userId` with a (stand-in) wrapped key for each of `versions`. */
export const addBody = (userId: string, role: ShareRole, versions: number[]): AddMemberRequest => ({
	userId,
	role,
	keys: versions.map((keyVersion) => ({ keyVersion, wrappedProfileKey: fakeWrappedKey() }))
});

/** The body that rotates to `keyVersion`, with the new key wrapped for each of `holders`. */
export const revokeBody = (keyVersion: number, holders: string[]): RevokeMemberRequest => ({
	keyVersion,
	keys: holders.map((userId) => ({ userId, wrappedProfileKey: fakeWrappedKey() }))
});

export const addMember = (owner: Device, profileId: string, body: unknown) =>
	owner.client.request('POST', `/v1/profiles/${profileId}/members`, { json: body });

export const revoke = (owner: Device, profileId: string, userId: string, body: unknown) =>
	owner.client.request('POST', `/v1/profiles/${profileId}/members/${userId}/revoke`, {
		json: body
	});

export const push = (device: Device, mutations: Mutation[]) =>
	device.client.request<PushResponse>('POST', '/v1/sync/push', {
		json: { clientId: 'test-device', mutations }
	});

/** Each result as its status, or its rejection code. */
export const outcomes = (response: { body: PushResponse }) =>
	PushResponse.parse(response.body).results.map((r) =>
		r.status === 'rejected' ? r.error.code : r.status
	);

/** The seq of the push's only (applied) mutation. */
export function appliedSeq(response: { body: PushResponse }): number {
	const [result] = PushResponse.parse(response.body).results;
	expect(result?.status).toBe('applied');
	return (result as { seq: number }).seq;
}

export async function pullAll(device: Device, cursor = '') {
	const changes: PullResponse['changes'] = [];
	for (;;) {
		const page = await device.client.request('GET', `/v1/sync/pull?cursor=${cursor}`);
		expect(page.status).toBe(200);
		const body = PullResponse.parse(page.body);
		changes.push(...body.changes);
		cursor = body.cursor;
		if (!body.hasMore) return { changes, cursor };
	}
}

/** /v1/events as `device`, as a browser's EventSource opens it, read past `: connected`. */
export async function openEvents(app: App, device: Device) {
	const response = await app.request('/v1/events', {
		headers: { cookie: device.client.cookieHeader(), 'x-forwarded-for': device.client.ip }
	});
	expect(response.status).toBe(200);
	const stream = readSse(response.body!);
	await stream.next((frame) => frame.comment === 'connected');
	return stream;
}

/** A `changes` frame for `profileId` (at `seq`, if given). */
export const isChanges =
	(profileId: string, seq?: number) =>
	(frame: SseFrame): boolean => {
		if (frame.event !== 'changes') return false;
		const event = ChangesEvent.parse(JSON.parse(frame.data!));
		return event.profileId === profileId && (seq === undefined || event.seq === seq);
	};

/** Everything a refused sharing request must leave as it was. */
export async function sharingSnapshot(store: Store) {
	const [row] = await store.query(
		`select (select count(*) from charta.changes)::int as changes,
		        (select coalesce(sum(last_seq), 0) from charta.profiles)::int as seqs,
		        (select coalesce(sum(current_key_version), 0) from charta.profiles)::int as key_versions,
		        (select count(*) from charta.profile_members)::int as members,
		        (select count(*) from charta.profile_members where revoked_at is null)::int as current,
		        (select string_agg(role, ',' order by profile_id, user_id) from charta.profile_members) as roles,
		        (select count(*) from charta.profile_member_keys)::int as keys`
	);
	return row;
}
