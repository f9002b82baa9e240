import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openUserDb, userDbName, type RecordRow } from '../db/index.ts';
import type { RecordKind } from '../shared/records/index.ts';
import { listProfileRecords } from './list-profile-records.ts';

const USER = 'list-pages-user';
const PROFILE = '0b7f6c7e-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const OTHER = 'ffffffff-2f8e-4c55-9d0e-3c4f5a6b7c8d';
const KINDS: RecordKind[] = ['observation', 'condition', 'immunization'];

afterEach(async () => {
	await Dexie.delete(userDbName(USER));
});

const row = (profileId: string, kind: RecordKind, n: number): RecordRow => ({
	id: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
	profileId,
	kind,
	keyVersion: 1,
	envelope: new Uint8Array([n % 256]),
	updatedAt: n,
	deleted: n % 5 === 0
});

async function seeded() {
	const db = openUserDb(USER);
	const rows = [
		row(PROFILE, 'patient', 0),
		...Array.from({ length: 47 }, (_, n) => row(PROFILE, KINDS[n % 3]!, n + 1)),
		// Another patient's records sit on both sides of this one's in the index.
		...Array.from({ length: 9 }, (_, n) => row(OTHER, KINDS[n % 3]!, 100 + n))
	];
	await db.records.bulkAdd(rows);
	return { db, rows };
}

describe('listing a profile page by page', () => {
	it.each([1, 4, 7, 16, 47, 1000])(
		'lists every kept row of the profile exactly once in pages of %i',
		async (pageRows) => {
			const { db, rows } = await seeded();
			const pages: number[] = [];
			const listed = await listProfileRecords({
				db,
				profileId: PROFILE,
				keep: (r) => !r.deleted,
				pageRows,
				decode: async (page) => {
					pages.push(page.length);
					return page.map((r) => r.id);
				}
			});
			const expected = rows
				.filter((r) => r.profileId === PROFILE && r.kind !== 'patient' && !r.deleted)
				.map((r) => r.id);
			expect([...listed].sort()).toEqual([...expected].sort());
			expect(new Set(listed).size).toBe(listed.length);
			expect(pages.length).toBe(Math.floor(48 / pageRows) + 1);
			db.close();
		}
	);

	it('lists one kind, and the patient record when that is the kind asked for', async () => {
		const { db, rows } = await seeded();
		const ids = (kind: RecordKind) =>
			listProfileRecords({
				db,
				profileId: PROFILE,
				kind,
				keep: () => true,
				pageRows: 5,
				decode: async (page) => page.map((r) => r.id)
			});
		const condition = rows
			.filter((r) => r.profileId === PROFILE && r.kind === 'condition')
			.map((r) => r.id);
		expect((await ids('condition')).sort()).toEqual(condition.sort());
		expect(await ids('patient')).toEqual([rows[0]!.id]);
		db.close();
	});

	it('fails as a whole when a page cannot be opened', async () => {
		const { db } = await seeded();
		let calls = 0;
		await expect(
			listProfileRecords({
				db,
				profileId: PROFILE,
				keep: () => true,
				pageRows: 10,
				decode: async (page) => {
					if (++calls === 2) throw new Error('page two');
					return page;
				}
			})
		).rejects.toThrow('page two');
		db.close();
	});
});
