import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { POLICIES } from '../../sync-server/src/auth/rate-limit.ts';

const LOOKUPS_PER_WINDOW = POLICIES['user-lookup'].account;
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import {
	MembersResponse,
	ProfileMember,
	ProfilesResponse,
	RevokeMemberResponse,
	UserLookupResponse
} from '../../src/lib/shared/profiles.ts';
import { createApiClient } from '../helpers/api-client.ts';
import {
	createClientAccount,
	derivePasswordKeys,
	type ClientAccount
} from '../helpers/auth-client.ts';
import { storeKinds } from '../helpers/databases.ts';
import {
	addBody,
	addMember,
	appliedSeq,
	createProfile,
	isChanges,
	openEvents,
	outcomes,
	pullAll,
	push,
	revoke,
	revokeBody,
	sharingSnapshot,
	signUp,
	type Device
} from '../helpers/sharing-fixtures.ts';
import { fakeWrappedKey, newMutation } from '../helpers/sync-fixtures.ts';

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

let account: ClientAccount;
beforeAll(async () => {
	account = await createClientAccount(await derivePasswordKeys('sharing routes, one key for all'));
});

const errorOf = (response: { status: number; body: unknown }) => ({
	status: response.status,
	code: ApiErrorBody.parse(response.body).error.code
});

/** The field paths of a 400's details.issues, each once. */
const issuePaths = (response: { body: unknown }) => [
	...new Set(
		(
			ApiErrorBody.parse(response.body).error.details as { issues: { path: unknown[] }[] }
		).issues.map((issue) => issue.path.join('.'))
	)
];

