import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import { openPostgresStore } from '../../sync-server/src/store/postgres-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { ApiErrorBody } from '../../src/lib/shared/api-error.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { ProfileMembership, ProfilesResponse } from '../../src/lib/shared/profiles.ts';
import {
	ChangesEvent,
	MAX_CIPHERTEXT_BYTES,
	PullResponse,
	PushResponse,
	type Mutation
} from '../../src/lib/shared/sync.ts';
import { createApiClient, type ApiClient } from '../helpers/api-client.ts';
import {
	createClientAccount,
	derivePasswordKeys,
	signupBody,
	type ClientAccount
} from '../helpers/auth-client.ts';
import { createScratchDatabase, postgresAvailable, storeKinds } from '../helpers/databases.ts';
import { readSse } from '../helpers/sse-reader.ts';
import { fakeEnvelope, fakeWrappedKey, newMutation } from '../helpers/sync-fixtures.ts';

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;
const SECRET = new Uint8Array(32).fill(9);
const HEARTBEAT_MS = 100;

let keys: ClientAccount;
beforeAll(async () => {
	keys = await createClientAccount(await derivePasswordKeys('sync routes, one key for all'));
});

interface Device {
	client: ApiClient;
	userId: string;
}

function makeApp(store: Store, feed?: ChangeFeed): App {
	return createApp({
		store,
		version: 'test',
		logger: createLogger('silent'),
		auth: { secret: SECRET, trustedProxyHops: 1 },
		events: { feed, heartbeatMs: HEARTBEAT_MS }
	});
}

async function signUp(app: App, label: string): Promise<Device> {
	const client = createApiClient(app);
	const email = `${label}-${randomUUID().slice(0, 8)}@example.org`;
	const response = await client.request<SessionResponse>('POST', '/v1/auth/signup', {
		json: signupBody(keys, email)
	});
	expect(response.status).toBe(201);
	return { client, userId: response.body.user.id };
}

const push = (device: Device, mutations: Mutation[]) =>
	device.client.request<PushResponse>('POST', '/v1/sync/push', {
		json: { clientId: 'test-device', mutations }
	});

const pull = (device: Device, query = '') =>
	device.client.request<PullResponse>('GET', `/v1/sync/pull${query}`);

async function pullAll(device: Device, limit = 1000) {
	const changes: PullResponse['changes'] = [];
	let cursor = '';
	for (;;) {
		const page = await pull(device, `?cursor=${cursor}&limit=${limit}`);
		expect(page.status).toBe(200);
		const body = PullResponse.parse(page.body);
		changes.push(...body.changes);
		cursor = body.cursor;
		if (!body.hasMore) return { changes, cursor };
	}
}

/** Opens /v1/events as `device` on `app`, as a browser's EventSource would. */
async function openEvents(app: App, device: Device, lastEventId?: string) {
	const headers = new Headers({
		cookie: device.client.cookieHeader(),
		'x-forwarded-for': device.client.ip
	});
	if (lastEventId) headers.set('last-event-id', lastEventId);
	const response = await app.request('/v1/events', { headers });
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
	const stream = readSse(response.body!);
	await stream.next((frame) => frame.comment === 'connected');
	return stream;
}

const isChanges = (profileId: string, seq?: number) => (frame: { event?: string; data?: string }) =>
	frame.event === 'changes' &&
	ChangesEvent.parse(JSON.parse(frame.data!)).profileId === profileId &&
	(seq === undefined || ChangesEvent.parse(JSON.parse(frame.data!)).seq === seq);

