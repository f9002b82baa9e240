import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { generateUserKeyPair, type CryptoKeyPair } from '../crypto/index.ts';
import { countConflicts, declareUserDbSchema, type RecordRef, type UserDb } from '../db/index.ts';
import { createClock } from '../hlc/index.ts';
import type { Change, Mutation, PushResult } from '../shared/sync.ts';
import { createSyncClient } from '../sync/create-sync-client.ts';
import type { SyncStatus } from '../sync/sync-status.ts';
import { createVault } from './create-vault.ts';
import { ConflictChangedError } from './field-conflicts.ts';

// Two devices of one account (same key pair, own databases and clocks) and an in-memory
// stand-in for the sync routes: what a conflict looks like on each, and that resolving it on one
// clears it on the other once both have synced.

const USER = '00000000-0000-4000-8000-000000000001';
const asthma = {
	code: { display: 'Asthma' },
	clinicalStatus: 'active' as const,
	severity: 'mild' as const,
	note: 'Inhaler as needed'
};

function createServer() {
	const keys = new Map<string, string>();
	const log: Change[] = [];
	const json = (body: unknown, status = 200) =>
		new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
	const membership = (profileId: string) => ({
		profileId,
		role: 'owner',
		currentKeyVersion: 1,
		keys: [{ keyVersion: 1, wrappedProfileKey: keys.get(profileId) }]
	});
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const url = new URL(String(input), 'http://server');
		const body = init?.body ? JSON.parse(String(init.body)) : undefined;
		if (url.pathname === '/v1/profiles' && init?.method === 'POST') {
			keys.set(body.profileId, keys.get(body.profileId) ?? body.wrappedProfileKey);
			return json(membership(body.profileId), 201);
		}
		if (url.pathname === '/v1/profiles')
			return json({ profiles: [...keys.keys()].map(membership) });
		if (url.pathname === '/v1/sync/push') {
			const results: PushResult[] = (body.mutations as Mutation[]).map((m) => {
				const seq = log.length + 1;
				log.push({ ...m, seq, authorId: USER, serverTime: new Date(0).toISOString() });
				return { mutationId: m.mutationId, status: 'applied', seq };
			});
			return json({ results });
		}
		const from = Number(url.searchParams.get('cursor') || 0);
		const limit = Number(url.searchParams.get('limit'));
		const changes = log.slice(from, from + limit);
		const next = from + changes.length;
		return json({ changes, cursor: String(next), hasMore: next < log.length });
	};
	return { fetch };
}

// Each device has its own in-memory IndexedDB, dropped with it.
const opened: UserDb[] = [];
afterEach(() => {
	for (const db of opened.splice(0)) db.close();
});

let devices = 0;
function openDevice(
	nodeId: string,
	keyPair: CryptoKeyPair,
	server: ReturnType<typeof createServer>,
	start: number
) {
	const db = new Dexie(`charta-user-conflicts-${++devices}`, {
		indexedDB: new IDBFactory(),
		IDBKeyRange
	}) as UserDb;
	declareUserDbSchema(db);
	opened.push(db);
	let time = start;
	const now = () => time;
	const clock = createClock({ nodeId, now });
	const vault = createVault({ db, userKeyPair: keyPair, clock, now });
	const sync = createSyncClient({
		db,
		userKeyPair: keyPair,
		clock,
		fetch: server.fetch,
		now,
		autoRetry: false
	});
	return { db, vault, sync, advance: (ms: number) => (time += ms) };
}

// A condition both devices hold, then `note` edited on both before either syncs again.
async function concurrentNoteEdits() {
	const keyPair = await generateUserKeyPair();
	const server = createServer();
	const a = openDevice('tablet', keyPair, server, 1_700_000_000_000);
	const b = openDevice('phone', keyPair, server, 1_700_000_000_000);
	const profileId = await a.vault.createProfile({ name: { family: 'Quorran' } });
	const id = await a.vault.saveRecord({ profileId, kind: 'condition', data: asthma });
	await a.sync.syncNow();
	await b.sync.syncNow();

	a.advance(1_000);
	await a.vault.saveRecord({
		profileId,
		kind: 'condition',
		id,
		data: { ...asthma, severity: 'moderate', note: 'Tablet: wakes at night' }
	});
	b.advance(2_000);
	await b.vault.saveRecord({
		profileId,
		kind: 'condition',
		id,
		data: { ...asthma, note: 'Phone: fine on inhaler', onsetDate: '2019-04-01' }
	});
	await b.sync.syncNow();
	await a.sync.syncNow();
	await b.sync.syncNow();
	return { a, b, id, ref: { profileId, id } };
}

