import type { UserDb } from './user-db.ts';

// Which records hold an unresolved conflict, kept beside them so the count survives reloads and
// the status indicator never has to decrypt every record to show it. One settings row per
// conflicted record (key = prefix + record id, value = its profile id): ids only, no health
// data, and no index on the records table, whose write speed the store bench watches.
//
// Whoever writes a record writes its mark in the same transaction (the vault's writes, applying
// pulled changes), so the mark and the record never disagree.
const PREFIX = 'conflict.';

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
			set.map((mark) => ({ key: PREFIX + mark.id, value: mark.profileId }))
		);
	}
	if (cleared.length > 0) await db.settings.bulkDelete(cleared.map((mark) => PREFIX + mark.id));
}

export function countConflicts(db: UserDb): Promise<number> {
	return db.settings.where('key').startsWith(PREFIX).count();
}

// The conflicted records' ids, of one profile or of all.
export async function listConflictedRecords(
	db: UserDb,
	profileId?: string
): Promise<{ id: string; profileId: string }[]> {
	const rows = await db.settings.where('key').startsWith(PREFIX).toArray();
	return rows
		.map((row) => ({ id: row.key.slice(PREFIX.length), profileId: String(row.value) }))
		.filter((mark) => profileId === undefined || mark.profileId === profileId);
}