describe.each(storeKinds)('sync routes on $name', ({ available, open }) => {
	let store: Store;
	let dispose: () => Promise<void>;
	let feed: ChangeFeed;
	let app: App;
	let owner: Device, editor: Device, viewer: Device, revoked: Device, stranger: Device;
	let profileId: string;

	/** What a rejected request must leave exactly as it was. */
	const snapshot = async () => {
		const [row] = await store.query<{
			changes: string;
			seqs: string;
			members: string;
			profiles: string;
		}>(
			`select (select count(*) from charta.changes)::text as changes,
			        (select coalesce(sum(last_seq), 0) from charta.profiles)::text as seqs,
			        (select count(*) from charta.profile_members)::text as members,
			        (select count(*) from charta.profiles)::text as profiles`
		);
		return row;
	};

	/** Adds `device` to `profile` directly in the database: sharing is another route's job. */
	const addMember = async (profile: string, device: Device, role: string, keyVersions = [1]) => {
		await store.query(
			`insert into charta.profile_members (profile_id, user_id, role, added_by) values ($1, $2, $3, $4)`,
			[profile, device.userId, role, owner.userId]
		);
		for (const version of keyVersions) {
			await store.query(
				`insert into charta.profile_member_keys (profile_id, user_id, key_version, wrapped_key, added_by)
				 values ($1, $2, $3, $4, $5)`,
				[profile, device.userId, version, Buffer.from(fakeWrappedKey(), 'base64url'), owner.userId]
			);
		}
	};

	const createProfile = async (device: Device, id = randomUUID()) => {
		const response = await device.client.request('POST', '/v1/profiles', {
			json: { profileId: id, wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 }
		});
		expect(response.status).toBe(201);
		return id;
	};

	beforeAll(async () => {
		if (!available) return;
		({ store, dispose } = await open());
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = makeApp(store, feed);
		owner = await signUp(app, 'owner');
		editor = await signUp(app, 'editor');
		viewer = await signUp(app, 'viewer');
		revoked = await signUp(app, 'revoked');
		stranger = await signUp(app, 'stranger');
		profileId = await createProfile(owner);
		await addMember(profileId, editor, 'editor');
		await addMember(profileId, viewer, 'viewer');
		await addMember(profileId, revoked, 'editor');
	});
	afterAll(async () => {
		await feed?.close();
		await dispose?.();
	});
	beforeEach((context) => {
		if (!available) context.skip('PostgreSQL is not reachable');
	});

	it('answers 401 in the error envelope on every sync, profile and event route without a session', async () => {
		const anonymous = createApiClient(app);
		const forged = createApiClient(app);
		forged.cookies.set('__Host-charta_session', 'A'.repeat(43));
		for (const device of [anonymous, forged]) {
			for (const [method, path, json] of [
				['GET', '/v1/profiles', undefined],
				[
					'POST',
					'/v1/profiles',
					{ profileId: randomUUID(), wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 }
				],
				['POST', '/v1/sync/push', { clientId: 'x', mutations: [newMutation(profileId)] }],
				['POST', '/v1/sync/push', { not: 'even valid' }],
				['GET', '/v1/sync/pull?cursor=garbage', undefined],
				['GET', '/v1/events', undefined]
			] as const) {
				const response = await device.request(method, path, { json });
				expect(response.status, `${method} ${path}`).toBe(401);
				expect(ApiErrorBody.parse(response.body).error.code).toBe('unauthenticated');
			}
		}
	});

	it('creates a profile with its creator as owner, replays it, and refuses the id to anyone else', async () => {
		const id = randomUUID();
		const body = { profileId: id, wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 };
		const created = await stranger.client.request('POST', '/v1/profiles', { json: body });
		expect(created.status).toBe(201);
		expect(ProfileMembership.parse(created.body)).toEqual({
			profileId: id,
			role: 'owner',
			currentKeyVersion: 1,
			keys: [{ keyVersion: 1, wrappedProfileKey: body.wrappedProfileKey }]
		});
		const replay = await stranger.client.request('POST', '/v1/profiles', { json: body });
		expect(replay.status).toBe(200);
		expect(replay.body).toEqual(created.body);

		const before = await snapshot();
		for (const [device, json] of [
			[owner, body],
			[stranger, { ...body, wrappedProfileKey: fakeWrappedKey() }]
		] as const) {
			const taken = await device.client.request('POST', '/v1/profiles', { json });
			expect(taken.status).toBe(409);
			expect(ApiErrorBody.parse(taken.body).error.code).toBe('profile_exists');
		}
		for (const json of [
			{ ...body, keyVersion: 2 },
			{ ...body, profileId: 'not-a-uuid' },
			{ ...body, wrappedProfileKey: 'has+plus/and=' },
			{ ...body, wrappedProfileKey: `${fakeWrappedKey()}B` }
		]) {
			const invalid = await stranger.client.request('POST', '/v1/profiles', { json });
			expect(invalid.status).toBe(400);
			expect(ApiErrorBody.parse(invalid.body).error.code).toBe('invalid_request');
		}
		expect(await snapshot()).toEqual(before);

		const listed = ProfilesResponse.parse(
			(await stranger.client.request('GET', '/v1/profiles')).body
		);
		expect(listed.profiles).toEqual([created.body]);
	});

	it('lists memberships with every key version the caller holds, and not revoked ones', async () => {
		const rotated = await createProfile(owner);
		await addMember(rotated, editor, 'editor', [1, 2]);
		await store.query(`update charta.profiles set current_key_version = 2 where id = $1`, [
			rotated
		]);
		const listed = ProfilesResponse.parse(
			(await editor.client.request('GET', '/v1/profiles')).body
		);
		const entry = listed.profiles.find((p) => p.profileId === rotated);
		expect(entry).toMatchObject({ role: 'editor', currentKeyVersion: 2 });
		expect(entry!.keys.map((k) => k.keyVersion)).toEqual([1, 2]);
		expect(listed.profiles.map((p) => p.profileId)).toContain(profileId);
	});

	it('pushes, and every member pulls the same changes in seq order, resumable from any cursor', async () => {
		const profile = await createProfile(owner);
		await addMember(profile, editor, 'editor');
		await addMember(profile, viewer, 'viewer');
		const first = [1, 2, 3].map(() => newMutation(profile));
		const applied = await push(owner, first);
		expect(applied.status).toBe(200);
		expect(PushResponse.parse(applied.body).results).toEqual(
			first.map((m, i) => ({ mutationId: m.mutationId, status: 'applied', seq: i + 1 }))
		);
		const second = [newMutation(profile, { kind: 'note-update', deleted: true })];
		expect((await push(editor, second)).body.results).toEqual([
			{ mutationId: second[0]!.mutationId, status: 'applied', seq: 4 }
		]);

		const { changes } = await pullAll(viewer, 2);
		const mine = changes.filter((change) => change.profileId === profile);
		expect(mine.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
		expect(mine.map(({ seq: _s, authorId: _a, serverTime: _t, ...mutation }) => mutation)).toEqual([
			...first,
			...second
		]);
		expect(mine.map((c) => c.authorId)).toEqual([
			owner.userId,
			owner.userId,
			owner.userId,
			editor.userId
		]);
		for (const change of mine)
			expect(Date.parse(change.serverTime)).toBeGreaterThan(Date.now() - 60_000);

		// Page by page gives the same as all at once, and the last cursor gives nothing new.
		const paged = await pullAll(viewer, 1);
		expect(paged.changes).toEqual(changes);
		const after = await pull(viewer, `?cursor=${paged.cursor}`);
		expect(after.body).toEqual({ changes: [], cursor: paged.cursor, hasMore: false });
		const more = newMutation(profile);
		await push(owner, [more]);
		const next = PullResponse.parse((await pull(viewer, `?cursor=${paged.cursor}`)).body);
		expect(next.changes.map((c) => [c.mutationId, c.seq])).toEqual([[more.mutationId, 5]]);
	});

	it('answers a replayed push with "duplicate" and the original seqs, and changes nothing', async () => {
		const mutations = [newMutation(profileId), newMutation(profileId)];
		const original = PushResponse.parse((await push(owner, mutations)).body).results;
		expect(original.every((r) => r.status === 'applied')).toBe(true);
		const before = await snapshot();
		const replay = PushResponse.parse(
			(await push(editor, [...mutations, mutations[0]!])).body
		).results;
		expect(replay).toEqual([
			...original.map((r) => ({ ...r, status: 'duplicate' })),
			{ ...original[0], status: 'duplicate' }
		]);
		expect(await snapshot()).toEqual(before);

		// The same mutationId twice in a first push: stored once, the copy answered "duplicate".
		const twice = newMutation(profileId);
		const results = PushResponse.parse((await push(owner, [twice, twice])).body).results;
		expect(results.map((r) => r.status)).toEqual(['applied', 'duplicate']);
		expect(results[0]).toMatchObject({ seq: (results[1] as { seq: number }).seq });
	});

	it('numbers one push into several profiles per profile, in the order sent', async () => {
		const [a, b] = [await createProfile(owner), await createProfile(owner)];
		const mutations = [a, b, b, a, b].map((profile) => newMutation(profile));
		const results = PushResponse.parse((await push(owner, mutations)).body).results;
		expect(results.map((r) => (r.status === 'applied' ? r.seq : r.status))).toEqual([
			1, 1, 2, 2, 3
		]);
		const { changes } = await pullAll(owner);
		const stored = new Map(changes.map((c) => [c.mutationId, [c.profileId, c.seq]]));
		expect(mutations.map((m) => stored.get(m.mutationId))).toEqual([
			[a, 1],
			[b, 1],
			[b, 2],
			[a, 2],
			[b, 3]
		]);
	});

	it('refuses a mutationId that a change hidden from the caller already holds, and applies the rest gap-free', async () => {
		const own = await createProfile(stranger);
		const [hidden] = PushResponse.parse((await push(owner, [newMutation(profileId)])).body)
			.results as { mutationId: string }[];
		const before = await snapshot();
		const fresh = [newMutation(own), newMutation(own)];
		const clash = newMutation(own, { mutationId: hidden!.mutationId });
		const results = PushResponse.parse(
			(await push(stranger, [fresh[0]!, clash, fresh[1]!])).body
		).results;
		expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
		expect(results[1]).toMatchObject({ error: { code: 'invalid' } });
		expect(results.map((r) => (r.status === 'applied' ? r.seq : undefined))).toEqual([
			1,
			undefined,
			2
		]);
		const after = await snapshot();
		expect(Number(after!.changes)).toBe(Number(before!.changes) + 2);
		expect(Number(after!.seqs)).toBe(Number(before!.seqs) + 2);
	});

	it('rejects each bad mutation with its own code and applies the rest, gap-free', async () => {
		const rotated = await createProfile(owner);
		await store.query(`update charta.profiles set current_key_version = 2 where id = $1`, [
			rotated
		]);
		const revokedProfile = await createProfile(owner);
		await addMember(revokedProfile, revoked, 'editor');
		await store.query(
			`update charta.profile_members set revoked_at = now() where profile_id = $1 and user_id = $2`,
			[revokedProfile, revoked.userId]
		);
		const [lastSeq] = await store.query<{ last_seq: string }>(
			`select last_seq::text from charta.profiles where id = $1`,
			[profileId]
		);
		const before = await snapshot();

		const good = [newMutation(profileId), newMutation(profileId)];
		const malformed = [
			newMutation(profileId, { ciphertext: 'A'.repeat(24) }), // 18 bytes: no envelope
			newMutation(profileId, { ciphertext: fakeEnvelope(2) }), // header says version 2
			newMutation(profileId, { ciphertext: `${fakeEnvelope(1)}AB` }) // a length no bytes have
		];
		const cases: [Mutation, string][] = [
			[newMutation(randomUUID()), 'unknown_profile'],
			[newMutation(rotated), 'stale_key_version'],
			...malformed.map((m): [Mutation, string] => [m, 'invalid'])
		];
		const results = PushResponse.parse(
			(await push(owner, [good[0]!, ...cases.map(([m]) => m), good[1]!])).body
		).results;
		const start = Number(lastSeq!.last_seq);
		expect(results[0]).toEqual({
			mutationId: good[0]!.mutationId,
			status: 'applied',
			seq: start + 1
		});
		expect(results.at(-1)).toEqual({
			mutationId: good[1]!.mutationId,
			status: 'applied',
			seq: start + 2
		});
		expect(
			results.slice(1, -1).map((r) => (r.status === 'rejected' ? r.error.code : r.status))
		).toEqual(cases.map(([, code]) => code));
		for (const result of results.slice(1, -1)) {
			expect(result.status === 'rejected' && result.error.message.length).toBeGreaterThan(10);
		}
		// The stranger sees the profile as unknown, the viewer as read-only, the revoked member as gone.
		const byOthers = await Promise.all([
			push(stranger, [newMutation(profileId)]),
			push(viewer, [newMutation(profileId)]),
			push(revoked, [newMutation(revokedProfile)])
		]);
		expect(
			byOthers.map((r) => {
				const [result] = PushResponse.parse(r.body).results;
				return result!.status === 'rejected' ? result!.error.code : result!.status;
			})
		).toEqual(['unknown_profile', 'read_only', 'not_a_member']);

		const after = await snapshot();
		expect(Number(after!.changes)).toBe(Number(before!.changes) + 2);
		expect(Number(after!.seqs)).toBe(Number(before!.seqs) + 2);
	});

	it('refuses a body that breaks the schema with 400 and stores nothing', async () => {
		const before = await snapshot();
		const tooMany = Array.from({ length: 501 }, () => newMutation(profileId));
		const oversized = newMutation(profileId, {
			ciphertext: fakeEnvelope(1, MAX_CIPHERTEXT_BYTES)
		});
		for (const json of [
			{ clientId: 'x', mutations: tooMany },
			{ clientId: 'x', mutations: [] },
			{ clientId: 'x', mutations: [newMutation(profileId), oversized] },
			{ clientId: 'x', mutations: [{ ...newMutation(profileId), ciphertext: 'not base64url!' }] },
			{ clientId: 'x', mutations: [{ ...newMutation(profileId), kind: 'secret' }] },
			{ clientId: 'x', mutations: [{ ...newMutation(profileId), keyVersion: 0 }] },
			{ clientId: 'x', mutations: [{ ...newMutation(profileId), entityId: 'a/b' }] },
			{ mutations: [newMutation(profileId)] }
		]) {
			const response = await owner.client.request('POST', '/v1/sync/push', { json });
			expect(response.status).toBe(400);
			expect(ApiErrorBody.parse(response.body).error.code).toBe('invalid_request');
		}
		const notJson = await owner.client.request('POST', '/v1/sync/push', { body: '{"clientId":' });
		expect(notJson.status).toBe(400);
		expect(await snapshot()).toEqual(before);
	});

	it('answers 400 to a cursor it did not hand out, and to a limit outside 1..1000', async () => {
		const valid = PullResponse.parse((await pull(owner)).body).cursor;
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		for (const query of [
			'?cursor=***',
			'?cursor=eyJ2IjoxLCJwIjp7fX0=',
			`?cursor=${valid}A`,
			`?cursor=${b64({ v: 2, p: {} })}`,
			`?cursor=${b64({ v: 1, p: { 'not-a-uuid': 1 } })}`,
			`?cursor=${b64({ v: 1, p: { [profileId]: -1 } })}`,
			`?cursor=${b64({ v: 1, p: { [profileId]: 1.5 } })}`,
			`?cursor=${b64({ v: 1, p: {}, extra: true })}`,
			`?cursor=${b64([1, 2])}`,
			`?cursor=${Buffer.from('{"v":1,').toString('base64url')}`,
			'?limit=0',
			'?limit=1001',
			'?limit=ten'
		]) {
			const response = await pull(owner, query);
			expect(response.status, query).toBe(400);
			expect(ApiErrorBody.parse(response.body).error.code).toBe('invalid_request');
		}
	});

	it('gives a revoked member and a stranger nothing, and a revoked member nothing newer', async () => {
		const profile = await createProfile(owner);
		await addMember(profile, revoked, 'editor');
		await push(owner, [newMutation(profile)]);
		const before = await pullAll(revoked);
		expect(before.changes.filter((c) => c.profileId === profile)).toHaveLength(1);
		await store.query(
			`update charta.profile_members set revoked_at = now() where profile_id = $1 and user_id = $2`,
			[profile, revoked.userId]
		);
		await push(owner, [newMutation(profile)]);
		expect((await pull(revoked, `?cursor=${before.cursor}`)).body.changes).toEqual([]);
		expect((await pullAll(revoked)).changes.filter((c) => c.profileId === profile)).toEqual([]);
		expect((await pullAll(stranger)).changes.filter((c) => c.profileId === profile)).toEqual([]);
		const listed = ProfilesResponse.parse(
			(await revoked.client.request('GET', '/v1/profiles')).body
		);
		expect(listed.profiles.map((p) => p.profileId)).not.toContain(profile);
	});

	describe('events', () => {
		it('nudges another connection with a `changes` event carrying an id, and drops it on disconnect', async () => {
			const subscribersBefore = feed.subscribers;
			const events = await openEvents(app, viewer);
			const outsider = await openEvents(app, stranger);
			expect(feed.subscribers).toBe(subscribersBefore + 2);
			const [result] = PushResponse.parse(
				(await push(editor, [newMutation(profileId)])).body
			).results;
			const seq = (result as { seq: number }).seq;
			const frame = await events.next(isChanges(profileId, seq));
			expect(JSON.parse(frame.data!)).toEqual({ profileId, seq });
			expect(frame.id).toMatch(/^[A-Za-z0-9_-]+$/);
			// The stream's id is a cursor: pulling from it returns nothing older than this change.
			const fromId = PullResponse.parse((await pull(viewer, `?cursor=${frame.id}`)).body);
			expect(fromId.changes.filter((c) => c.profileId === profileId && c.seq <= seq)).toEqual([]);

			await events.close();
			await outsider.close();
			await expect.poll(() => feed.subscribers).toBe(subscribersBefore);
			expect(outsider.frames.filter((f) => f.event === 'changes')).toEqual([]);
		});

		it('replays what happened after Last-Event-ID on reconnect', async () => {
			const events = await openEvents(app, viewer);
			const [first] = PushResponse.parse(
				(await push(owner, [newMutation(profileId)])).body
			).results;
			const frame = await events.next(isChanges(profileId, (first as { seq: number }).seq));
			await events.close();

			const missed = PushResponse.parse(
				(await push(owner, [newMutation(profileId), newMutation(profileId)])).body
			).results;
			const lastSeq = (missed[1] as { seq: number }).seq;
			const again = await openEvents(app, viewer, frame.id);
			const replayed = await again.next(isChanges(profileId));
			expect(JSON.parse(replayed.data!)).toEqual({ profileId, seq: lastSeq });
			// And live events continue after the replay.
			const [live] = PushResponse.parse((await push(owner, [newMutation(profileId)])).body).results;
			await again.next(isChanges(profileId, (live as { seq: number }).seq));
			await again.close();
		});

		it('refuses a Last-Event-ID it did not hand out with 400', async () => {
			const response = await app.request('/v1/events', {
				headers: { cookie: viewer.client.cookieHeader(), 'last-event-id': 'forged!' }
			});
			expect(response.status).toBe(400);
			expect(ApiErrorBody.parse(await response.json()).error.code).toBe('invalid_request');
		});

		it('sends a heartbeat comment on an idle stream', async () => {
			const events = await openEvents(app, viewer);
			const started = Date.now();
			await events.next((frame) => frame.comment === 'heartbeat', HEARTBEAT_MS * 20);
			await events.next((frame) => frame.comment === 'heartbeat', HEARTBEAT_MS * 20);
			expect(Date.now() - started).toBeGreaterThanOrEqual(HEARTBEAT_MS);
			await events.close();
		});

		// A clinician adds a patient on the tablet while the phone's stream is open: the phone
		// must be nudged for the new profile's changes, not only for the profiles it had.
		it("nudges the creator's open streams for a profile created after they opened", async () => {
			const events = await openEvents(app, owner);
			const created = await createProfile(owner);
			const [result] = PushResponse.parse((await push(owner, [newMutation(created)])).body).results;
			const frame = await events.next(isChanges(created, (result as { seq: number }).seq));
			expect(JSON.parse(frame.data!)).toEqual({ profileId: created, seq: 1 });
			await events.close();
		});

		it('ends every open stream when the feed closes (server shutdown)', async () => {
			const ownFeed = createChangeFeed({ store });
			const ownApp = makeApp(store, ownFeed);
			const streams = await Promise.all([openEvents(ownApp, viewer), openEvents(ownApp, owner)]);
			expect(ownFeed.subscribers).toBe(2);
			await ownFeed.close();
			await Promise.all(streams.map((stream) => stream.ended()));
			expect(ownFeed.subscribers).toBe(0);
		});
	});
});

describe.runIf(postgresAvailable)('two server instances on one PostgreSQL database', () => {
	it('both nudge their own clients when either one takes a push', async () => {
		const database = await createScratchDatabase();
		const stores = [
			await openPostgresStore(database.url, { max: 2 }),
			await openPostgresStore(database.url, { max: 2 })
		];
		const feeds = stores.map((store) => createChangeFeed({ store }));
		try {
			await migrate(stores[0]!, migrationsDir);
			const [appA, appB] = stores.map((store, i) => makeApp(store, feeds[i]));
			const owner = await signUp(appA!, 'owner');
			const profile = randomUUID();
			const created = await owner.client.request('POST', '/v1/profiles', {
				json: { profileId: profile, wrappedProfileKey: fakeWrappedKey(), keyVersion: 1 }
			});
			expect(created.status).toBe(201);
			// The same session works on both instances: it lives in the database.
			const onA = await openEvents(appA!, owner);
			const onB = await openEvents(appB!, owner);
			await push(owner, [newMutation(profile)]); // through A
			await onA.next(isChanges(profile, 1));
			await onB.next(isChanges(profile, 1));
			const viaB = createApiClient(appB!);
			for (const [name, value] of owner.client.cookies) viaB.cookies.set(name, value);
			const pushedOnB = await viaB.request<PushResponse>('POST', '/v1/sync/push', {
				json: { clientId: 'b', mutations: [newMutation(profile)] }
			});
			expect(pushedOnB.body.results[0]).toMatchObject({ status: 'applied', seq: 2 });
			await onA.next(isChanges(profile, 2));
			await onB.next(isChanges(profile, 2));
			await Promise.all([onA.close(), onB.close()]);
		} finally {
			await Promise.all(feeds.map((feed) => feed.close()));
			await Promise.all(stores.map((store) => store.close()));
			await database.drop();
		}
	});
});
