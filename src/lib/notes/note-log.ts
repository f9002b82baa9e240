import { Dexie } from 'dexie';
import type { NoteUpdateRow, UserDb } from '../db/user-db.ts';
import { MAX_CIPHERTEXT_BYTES } from '../shared/sync.ts';
import { addHistoryEntry } from './note-history.ts';

// The Dexie side of a note's log (noteUpdates, keyed [docId+seq]) and of its push queue
// (notePushes, same keys: a row is unsent while its queue entry exists). Each write is one
// transaction, so a crash leaves either the rows before a change or the rows after it.
//
// Seqs count per document and only go up: a new row takes the highest seq stored plus one, read
// in the same transaction BEFORE anything is deleted, because a persistence that has read up to
// seq n treats only seqs above n as new (a reused seq would be skipped by another tab). Rows are
// only deleted when replaced by a row written after them, so the highest seq never goes down.

export type NewNoteRow = Omit<NoteUpdateRow, 'seq'>;
type Key = [string, number];

const range = (db: UserDb, docId: string, afterSeq: number) =>
	db.noteUpdates.where('[docId+seq]').between([docId, afterSeq], [docId, Dexie.maxKey], false);

export function readNoteRowsAfter(
	db: UserDb,
	docId: string,
	afterSeq: number
): Promise<NoteUpdateRow[]> {
	return range(db, docId, afterSeq).toArray();
}

async function newestSeq(db: UserDb, docId: string): Promise<number> {
	const [newest] = await range(db, docId, 0).reverse().limit(1).primaryKeys();
	return newest?.[1] ?? 0;
}

// Appends inside the caller's transaction; with `mutationId`, the row joins the push queue.
export async function appendRow(db: UserDb, row: NewNoteRow, mutationId?: string): Promise<number> {
	const seq = (await newestSeq(db, row.docId)) + 1;
	await db.noteUpdates.add({ ...row, seq });
	if (mutationId) await db.notePushes.add({ docId: row.docId, seq, mutationId });
	return seq;
}

async function remove(db: UserDb, keys: Key[]): Promise<void> {
	await db.noteUpdates.bulkDelete(keys);
	await db.notePushes.bulkDelete(keys);
}

// A local edit: the row, its queue entry and the note's last-edited time commit together.
export function appendLocalRow(
	db: UserDb,
	{ row, mutationId, editedAt }: { row: NewNoteRow; mutationId: string; editedAt: number }
): Promise<number> {
	return db.transaction('rw', [db.noteUpdates, db.notePushes, db.noteDocs], async () => {
		const seq = await appendRow(db, row, mutationId);
		await db.noteDocs.put({ docId: row.docId, profileId: row.profileId, editedAt });
		return seq;
	});
}

// Replaces rows that all still wait to be pushed by one row holding their merged content.
// Returns undefined, changing nothing, when any of them was pushed, refused or compacted
// meanwhile (by this tab or another): their content is then already on its way.
export function mergeUnsentRows(
	db: UserDb,
	{ seqs, merged, mutationId }: { seqs: readonly number[]; merged: NewNoteRow; mutationId: string }
): Promise<number | undefined> {
	const keys = seqs.map((seq): Key => [merged.docId, seq]);
	return db.transaction('rw', [db.noteUpdates, db.notePushes], async () => {
		const queued = await db.notePushes.bulkGet(keys);
		if (queued.some((entry) => !entry || entry.pushError !== undefined)) return undefined;
		const seq = await appendRow(db, merged, mutationId);
		await remove(db, keys);
		return seq;
	});
}

// Compaction: a snapshot of the whole document replaces the rows it was built from. Rows not yet
// on the server go too when the snapshot itself is pushed (it supersedes them): that happens when
// asked (`publish`) or when there are such rows, unless the snapshot is too large to push, in
// which case they stay to be pushed as they are (`kept`). Rows that vanished meanwhile (another
// tab compacted them) are skipped. A pushed snapshot also joins the note's history, made `at`.
export function replaceWithSnapshot(
	db: UserDb,
	{
		covered,
		snapshot,
		payloadId,
		publish,
		at
	}: {
		covered: readonly number[];
		snapshot: NewNoteRow;
		payloadId: string;
		publish: boolean;
		at: number;
	}
): Promise<{ seq: number; kept: number[]; removed: number[]; pushed: boolean }> {
	const keys = covered.map((seq): Key => [snapshot.docId, seq]);
	return db.transaction('rw', [db.noteUpdates, db.notePushes, db.noteHistory], async () => {
		const rows = await db.noteUpdates.bulkGet(keys);
		const queued = await db.notePushes.bulkGet(keys);
		const unsent = queued.some((entry) => entry !== undefined);
		const pushed = (publish || unsent) && snapshot.envelope.length <= MAX_CIPHERTEXT_BYTES;
		const removed = covered.filter((_, i) => rows[i] && (pushed || !queued[i]));
		const kept = covered.filter((_, i) => rows[i] && !pushed && queued[i]);
		const seq = await appendRow(db, snapshot, pushed ? payloadId : undefined);
		if (pushed) {
			const { docId, profileId, keyVersion, envelope } = snapshot;
			await addHistoryEntry(db, { docId, profileId, keyVersion, envelope, at });
		}
		await remove(
			db,
			removed.map((old): Key => [snapshot.docId, old])
		);
		return { seq, kept, removed, pushed };
	});
}