describe.each(storeKinds)('sharing routes on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let feed: ChangeFeed;
	let app: App;
	let owner: Device, editor: Device, viewer: Device, stranger: Device;

	const join = () => signUp(app, account, 'member');

	/** A new profile of `owner`'s, shared with each device in the role given, at key version 1. */
	async function sharedProfile(members: [Device, 'editor' | 'viewer'][]) {
		const profileId = await createProfile(owner);
		for (const [device, role] of members) {
			expect((await addMember(owner, profileId, addBody(device.userId, role, [1]))).status).toBe(
				201
			);
		}
		return profileId;
	}

	const members = async (device: Device, profileId: string) => {
		const response = await device.client.request('GET', `/v1/profiles/${profileId}/members`);
		expect(response.status).toBe(200);
		return MembersResponse.parse(response.body);
	};

	const profilesOf = async (device: Device) =>
		ProfilesResponse.parse((await device.client.request('GET', '/v1/profiles')).body).profiles;

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(4), trustedProxyHops: 1 },
			events: { feed, heartbeatMs: 60_000 }
		});
		owner = await signUp(app, account, 'owner');
		editor = await signUp(app, account, 'editor');
		viewer = await signUp(app, account, 'viewer');
		stranger = await signUp(app, account, 'stranger');
	});
	afterAll(async () => {
		await feed?.close();
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	it('answers 401 in the error envelope on every sharing route without a session', async () => {
		const profileId = await createProfile(owner);
		const anonymous = createApiClient(app);
		for (const [method, path, json] of [
			['POST', '/v1/users/lookup', { email: editor.email }],
			['POST', '/v1/users/lookup', { email: 'not an email' }],
			['GET', `/v1/profiles/${profileId}/members`, undefined],
			['GET', '/v1/profiles/not-a-uuid/members', undefined],
			['POST', `/v1/profiles/${profileId}/members`, addBody(editor.userId, 'editor', [1])],
			['POST', `/v1/profiles/${profileId}/members`, { garbage: true }],
			['POST', `/v1/profiles/${profileId}/members/${owner.userId}/revoke`, revokeBody(2, [])]
		] as const) {
			const response = await anonymous.request(method, path, { json });
			expect(errorOf(response), `${method} ${path}`).toEqual({
				status: 401,
				code: 'unauthenticated'
			});
		}
	});

	describe('lookup', () => {
		it('finds an account by email, whatever its case and spacing, with its public key', async () => {
			const response = await owner.client.request('POST', '/v1/users/lookup', {
				json: { email: `  ${editor.email.toUpperCase()} ` }
			});
			expect(response.status).toBe(200);
			expect(UserLookupResponse.parse(response.body)).toEqual({
				userId: editor.userId,
				email: editor.email,
				publicKey: account.publicKey
			});
			// Only these three fields: nothing else of the account row leaves the server.
			expect(Object.keys(response.body as object).sort()).toEqual(['email', 'publicKey', 'userId']);
		});

		it('answers 404 user_not_found for an email without an account, 400 for one’s own or a non-email', async () => {
			const missing = await owner.client.request('POST', '/v1/users/lookup', {
				json: { email: `nobody-${randomUUID()}@example.org` }
			});
			expect(errorOf(missing)).toEqual({ status: 404, code: 'user_not_found' });
			expect(ApiErrorBody.parse(missing.body).error.message).toMatch(/no charta account/i);

			const self = await owner.client.request('POST', '/v1/users/lookup', {
				json: { email: owner.email }
			});
			expect(errorOf(self)).toEqual({ status: 400, code: 'invalid_request' });
			expect(issuePaths(self)).toEqual(['email']);

			for (const json of [
				{ email: 'not an email' },
				{},
				{ email: 42 },
				{ email: `${'a'.repeat(250)}@example.org` }
			]) {
				const bad = await owner.client.request('POST', '/v1/users/lookup', { json });
				expect(errorOf(bad), JSON.stringify(json)).toEqual({
					status: 400,
					code: 'invalid_request'
				});
				expect(issuePaths(bad)).toEqual(['email']);
			}
		});

		it(`allows ${LOOKUPS_PER_WINDOW} lookups per user per window, then 429 with Retry-After`, async () => {
			const looker = await join();
			for (let i = 0; i < LOOKUPS_PER_WINDOW; i++) {
				const response = await looker.client.request('POST', '/v1/users/lookup', {
					json: { email: i % 2 === 0 ? editor.email : `missing-${i}@example.org` }
				});
				expect(response.status).not.toBe(429);
			}
			const limited = await looker.client.request('POST', '/v1/users/lookup', {
				json: { email: editor.email }
			});
			expect(errorOf(limited)).toEqual({ status: 429, code: 'rate_limited' });
			const retryAfter = Number(limited.headers.get('retry-after'));
			expect(retryAfter).toBeGreaterThan(0);
			expect(retryAfter).toBeLessThanOrEqual(15 * 60);
			expect(ApiErrorBody.parse(limited.body).error.details).toEqual({
				retryAfterSeconds: retryAfter
			});
			// Per user: another caller is not affected.
			const other = await owner.client.request('POST', '/v1/users/lookup', {
				json: { email: editor.email }
			});
			expect(other.status).toBe(200);
		});
	});

	describe('adding members', () => {
		it('lets the owner add an editor and a viewer found by lookup; the editor writes, the viewer cannot', async () => {
			const profileId = await createProfile(owner);
			const found = UserLookupResponse.parse(
				(
					await owner.client.request('POST', '/v1/users/lookup', {
						json: { email: editor.email }
					})
				).body
			);
			const added = await addMember(owner, profileId, addBody(found.userId, 'editor', [1]));
			expect(added.status).toBe(201);
			const member = ProfileMember.parse(added.body);
			expect(member).toMatchObject({
				userId: editor.userId,
				email: editor.email,
				role: 'editor',
				publicKey: account.publicKey,
				revokedAt: null
			});
			expect(Date.parse(member.addedAt)).toBeGreaterThan(Date.now() - 60_000);
			expect(
				(await addMember(owner, profileId, addBody(viewer.userId, 'viewer', [1]))).status
			).toBe(201);

			const listed = await members(viewer, profileId);
			expect(listed.currentKeyVersion).toBe(1);
			expect(listed.members.map((m) => [m.userId, m.role, m.revokedAt])).toEqual([
				[owner.userId, 'owner', null],
				[editor.userId, 'editor', null],
				[viewer.userId, 'viewer', null]
			]);
			const forEditor = (await profilesOf(editor)).find((p) => p.profileId === profileId);
			expect(forEditor).toMatchObject({ role: 'editor', currentKeyVersion: 1 });
			expect(forEditor!.keys.map((k) => k.keyVersion)).toEqual([1]);

			expect(outcomes(await push(editor, [newMutation(profileId)]))).toEqual(['applied']);
			const before = await sharingSnapshot(store);
			expect(outcomes(await push(viewer, [newMutation(profileId)]))).toEqual(['read_only']);
			expect(await sharingSnapshot(store)).toEqual(before);
			// Both see the editor's change.
			for (const device of [owner, viewer]) {
				const { changes } = await pullAll(device);
				expect(changes.filter((c) => c.profileId === profileId).map((c) => c.authorId)).toEqual([
					editor.userId
				]);
			}
		});

		it('refuses editors, viewers and outsiders, and answers the same 404 for unknown and foreign profiles', async () => {
			const profileId = await sharedProfile([
				[editor, 'editor'],
				[viewer, 'viewer']
			]);
			const newcomer = await join();
			const before = await sharingSnapshot(store);
			for (const device of [editor, viewer]) {
				expect(
					errorOf(await addMember(device, profileId, addBody(newcomer.userId, 'viewer', [1])))
				).toEqual({ status: 403, code: 'forbidden' });
				expect(
					errorOf(await revoke(device, profileId, viewer.userId, revokeBody(2, [owner.userId])))
				).toEqual({ status: 403, code: 'forbidden' });
			}
			const unknown = randomUUID();
			const answers = [];
			for (const target of [profileId, unknown]) {
				answers.push(
					await stranger.client.request('GET', `/v1/profiles/${target}/members`),
					await addMember(stranger, target, addBody(newcomer.userId, 'viewer', [1])),
					await revoke(stranger, target, editor.userId, revokeBody(2, [owner.userId]))
				);
			}
			for (const answer of answers) {
				expect(errorOf(answer)).toEqual({ status: 404, code: 'profile_not_found' });
			}
			// Nothing tells a foreign profile from a missing one.
			expect(answers.slice(0, 3).map((a) => a.body)).toEqual(answers.slice(3).map((a) => a.body));
			expect(await sharingSnapshot(store)).toEqual(before);
		});

		it('answers 400 with the fields at fault, 404 for an unknown user, 409 for a member, and changes nothing', async () => {
			const profileId = await sharedProfile([
				[editor, 'editor'],
				[viewer, 'viewer']
			]);
			const leaver = await join();
			expect(
				(await addMember(owner, profileId, addBody(leaver.userId, 'viewer', [1]))).status
			).toBe(201);
			expect(
				(
					await revoke(
						owner,
						profileId,
						leaver.userId,
						revokeBody(2, [owner.userId, editor.userId, viewer.userId])
					)
				).status
			).toBe(200);
			const newcomer = await join();
			const before = await sharingSnapshot(store);

			const good = addBody(newcomer.userId, 'viewer', [1, 2]);
			const cases: [unknown, string[]][] = [
				[addBody(newcomer.userId, 'viewer', [1]), ['keys']],
				[addBody(newcomer.userId, 'viewer', [1, 2, 3]), ['keys.2.keyVersion']],
				[addBody(newcomer.userId, 'viewer', [1, 1, 2]), ['keys.1.keyVersion']],
				[addBody(newcomer.userId, 'viewer', [2, 2]), ['keys.1.keyVersion', 'keys']],
				[{ ...good, role: 'owner' }, ['role']],
				[{ ...good, userId: 'not-a-uuid' }, ['userId']],
				[{ ...good, keys: [] }, ['keys']],
				[
					{ ...good, keys: [{ keyVersion: 0, wrappedProfileKey: fakeWrappedKey() }] },
					['keys.0.keyVersion']
				],
				[
					{ ...good, keys: [good.keys[0], { keyVersion: 2, wrappedProfileKey: 'has+plus/and=' }] },
					['keys.1.wrappedProfileKey']
				],
				[
					{
						...good,
						keys: [good.keys[0], { keyVersion: 2, wrappedProfileKey: `${fakeWrappedKey()}B` }]
					},
					['keys.1.wrappedProfileKey']
				]
			];
			for (const [body, paths] of cases) {
				const response = await addMember(owner, profileId, body);
				expect(errorOf(response), JSON.stringify(body)).toEqual({
					status: 400,
					code: 'invalid_request'
				});
				expect(issuePaths(response)).toEqual(paths);
			}
			const notJson = await owner.client.request('POST', `/v1/profiles/${profileId}/members`, {
				body: '{"userId":'
			});
			expect(errorOf(notJson)).toEqual({ status: 400, code: 'invalid_request' });
			const huge = await addMember(owner, profileId, { ...good, padding: 'x'.repeat(1_100_000) });
			expect(errorOf(huge)).toEqual({ status: 413, code: 'payload_too_large' });
			const badId = await owner.client.request('GET', '/v1/profiles/not-a-uuid/members');
			expect(errorOf(badId)).toEqual({ status: 400, code: 'invalid_request' });

			expect(
				errorOf(await addMember(owner, profileId, addBody(randomUUID(), 'viewer', [1, 2])))
			).toEqual({ status: 404, code: 'user_not_found' });
			for (const device of [editor, viewer, owner]) {
				expect(
					errorOf(await addMember(owner, profileId, addBody(device.userId, 'viewer', [1, 2])))
				).toEqual({ status: 409, code: 'already_member' });
			}

			const revokeCases: [string, unknown, string[]][] = [
				[editor.userId, revokeBody(3, [owner.userId]), ['keys']],
				[
					editor.userId,
					revokeBody(3, [owner.userId, viewer.userId, viewer.userId]),
					['keys.2.userId']
				],
				[
					editor.userId,
					revokeBody(3, [owner.userId, viewer.userId, editor.userId]),
					['keys.2.userId']
				],
				[
					editor.userId,
					revokeBody(3, [owner.userId, viewer.userId, stranger.userId]),
					['keys.2.userId']
				],
				[
					editor.userId,
					revokeBody(3, [owner.userId, viewer.userId, leaver.userId]),
					['keys.2.userId']
				],
				[editor.userId, { ...revokeBody(3, [owner.userId]), keyVersion: 1 }, ['keyVersion']],
				[editor.userId, { keyVersion: 3, keys: [] }, ['keys']],
				[owner.userId, revokeBody(3, [editor.userId]), ['userId']],
				['not-a-uuid', revokeBody(3, [owner.userId]), ['userId']]
			];
			for (const [target, body, paths] of revokeCases) {
				const response = await revoke(owner, profileId, target, body);
				expect(errorOf(response), JSON.stringify(body)).toEqual({
					status: 400,
					code: 'invalid_request'
				});
				expect(issuePaths(response)).toEqual(paths);
			}
			for (const target of [leaver.userId, stranger.userId, randomUUID()]) {
				expect(
					errorOf(
						await revoke(owner, profileId, target, revokeBody(3, [owner.userId, viewer.userId]))
					)
				).toEqual({ status: 404, code: 'member_not_found' });
			}
			expect(await sharingSnapshot(store)).toEqual(before);
		});
	});

	describe('revoking', () => {
		it('rotates the key: old-version writes are refused, the new version applies, and the revoked member gets nothing newer', async () => {
			const leaver = await join();
			const profileId = await sharedProfile([
				[editor, 'editor'],
				[viewer, 'viewer'],
				[leaver, 'editor']
			]);
			const firstSeq = appliedSeq(await push(leaver, [newMutation(profileId)]));
			const held = await pullAll(leaver);
			expect(held.changes.filter((c) => c.profileId === profileId).map((c) => c.seq)).toEqual([
				firstSeq
			]);

			const revoked = await revoke(
				owner,
				profileId,
				leaver.userId,
				revokeBody(2, [viewer.userId, owner.userId, editor.userId])
			);
			expect(revoked.status).toBe(200);
			expect(RevokeMemberResponse.parse(revoked.body)).toEqual({ currentKeyVersion: 2 });

			const before = await sharingSnapshot(store);
			expect(outcomes(await push(editor, [newMutation(profileId, { keyVersion: 1 })]))).toEqual([
				'stale_key_version'
			]);
			expect(outcomes(await push(leaver, [newMutation(profileId, { keyVersion: 2 })]))).toEqual([
				'not_a_member'
			]);
			expect(await sharingSnapshot(store)).toEqual(before);
			const newSeq = appliedSeq(await push(editor, [newMutation(profileId, { keyVersion: 2 })]));
			expect(newSeq).toBe(firstSeq + 1);

			// The revoked member: nothing newer by pull, no profile, no member list, no new key.
			const after = await pullAll(leaver, held.cursor);
			expect(after.changes.filter((c) => c.profileId === profileId)).toEqual([]);
			expect((await profilesOf(leaver)).map((p) => p.profileId)).not.toContain(profileId);
			expect(
				errorOf(await leaver.client.request('GET', `/v1/profiles/${profileId}/members`))
			).toEqual({ status: 404, code: 'profile_not_found' });

			// The others: version 2 wrapped for each of them, and the revoked member listed as such.
			for (const device of [owner, editor, viewer]) {
				const mine = (await profilesOf(device)).find((p) => p.profileId === profileId);
				expect(mine?.currentKeyVersion).toBe(2);
				expect(mine?.keys.map((k) => k.keyVersion)).toEqual([1, 2]);
			}
			const listed = await members(editor, profileId);
			expect(listed.currentKeyVersion).toBe(2);
			const gone = listed.members.find((m) => m.userId === leaver.userId);
			expect(Date.parse(gone!.revokedAt!)).toBeGreaterThan(Date.now() - 60_000);
			expect(listed.members.filter((m) => m.revokedAt === null)).toHaveLength(3);
		});

		it("stops the revoked member's open stream for that profile while the others' goes on", async () => {
			const leaver = await join();
			const profileId = await sharedProfile([
				[editor, 'editor'],
				[leaver, 'editor']
			]);
			// A second profile the leaver keeps: its nudge, sent after, shows the stream is alive.
			const kept = await sharedProfile([[leaver, 'viewer']]);
			const leaverEvents = await openEvents(app, leaver);
			const editorEvents = await openEvents(app, editor);
			const seq1 = appliedSeq(await push(owner, [newMutation(profileId)]));
			await leaverEvents.next(isChanges(profileId, seq1));
			await editorEvents.next(isChanges(profileId, seq1));

			const revoked = await revoke(
				owner,
				profileId,
				leaver.userId,
				revokeBody(2, [owner.userId, editor.userId])
			);
			expect(revoked.status).toBe(200);
			const seq2 = appliedSeq(await push(owner, [newMutation(profileId, { keyVersion: 2 })]));
			const keptSeq = appliedSeq(await push(owner, [newMutation(kept)]));
			await editorEvents.next(isChanges(profileId, seq2));
			// Notifications arrive in commit order: once the later nudge is here, the earlier is not coming.
			await leaverEvents.next(isChanges(kept, keptSeq));
			expect(leaverEvents.frames.filter(isChanges(profileId)).map((f) => f.data)).toEqual([
				JSON.stringify({ profileId, seq: seq1 })
			]);
			await Promise.all([leaverEvents.close(), editorEvents.close()]);
		});

		it('nudges a member added while their stream is open, at once and for later changes', async () => {
			const newcomer = await join();
			const profileId = await createProfile(owner);
			const seq1 = appliedSeq(await push(owner, [newMutation(profileId)]));
			const events = await openEvents(app, newcomer);
			expect(
				(await addMember(owner, profileId, addBody(newcomer.userId, 'viewer', [1]))).status
			).toBe(201);
			// The profile is new to them: one nudge with where it stands, so they pull it.
			await events.next(isChanges(profileId, seq1));
			const seq2 = appliedSeq(await push(owner, [newMutation(profileId)]));
			await events.next(isChanges(profileId, seq2));
			const { changes } = await pullAll(newcomer);
			expect(changes.filter((c) => c.profileId === profileId).map((c) => c.seq)).toEqual([
				seq1,
				seq2
			]);
			await events.close();
		});

		it('re-adds a revoked member with a new role, keeping or taking again the key versions they held', async () => {
			const returner = await join();
			const profileId = await sharedProfile([
				[editor, 'editor'],
				[returner, 'editor']
			]);
			const firstAdded = (await members(owner, profileId)).members.find(
				(m) => m.userId === returner.userId
			)!.addedAt;
			appliedSeq(await push(owner, [newMutation(profileId)]));
			expect(
				(
					await revoke(
						owner,
						profileId,
						returner.userId,
						revokeBody(2, [owner.userId, editor.userId])
					)
				).status
			).toBe(200);
			appliedSeq(await push(owner, [newMutation(profileId, { keyVersion: 2 })]));
			const events = await openEvents(app, returner);

			const again = await addMember(owner, profileId, addBody(returner.userId, 'viewer', [2, 1]));
			expect(again.status).toBe(201);
			const member = ProfileMember.parse(again.body);
			expect(member).toMatchObject({ userId: returner.userId, role: 'viewer', revokedAt: null });
			expect(Date.parse(member.addedAt)).toBeGreaterThan(Date.parse(firstAdded));

			const mine = (await profilesOf(returner)).find((p) => p.profileId === profileId);
			expect(mine).toMatchObject({ role: 'viewer', currentKeyVersion: 2 });
			expect(mine!.keys.map((k) => k.keyVersion)).toEqual([1, 2]);
			await events.next(isChanges(profileId, 2));
			expect(
				(await pullAll(returner)).changes.filter((c) => c.profileId === profileId).map((c) => c.seq)
			).toEqual([1, 2]);
			expect(outcomes(await push(returner, [newMutation(profileId, { keyVersion: 2 })]))).toEqual([
				'read_only'
			]);
			await events.close();
		});

		it('lets one of two concurrent revokes at the same key version through and answers the other 409, changing nothing of it', async () => {
			const first = await join();
			const second = await join();
			const profileId = await sharedProfile([
				[first, 'editor'],
				[second, 'viewer']
			]);
			const answers = await Promise.all([
				revoke(owner, profileId, first.userId, revokeBody(2, [owner.userId, second.userId])),
				revoke(owner, profileId, second.userId, revokeBody(2, [owner.userId, first.userId]))
			]);
			expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
			const lost = answers.findIndex((a) => a.status === 409);
			expect(ApiErrorBody.parse(answers[lost]!.body).error).toMatchObject({
				code: 'key_version_conflict',
				details: { currentKeyVersion: 2 }
			});
			// The losing request's member stays, and nothing of that request was stored.
			const stayer = [first, second][lost]!;

			const listed = await members(owner, profileId);
			expect(listed.currentKeyVersion).toBe(2);
			expect(
				listed.members
					.filter((m) => m.revokedAt === null)
					.map((m) => m.userId)
					.sort()
			).toEqual([owner.userId, stayer.userId].sort());
			const [keys] = await store.query<{ holders: string[] }>(
				`select array_agg(user_id::text order by user_id::text) as holders
				 from charta.profile_member_keys where profile_id = $1 and key_version = 2`,
				[profileId]
			);
			expect(keys!.holders).toEqual([owner.userId, stayer.userId].sort());

			// And a retry with the stale version is refused the same way.
			const before = await sharingSnapshot(store);
			const stale = await revoke(owner, profileId, stayer.userId, revokeBody(2, [owner.userId]));
			expect(errorOf(stale)).toEqual({ status: 409, code: 'key_version_conflict' });
			expect(await sharingSnapshot(store)).toEqual(before);
		});
	});
});
