import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName, type UserDb } from './user-db.ts';
import { declareUserDbSchema, USER_DB_VERSION } from './user-db-schema.ts';

const USER = 'upgrade-v5-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const DOC = '5a1e2d3c-4b5a-4f6e-8d7c-6b5a4f3e2d1c';

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

describe('user database v5 (note history)', () => {
	it('adds the note history table to a v4 database and keeps each note’s log', async () => {
		const v4 = new Dexie(userDbName(USER)) as UserDb;
		declareUserDbSchema(v4, 4);
		await v4.noteUpdates.add({
			docId: DOC,
			seq: 1,
			profileId: PROFILE,
			kind: 'note-update',
			keyVersion: 1,
			envelope: new Uint8Array([7])
		});
		await v4.noteDocs.put({ docId: DOC, profileId: PROFILE, editedAt: 3 });
		v4.close();

		const db = openUserDb(USER);
		await db.open();
		expect(db.verno).toBe(USER_DB_VERSION);
		expect(await db.noteUpdates.get([DOC, 1])).toMatchObject({ kind: 'note-update' });
		expect(await db.noteDocs.get(DOC)).toMatchObject({ editedAt: 3 });
		await db.noteHistory.bulkAdd([
			{ docId: DOC, seq: 2, profileId: PROFILE, keyVersion: 1, envelope: new Uint8Array(), at: 2 },
			{ docId: DOC, seq: 1, profileId: PROFILE, keyVersion: 1, envelope: new Uint8Array(), at: 1 }
		]);
		expect(
			await db.noteHistory
				.where('[docId+seq]')
				.between([DOC, Dexie.minKey], [DOC, Dexie.maxKey])
				.primaryKeys()
		).toEqual([
			[DOC, 1],
			[DOC, 2]
		]);
		db.close();
	});
});
