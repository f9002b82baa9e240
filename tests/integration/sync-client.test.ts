import { randomUUID } from 'node:crypto';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	exportPublicKey,
	generateUserKeyPair,
	type CryptoKeyPair
} from '../../src/lib/crypto/index.ts';
import { declareUserDbSchema, recordKey, type UserDb } from '../../src/lib/db/index.ts';
import { createClock } from '../../src/lib/hlc/index.ts';
import type { SessionResponse } from '../../src/lib/shared/auth.ts';
import { createSyncClient, startSyncTriggers, type SyncClient } from '../../src/lib/sync/index.ts';
import { createVault, type Vault } from '../../src/lib/vault/index.ts';
import { createApp, type App } from '../../sync-server/src/app.ts';
import { createLogger } from '../../sync-server/src/logger.ts';
import { migrate } from '../../sync-server/src/store/migrate.ts';
import { openPgliteStore } from '../../sync-server/src/store/pglite-store.ts';
import type { Store } from '../../sync-server/src/store/store.ts';
import { createChangeFeed, type ChangeFeed } from '../../sync-server/src/sync/change-feed.ts';
import { createClientAccount, derivePasswordKeys, signupBody } from '../helpers/auth-client.ts';
import { deviceFetch, type DeviceNetwork } from '../helpers/device-fetch.ts';

// Two devices of one user — each its own IndexedDB (fake-indexeddb), vault, clock and cookie
// jar — against one in-process server on PGlite, syncing through the real sync client.

const migrationsDir = new URL('../../supabase/migrations', import.meta.url).pathname;

const patient = {
	name: { given: ['Zyxwvuta'], family: 'Quorran' },
	birthDate: '1984-07-02',
	sex: 'female' as const
};
const glucose = {
	category: 'laboratory' as const,
	code: { code: '2345-7', display: 'Glucose' },
	value: { type: 'quantity' as const, value: 5.4, unit: 'mmol/L' },
	effectiveDateTime: '2024-03-15T08:10+00:00'
};

interface Device {
	db: UserDb;
	vault: Vault;
	sync: SyncClient;
	net: DeviceNetwork;
	fetch: typeof globalThis.fetch;
	advance: (ms: number) => void;
}

