import 'fake-indexeddb/auto';
import { Dexie, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName, type RecordRow, type UserDb } from './user-db.ts';
import { declareUserDbSchema } from './user-db-schema.ts';

const USER = 'upgrade-v4-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const DOC = '5a1e2d3c-4b5a-4f6e-8d7c-6b5a4f3e2d1c';

// Before v7, records were keyed by id in `records` (schema v1–v6).
type OldUserDb = UserDb & { records: Table<RecordRow, string> };

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

describe('user database v4 (notes)', () => {
	it('adds the note tables to a v3 database and keeps everything v3 held', async () => {
		const v3 = new Dexie(userDbName(USER)) as OldUserDb;
		declareUserDbSchema(v3, 3);
		await v3.open();
		await v3.records.put({
			id: 'r1',
			profileId: PROFILE,
			kind: 'note',
			keyVersion: 1,
			envelope: new Uint8Array([1, 2, 3]),
			updatedAt: 5,
			deleted: false
		});
		await v3.outbox.add({
			mutationId: 'm1',
			profileId: PROFILE,
			entityId: 'r1',
			kind: 'record',
			createdAt: 5,
			attempts: 0
		});
		v3.close();

		const db = new Dexie(userDbName(USER)) as OldUserDb;
		declareUserDbSchema(db, 4);
		await db.open();
		expect(db.verno).toBe(4);
		expect(await db.records.get('r1')).toMatchObject({ kind: 'note', keyVersion: 1 });
		expect(await db.outbox.count()).toBe(1);
		expect(db.tables.map((table) => table.name).sort()).toEqual([
			'noteDocs',
			'notePushes',
			'noteSeen',
			'noteUpdates',
			'outbox',
			'profiles',
			'records',
			'settings'
		]);
		db.close();
	});

	it('keeps each note’s log in seq order, with its push queue under the same keys', async () => {
		const db = openUserDb(USER);
		const row = (docId: string, seq: number) => ({
			docId,
			seq,
			profileId: PROFILE,
			kind: 'note-update' as const,
			keyVersion: 1,
			envelope: new Uint8Array([9])
		});
		const other = crypto.randomUUID();
		await db.noteUpdates.bulkAdd([row(DOC, 2), row(other, 1), row(DOC, 1), row(DOC, 10)]);
		await db.notePushes.add({ docId: DOC, seq: 1, mutationId: crypto.randomUUID() });

		const log = await db.noteUpdates
			.where('[docId+seq]')
			.between([DOC, Dexie.minKey], [DOC, Dexie.maxKey])
			.primaryKeys();
		expect(log).toEqual([
			[DOC, 1],
			[DOC, 2],
			[DOC, 10]
		]);
		expect(await db.notePushes.toCollection().primaryKeys()).toEqual([[DOC, 1]]);

		await db.noteSeen.add({ docId: DOC, id: 'p1', source: 'pulled' });
		expect(await db.noteSeen.get([DOC, 'p1'])).toMatchObject({ source: 'pulled' });
		await db.noteDocs.put({ docId: DOC, profileId: PROFILE, editedAt: 1 });
		expect(await db.noteDocs.where('profileId').equals(PROFILE).count()).toBe(1);
		db.close();
	});
});
