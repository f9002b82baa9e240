import 'fake-indexeddb/auto';
import { Dexie, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { listConflictedRecords, writeConflictMarks } from './conflict-marks.ts';
import { openUserDb, recordsOf, userDbName, type RecordRow, type UserDb } from './user-db.ts';
import { declareUserDbSchema, USER_DB_VERSION } from './user-db-schema.ts';

const USER = 'upgrade-v7-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const OTHER_PROFILE = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

function row(index: number): RecordRow {
	const id = `r-${String(index).padStart(5, '0')}`;
	return {
		id,
		profileId: index % 3 === 0 ? OTHER_PROFILE : PROFILE,
		kind: index % 2 ? 'observation' : 'condition',
		keyVersion: 1 + (index % 2),
		envelope: Uint8Array.from([index % 256, (index >> 8) % 256, 7, 7, 7]),
		updatedAt: 1_000 + index,
		deleted: index % 5 === 0
	};
}

// A v6 database as a device holds it: records keyed by id, conflict marks keyed by record id.
async function v6Database(rows: RecordRow[]) {
	const v6 = new Dexie(userDbName(USER));
	declareUserDbSchema(v6, 6);
	await v6.open();
	await (v6.table('records') as Table<RecordRow, string>).bulkAdd(rows);
	await v6.table('settings').bulkPut([
		{ key: `conflict.${rows[1]!.id}`, value: rows[1]!.profileId },
		{ key: `conflict.${rows[3]!.id}`, value: rows[3]!.profileId },
		{ key: 'hlcNodeId', value: 'abc' }
	]);
	await v6.table('outbox').add({
		mutationId: 'm1',
		profileId: PROFILE,
		entityId: rows[1]!.id,
		kind: 'record',
		createdAt: 1,
		attempts: 0
	});
	v6.close();
}

describe('user database v7 (records keyed by profile and id)', () => {
	it('moves every record of a v6 database, byte for byte, under its profile, and drops the old table', async () => {
		// More than one page of the copy (1,000), and not a multiple of it.
		const rows = Array.from({ length: 2_345 }, (_, index) => row(index));
		await v6Database(rows);

		const db: UserDb = openUserDb(USER);
		await db.open();
		expect(db.verno).toBe(USER_DB_VERSION);
		expect(db.tables.map((table) => table.name)).not.toContain('records');
		expect(db.backendDB().objectStoreNames.contains('records')).toBe(false);

		const moved = await db.profileRecords.toArray();
		expect(moved).toHaveLength(rows.length);
		const byId = new Map(moved.map((stored) => [stored.id, stored]));
		for (const original of rows) expect(byId.get(original.id)).toEqual(original);

		const mine = await recordsOf(db, PROFILE).toArray();
		expect(mine).toHaveLength(rows.filter((r) => r.profileId === PROFILE).length);
		expect(mine.every((r) => r.profileId === PROFILE)).toBe(true);
		expect(await db.profileRecords.get([OTHER_PROFILE, rows[0]!.id])).toEqual(rows[0]);
		expect(await db.profileRecords.get([PROFILE, rows[0]!.id])).toBeUndefined();

		// The rest of the device's state is untouched.
		expect(await db.outbox.count()).toBe(1);
		expect(await db.settings.get('hlcNodeId')).toEqual({ key: 'hlcNodeId', value: 'abc' });
		db.close();
	});

	it('re-keys conflict marks by profile and record, so they still name their records', async () => {
		const rows = Array.from({ length: 6 }, (_, index) => row(index));
		await v6Database(rows);

		const db = openUserDb(USER);
		await db.open();
		const marks = await listConflictedRecords(db);
		expect(marks).toEqual(
			expect.arrayContaining([
				{ profileId: rows[1]!.profileId, id: rows[1]!.id },
				{ profileId: rows[3]!.profileId, id: rows[3]!.id }
			])
		);
		expect(marks).toHaveLength(2);
		expect(await db.settings.get(`conflict.${rows[1]!.id}`)).toBeUndefined();
		// Clearing a moved mark clears it.
		await db.transaction('rw', db.settings, () =>
			writeConflictMarks(db, [{ ...marks[0]!, conflicted: false }])
		);
		expect(await listConflictedRecords(db)).toHaveLength(1);
		db.close();
	});

	it('keeps records of two profiles with the same id apart', async () => {
		const db = openUserDb(USER);
		await db.open();
		const shared = { ...row(1), id: 'same-id' };
		await db.profileRecords.bulkAdd([
			{ ...shared, profileId: PROFILE },
			{ ...shared, profileId: OTHER_PROFILE, kind: 'allergy-intolerance' }
		]);
		expect((await db.profileRecords.get([PROFILE, 'same-id']))?.kind).toBe('observation');
		expect((await db.profileRecords.get([OTHER_PROFILE, 'same-id']))?.kind).toBe(
			'allergy-intolerance'
		);
		db.close();
	});
});
