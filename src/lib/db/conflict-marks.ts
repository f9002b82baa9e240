import type { UserDb } from './user-db.ts';

// Which records hold an unresolved conflict, kept beside them so the count survives reloads and
// the status indicator never has to decrypt every record to show it. One settings row per
// conflicted record (key = prefix + profile id + '/' + record id, value = its profile id): ids
// only, no health data, and no index on the records table, whose write speed the store bench
// watches. (Before schema v7 the key held the record id alone; the v7 upgrade re-keys them.)
//
// Whoever writes a record writes its mark in the same transaction (the vault's writes, applying
// pulled changes), so the mark and the record never disagree.
export const CONFLICT_MARK_PREFIX = 'conflict.';
// The settings key of a record's mark.
export const conflictMarkKey = ({ profileId, id }: { profileId: string; id: string }) =>
	`${CONFLICT_MARK_PREFIX}${profileId}/${id}`;

export interface ConflictMark {
	id: string;
	profileId: string;
	conflicted: boolean;
}

// Call inside a transaction that includes db.settings.
export async function writeConflictMarks(
	db: UserDb,
	marks: readonly ConflictMark[]
): Promise<void> {
	const set = marks.filter((mark) => mark.conflicted);
	const cleared = marks.filter((mark) => !mark.conflicted);
	if (set.length > 0) {
		await db.settings.bulkPut(
			set.map((mark) => ({ key: conflictMarkKey(mark), value: mark.profileId }))
		);
	}
	if (cleared.length > 0) await db.settings.bulkDelete(cleared.map(conflictMarkKey));
}

export function countConflicts(db: UserDb): Promise<number> {
	return db.settings.where('key').startsWith(CONFLICT_MARK_PREFIX).count();
}

// The conflicted records' ids, of one profile or of all.
export async function listConflictedRecords(
	db: UserDb,
	profileId?: string
): Promise<{ id: string; profileId: string }[]> {
	const rows = await db.settings.where('key').startsWith(CONFLICT_MARK_PREFIX).toArray();
	return rows
		.map((row) => {
			const owner = String(row.value);
			return { id: row.key.slice(`${CONFLICT_MARK_PREFIX}${owner}/`.length), profileId: owner };
		})
		.filter((mark) => profileId === undefined || mark.profileId === profileId);
}