const noteOf = async (device: ReturnType<typeof openDevice>, ref: RecordRef) => {
	const record = await device.vault.getRecord(ref);
	return record && 'data' in record ? (record.data as { note?: string }).note : undefined;
};

describe('conflicts between two devices of one account', () => {
	it('shows both values on both devices, each labelled by the device that wrote it', async () => {
		const { a, b, id, ref } = await concurrentNoteEdits();

		// The phone wrote later, so both show its value; the tablet's is the one kept aside.
		expect(await a.vault.fieldConflicts(ref)).toEqual([
			{
				field: 'note',
				current: expect.objectContaining({ value: 'Phone: fine on inhaler', thisDevice: false }),
				others: [expect.objectContaining({ value: 'Tablet: wakes at night', thisDevice: true })]
			}
		]);
		expect(await b.vault.fieldConflicts(ref)).toEqual([
			{
				field: 'note',
				current: expect.objectContaining({ value: 'Phone: fine on inhaler', thisDevice: true }),
				others: [expect.objectContaining({ value: 'Tablet: wakes at night', thisDevice: false })]
			}
		]);
		const [conflict] = await a.vault.fieldConflicts(ref);
		expect(conflict!.others[0]!.writtenAt).toBe(1_700_000_001_000);

		// Fields edited on one side only merge without a conflict.
		const record = await a.vault.getRecord(ref);
		expect(record && 'data' in record && record.data).toMatchObject({
			severity: 'moderate',
			onsetDate: '2019-04-01'
		});
		for (const device of [a, b]) {
			expect(await countConflicts(device.db)).toBe(1);
			expect(device.sync.status.conflicts).toBe(1);
			expect((await device.vault.listConflictedRecords()).map((r) => r.id)).toEqual([id]);
		}
	});

	it('clears the conflict on the other device once the resolution has synced', async () => {
		const { a, b, ref } = await concurrentNoteEdits();
		const [conflict] = await a.vault.fieldConflicts(ref);
		const mine = conflict!.others.find((value) => value.thisDevice)!;

		a.advance(5_000);
		expect(await a.vault.resolveConflict({ ...ref, field: 'note', keep: mine.hlc })).toBe(true);
		expect(await a.vault.fieldConflicts(ref)).toEqual([]);
		expect(await noteOf(a, ref)).toBe('Tablet: wakes at night');
		expect(await countConflicts(a.db)).toBe(0);

		await a.sync.syncNow();
		const status: SyncStatus = await b.sync.syncNow();
		expect(await b.vault.fieldConflicts(ref)).toEqual([]);
		expect(await noteOf(b, ref)).toBe('Tablet: wakes at night');
		expect(await countConflicts(b.db)).toBe(0);
		expect(status.conflicts).toBe(0);
		expect(await b.vault.listConflictedRecords()).toEqual([]);
	});

	it('keeps the other device’s value just as well, and the two copies end identical', async () => {
		const { a, b, ref } = await concurrentNoteEdits();
		const [conflict] = await b.vault.fieldConflicts(ref);
		const theirs = conflict!.others.find((value) => !value.thisDevice)!;
		await b.vault.resolveConflict({ ...ref, field: 'note', keep: theirs.hlc });
		await b.sync.syncNow();
		await a.sync.syncNow();
		for (const device of [a, b]) {
			expect(await device.vault.fieldConflicts(ref)).toEqual([]);
			expect(await noteOf(device, ref)).toBe('Tablet: wakes at night');
		}
		expect(await a.vault.getRecord(ref)).toEqual(await b.vault.getRecord(ref).then(sameShape));
	});

	it('does nothing for a field without a conflict and refuses a value the field no longer holds', async () => {
		const { a, ref } = await concurrentNoteEdits();
		const outbox = await a.db.outbox.count();
		expect(await a.vault.resolveConflict({ ...ref, field: 'severity', keep: 'x' })).toBe(false);
		expect(await a.db.outbox.count()).toBe(outbox);
		await expect(
			a.vault.resolveConflict({ ...ref, field: 'note', keep: '0000000003e8-0000-elsewhere' })
		).rejects.toBeInstanceOf(ConflictChangedError);
		expect(await a.vault.fieldConflicts(ref)).toHaveLength(1);
	});
});

// getRecord's updatedAt is when this device stored its copy: compare everything else.
function sameShape<T>(record: T): T {
	return { ...record, updatedAt: expect.any(Number) };
}