function openDevice(
	userId: string,
	keyPair: CryptoKeyPair,
	nodeId: string,
	{ fetch, state }: ReturnType<typeof deviceFetch>
): Device {
	// Each device its own IndexedDB, as two browsers have.
	const db = new Dexie(`charta-user-${userId}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	let time = 1_700_000_000_000;
	const now = () => time;
	const clock = createClock({ nodeId, now });
	const vault = createVault({ db, userKeyPair: keyPair, clock, now });
	const sync = createSyncClient({ db, userKeyPair: keyPair, clock, fetch, now, random: () => 0.5 });
	return { db, vault, sync, net: state, fetch, advance: (ms: number) => (time += ms) };
}

describe('the sync client, two devices of one user, one server', () => {
	let store: Store;
	let feed: ChangeFeed;
	let app: App;
	let a: Device;
	let b: Device;
	let profileId: string;
	let recordId: string;

	beforeAll(async () => {
		store = await openPgliteStore();
		await migrate(store, migrationsDir);
		feed = createChangeFeed({ store });
		app = createApp({
			store,
			version: 'test',
			logger: createLogger('silent'),
			auth: { secret: new Uint8Array(32).fill(5) },
			events: { feed, heartbeatMs: 1_000 }
		});
		const account = await createClientAccount(await derivePasswordKeys('two devices, one user'));
		const keyPair = await generateUserKeyPair();
		const email = `sync-${randomUUID().slice(0, 8)}@example.org`;

		const netA = deviceFetch(app);
		const signup = await netA.fetch('/v1/auth/signup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(
				signupBody(account, email, { publicKey: await exportPublicKey(keyPair.publicKey, 'jwk') })
			)
		});
		expect(signup.status).toBe(201);
		const { user } = (await signup.json()) as SessionResponse;
		a = openDevice(user.id, keyPair, 'device-a', netA);
		b = openDevice(user.id, keyPair, 'device-b', deviceFetch(app));
		const login = await b.fetch('/v1/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, authKey: account.current.authKey })
		});
		expect(login.status).toBe(200);
	});

	afterAll(async () => {
		for (const device of [a, b]) {
			device.sync.destroy();
			device.vault.close();
			device.db.close();
		}
		await feed.close();
		await store.close();
	});

	it('creates a profile and records offline, then syncs them to a second device', async () => {
		a.net.offline = true;
		profileId = await a.vault.createProfile(patient);
		recordId = await a.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		await expect(a.sync.syncNow()).rejects.toThrow(/could not reach/);
		expect(a.sync.status).toMatchObject({ state: 'offline', pending: 2 });
		expect(await a.db.outbox.count()).toBe(2);

		a.net.offline = false;
		expect(await a.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0, conflicts: 0 });

		b.net.requests.length = 0;
		expect(await b.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });
		// The first sync (with its download progress) asks for the memberships once.
		expect(b.net.requests.filter((r) => r === 'GET /v1/profiles')).toHaveLength(1);
		expect(await b.vault.listProfiles()).toEqual(await a.vault.listProfiles());
		expect(await b.vault.getProfile(profileId)).toMatchObject({ patient });
		expect(await b.vault.getRecord({ profileId, id: recordId })).toMatchObject({
			data: glucose,
			conflicts: []
		});
	});

	it('sends an import queued offline as one outbox row (beside its new patient’s), 600 records in two pushes, to the other device', async () => {
		a.net.offline = true;
		const imported = await a.vault.createProfile(patient);
		const ids = await a.vault.saveRecords({
			profileId: imported,
			records: Array.from({ length: 600 }, (_, i) => ({
				kind: 'observation' as const,
				data: { ...glucose, effectiveDateTime: `2024-03-${String((i % 28) + 1).padStart(2, '0')}` }
			}))
		});
		expect(await a.db.outbox.count()).toBe(2);
		await expect(a.sync.syncNow()).rejects.toThrow(/could not reach/);
		expect(a.sync.status).toMatchObject({ state: 'offline', pending: 601 });

		a.net.offline = false;
		expect(await a.sync.syncNow()).toMatchObject({ state: 'synced', pending: 0 });
		await b.sync.syncNow();
		const received = await b.vault.listRecords(imported, { kind: 'observation' });
		expect(received.map((item) => item.id).sort()).toEqual(ids.sort());
		expect(received.filter((item) => 'error' in item)).toEqual([]);
	});

	it('converges when both devices edit different fields of the same record', async () => {
		a.advance(1_000);
		b.advance(1_000);
		await a.vault.saveRecord({
			profileId,
			kind: 'observation',
			id: recordId,
			data: { ...glucose, note: 'fasting' }
		});
		await b.vault.saveRecord({
			profileId,
			kind: 'observation',
			id: recordId,
			data: { ...glucose, interpretation: 'N' }
		});
		await a.sync.syncNow();
		await b.sync.syncNow();
		await a.sync.syncNow();
		const expected = { ...glucose, note: 'fasting', interpretation: 'N' };
		expect(await a.vault.getRecord({ profileId, id: recordId })).toMatchObject({
			data: expected,
			conflicts: []
		});
		expect(await b.vault.getRecord({ profileId, id: recordId })).toMatchObject({
			data: expected,
			conflicts: []
		});
	});

	it('keeps the loser of a concurrent edit of one field as a conflict on both devices', async () => {
		a.advance(1_000);
		b.advance(1_000);
		await a.vault.saveRecord({
			profileId,
			kind: 'observation',
			id: recordId,
			data: { ...glucose, note: 'from A', interpretation: 'N' }
		});
		await b.vault.saveRecord({
			profileId,
			kind: 'observation',
			id: recordId,
			data: { ...glucose, note: 'from B', interpretation: 'N' }
		});
		await a.sync.syncNow();
		await b.sync.syncNow();
		expect((await a.sync.syncNow()).conflicts).toBe(1);
		expect(b.sync.status.conflicts).toBe(1);
		const onA = await a.vault.getRecord({ profileId, id: recordId });
		const onB = await b.vault.getRecord({ profileId, id: recordId });
		expect(onA).toEqual(onB);
		// Same wall time, so the node id breaks the tie: device-b's stamp sorts after device-a's.
		expect(onA).toMatchObject({
			data: { note: 'from B' },
			conflicts: [expect.objectContaining({ field: 'note', value: 'from A' })]
		});
	});

	it('propagates a delete', async () => {
		a.advance(1_000);
		await a.vault.deleteRecord({ profileId, id: recordId });
		await a.sync.syncNow();
		await b.sync.syncNow();
		expect(await b.vault.listRecords(profileId)).toEqual([]);
		expect(await b.vault.getRecord({ profileId, id: recordId })).toMatchObject({ deleted: true });
	});

	it('stores a replayed push once after its answer was lost', async () => {
		const id = await a.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		a.net.loseNextPushAnswer = true;
		await expect(a.sync.syncNow()).rejects.toThrow(/could not reach/);
		expect(await a.db.outbox.count()).toBe(1);
		await a.sync.syncNow();
		expect(await a.db.outbox.count()).toBe(0);
		const [stored] = await store.query<{ count: string }>(
			`select count(*)::text as count from charta.changes where entity_id = $1`,
			[id]
		);
		expect(stored?.count).toBe('1');
		await b.sync.syncNow();
		expect(await b.vault.getRecord({ profileId, id })).toMatchObject({ data: glucose });
	});

	it('keeps local unsynced edits through a pull', async () => {
		b.advance(5_000);
		const id = await b.vault.saveRecord({ profileId, kind: 'condition', data: condition() });
		await b.sync.syncNow();
		await a.sync.syncNow();
		a.advance(10_000);
		b.advance(10_000);
		await a.vault.saveRecord({ profileId, kind: 'condition', id, data: condition('A note') });
		a.net.offline = true;
		await a.sync.syncNow().catch(() => {});
		await b.vault.saveRecord({
			profileId,
			kind: 'condition',
			id,
			data: { ...condition(), clinicalStatus: 'resolved' }
		});
		await b.sync.syncNow();
		// A pulls B's edit while its own edit is still only in its outbox.
		a.net.offline = false;
		const outbox = await a.db.outbox.count();
		await a.sync.syncNow();
		expect(outbox).toBe(1);
		await b.sync.syncNow();
		const merged = { ...condition('A note'), clinicalStatus: 'resolved' };
		expect(await a.vault.getRecord({ profileId, id })).toMatchObject({ data: merged });
		expect(await b.vault.getRecord({ profileId, id })).toMatchObject({ data: merged });
	});

	it('shows a pulled record that does not decrypt as a placeholder and applies the rest', async () => {
		const good = await a.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
		const damaged = randomUUID();
		const row = (await a.db.profileRecords.get(recordKey({ profileId, id: good })))!;
		// Sealed for another record id, so it cannot open as `damaged`.
		await a.db.profileRecords.add({ ...row, id: damaged });
		await a.db.outbox.add({
			mutationId: randomUUID(),
			profileId,
			entityId: damaged,
			kind: 'record',
			createdAt: 0,
			attempts: 0
		});
		await a.sync.syncNow();
		await b.sync.syncNow();
		expect(await b.vault.getRecord({ profileId, id: good })).toMatchObject({ data: glucose });
		expect(await b.vault.getRecord({ profileId, id: damaged })).toMatchObject({
			error: 'undecryptable'
		});
	});

	it('nudges the other device through /v1/events, which pulls on its own', async () => {
		const stop = startSyncTriggers({ client: b.sync, db: b.db, fetch: b.fetch, debounceMs: 10 });
		try {
			await vi.waitFor(() => expect(b.sync.status.state).toBe('synced'));
			const id = await a.vault.saveRecord({ profileId, kind: 'observation', data: glucose });
			await a.sync.syncNow();
			await vi.waitFor(
				async () =>
					expect(await b.db.profileRecords.get(recordKey({ profileId, id }))).toBeDefined(),
				{
					timeout: 5_000
				}
			);
		} finally {
			stop();
		}
	});
});

function condition(note?: string) {
	return {
		code: { display: 'Asthma' },
		clinicalStatus: 'active' as const,
		...(note ? { note } : {})
	};
}
