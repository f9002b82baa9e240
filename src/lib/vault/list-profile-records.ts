import { Dexie } from 'dexie';
import type { RecordRow, UserDb } from '../db/index.ts';
import type { RecordKind } from '../shared/records/index.ts';

// Rows per read. A listing of 10,000 lab results read in one getAll left the page idle while
// IndexedDB read, then left IndexedDB idle while the page opened envelopes; in pages, the page
// opens one while IndexedDB reads the next (bench/store, list_* figures).
export const LIST_PAGE_ROWS = 1000;

// Reads a profile's record rows (of one kind, or every kind but the patient record) page by
// page along [profileId+kind+id], handing each page to `decode` as soon as it arrives and
// reading the next meanwhile. Each page is its own read, so a row written during the listing
// may or may not be in it, as with any read that starts a moment earlier or later; no row is
// listed twice, since a page resumes after the last key of the one before.
export async function listProfileRecords<T>({
	db,
	profileId,
	kind,
	keep,
	decode,
	pageRows = LIST_PAGE_ROWS
}: {
	db: UserDb;
	profileId: string;
	kind?: RecordKind;
	keep: (row: RecordRow) => boolean;
	decode: (rows: RecordRow[]) => Promise<T[]>;
	pageRows?: number;
}): Promise<T[]> {
	// Array keys order by prefix: [p] and [p, k] come before every [p, k, id], and [p, maxKey]
	// (an array) after every [p, kind, id] (strings).
	const upper = kind ? [profileId, kind, Dexie.maxKey] : [profileId, Dexie.maxKey];
	let lower: unknown[] = kind ? [profileId, kind] : [profileId];
	let afterLower = false;
	const pages: Promise<T[]>[] = [];
	for (;;) {
		const rows = await db.records
			.where('[profileId+kind+id]')
			.between(lower, upper, !afterLower, true)
			.limit(pageRows)
			.toArray();
		const decoding = decode(rows.filter((row) => (kind || row.kind !== 'patient') && keep(row)));
		// Awaited below; marked handled now so a failing later read leaves no unhandled rejection.
		decoding.catch(() => {});
		pages.push(decoding);
		const last = rows.at(-1);
		if (!last || rows.length < pageRows) break;
		lower = [last.profileId, last.kind, last.id];
		afterLower = true;
	}
	return (await Promise.all(pages)).flat();
}
