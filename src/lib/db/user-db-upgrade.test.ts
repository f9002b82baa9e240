import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { generateProfileKey, sealEnvelope } from '../crypto/index.ts';
import { openUserDb, userDbName, type RecordRow, type UserDb } from './user-db.ts';
import { declareUserDbSchema, UNKNOWN_KEY_VERSION, USER_DB_VERSION } from './user-db-schema.ts';

const USER = 'upgrade-user';
const PROFILE = 'profile-1';

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

async function sealed(version: number, entityId: string) {
	const profileKey = await generateProfileKey({ version });
	return sealEnvelope({
		profileKey,
		binding: { profileId: PROFILE, entityId, kind: 'record' },
		plaintext: new TextEncoder().encode('{}')
	});
}

describe('user database upgrade', () => {
	it('backfills each record’s key version and drops outbox envelope copies when v1 data opens', async () => {
		const v1 = new Dexie(userDbName(USER)) as UserDb;
		declareUserDbSchema(v1, 1);
		await v1.open();
		expect(v1.verno).toBe(1);
		await v1.profiles.put({
			id: PROFILE,
			keyVersion: 3,
			wrappedProfileKey: new Uint8Array([1, 2, 3]),
			updatedAt: 1,
			deleted: false
		});
		// v1 rows have no keyVersion column; the cast stands in for the v1 row type.
		const v1Records = v1.table('records') as Dexie.Table<object, string>;
		await v1Records.bulkPut([
			{
				id: 'r1',
				profileId: PROFILE,
				kind: 'observation',
				envelope: await sealed(1, 'r1'),
				updatedAt: 10,
				deleted: false
			},
			{
				id: 'r3',
				profileId: PROFILE,
				kind: 'condition',
				envelope: await sealed(3, 'r3'),
				updatedAt: 20,
				deleted: true
			},
			{
				id: 'bad',
				profileId: PROFILE,
				kind: 'note',
				envelope: new Uint8Array([9, 9]),
				updatedAt: 30,
				deleted: false
			}
		]);
		// v1 outbox rows copy the envelope; v3 drops the copy.
		const v1Outbox = v1.outbox as unknown as Dexie.Table<object, number>;
		await v1Outbox.add({
			mutationId: 'm1',
			profileId: PROFILE,
			entityId: 'r1',
			kind: 'record',
			keyVersion: 1,
			envelope: new Uint8Array([1]),
			deleted: false,
			createdAt: 10,
			attempts: 0
		});
		await v1.settings.put({ key: 'hlcNodeId', value: 'abc' });
		v1.close();

		const v2 = new Dexie(userDbName(USER)) as UserDb;
		declareUserDbSchema(v2, 3);
		await v2.open();
		expect(v2.verno).toBe(3);
		// v3 still keeps records by id (v7 moves them under their profile: user-db-v7.test.ts).
		const v3Records = v2.table('records') as Dexie.Table<RecordRow, string>;
		const byId = Object.fromEntries((await v3Records.toArray()).map((row) => [row.id, row]));
		expect(byId.r1?.keyVersion).toBe(1);
		expect(byId.r3?.keyVersion).toBe(3);
		expect(byId.bad?.keyVersion).toBe(UNKNOWN_KEY_VERSION);
		expect(byId.r3?.deleted).toBe(true);

		expect(
			await v3Records
				.where('[profileId+kind]')
				.between([PROFILE, Dexie.minKey], [PROFILE, Dexie.maxKey])
				.primaryKeys()
		).toHaveLength(3);

		expect(await v2.profiles.get(PROFILE)).toMatchObject({ keyVersion: 3 });
		expect(await v2.outbox.toArray()).toEqual([
			{
				seq: 1,
				mutationId: 'm1',
				profileId: PROFILE,
				entityId: 'r1',
				kind: 'record',
				createdAt: 10,
				attempts: 0
			}
		]);
		expect(await v2.settings.get('hlcNodeId')).toEqual({ key: 'hlcNodeId', value: 'abc' });
		v2.close();
	});

	it('opens a fresh database straight at the latest version with every table', async () => {
		const db = openUserDb(USER);
		await db.open();
		expect(db.verno).toBe(USER_DB_VERSION);
		expect(db.tables.map((table) => table.name)).toEqual(
			expect.arrayContaining(['outbox', 'profiles', 'profileRecords', 'settings'])
		);
		expect(db.tables.map((table) => table.name)).not.toContain('records');
		db.close();
	});

	it('refuses a user id that would make an odd database name', () => {
		expect(() => userDbName('../x')).toThrow(TypeError);
		expect(userDbName('3f7c')).toBe('charta-user-3f7c');
	});
});
