import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName, type UserDb } from './user-db.ts';
import { declareUserDbSchema } from './user-db-schema.ts';

const USER = 'upgrade-v6-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

describe('user database v6 (records indexed for paged listing)', () => {
	it('rebuilds the records index from a v5 database’s rows, keeping every row', async () => {
		const v5 = new Dexie(userDbName(USER)) as UserDb;
		declareUserDbSchema(v5, 5);
		const rows = ['b', 'a', 'c'].map((letter, n) => ({
			id: `${letter.repeat(8)}-0000-4000-8000-000000000000`,
			profileId: PROFILE,
			kind: 'observation' as const,
			keyVersion: 1,
			envelope: new Uint8Array([n]),
			updatedAt: n,
			deleted: false
		}));
		await v5.records.bulkAdd(rows);
		v5.close();

		const db = openUserDb(USER);
		await db.open();
		expect(db.verno).toBe(6);
		const listed = await db.records
			.where('[profileId+kind+id]')
			.between([PROFILE, 'observation'], [PROFILE, 'observation', Dexie.maxKey])
			.toArray();
		expect(listed).toEqual([...rows].sort((x, y) => (x.id < y.id ? -1 : 1)));
		db.close();
	});
});
