import 'fake-indexeddb/auto';
import { Dexie, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName, type RecordRow, type UserDb } from './user-db.ts';
import { declareUserDbSchema, USER_DB_VERSION } from './user-db-schema.ts';

const USER = 'upgrade-v6-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const OTHER_PROFILE = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const ATTACHMENT = '5a1e2d3c-4b5a-4f6e-8d7c-6b5a4f3e2d1c';

// Before v7, records were keyed by id in `records` (schema v1–v6).
type OldUserDb = UserDb & { records: Table<RecordRow, string> };

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

describe('user database v6 (imports and analyses)', () => {
	it('adds the attachment, import and analysis tables to a v5 database and keeps its records', async () => {
		const v5 = new Dexie(userDbName(USER)) as OldUserDb;
		declareUserDbSchema(v5, 5);
		await v5.records.add({
			id: 'r1',
			profileId: PROFILE,
			kind: 'observation',
			keyVersion: 1,
			envelope: new Uint8Array([1, 2]),
			updatedAt: 1,
			deleted: false
		});
		v5.close();

		const db = openUserDb(USER);
		await db.open();
		expect(db.verno).toBe(USER_DB_VERSION);
		// Opened at the current version: the record moved to `profileRecords` (v7), under its profile.
		expect(await db.profileRecords.get([PROFILE, 'r1'])).toMatchObject({ kind: 'observation' });

		await db.attachmentChunks.bulkAdd([
			{ attachmentId: ATTACHMENT, index: 1, envelope: new Uint8Array([2]) },
			{ attachmentId: ATTACHMENT, index: 0, envelope: new Uint8Array([1]) }
		]);
		const chunks = await db.attachmentChunks
			.where('[attachmentId+index]')
			.between([ATTACHMENT, 0], [ATTACHMENT, Dexie.maxKey])
			.toArray();
		expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1]);

		const row = { state: 'queued' as const, percent: 0, createdAt: 1, updatedAt: 1 };
		await db.imports.bulkAdd([
			{ ...row, id: 'i1', profileId: PROFILE, documentId: 'd1', attachmentId: ATTACHMENT },
			{ ...row, id: 'i2', profileId: OTHER_PROFILE, documentId: 'd2', attachmentId: 'a2' }
		]);
		expect(
			(await db.imports.where('profileId').equals(PROFILE).toArray()).map((r) => r.id)
		).toEqual(['i1']);
		await db.analyses.add({
			id: 'x1',
			profileId: PROFILE,
			state: 'queued',
			createdAt: 1,
			updatedAt: 1
		});
		expect(await db.analyses.where('profileId').equals(PROFILE).count()).toBe(1);
		db.close();
	});
});
