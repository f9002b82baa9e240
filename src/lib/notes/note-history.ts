import { Dexie } from 'dexie';
import * as Y from 'yjs';
import type { NoteHistoryRow, UserDb } from '../db/user-db.ts';
import { openNotePayload, type NoteKeys } from './note-envelope.ts';
import { noteText } from './note-text.ts';

// A note's read-only history: the snapshots that went through sync (this device's pushed ones and
// other devices' pulled ones), kept sealed as they travelled, because compaction replaces them in
// the log. Each is a whole document, so they are thinned: a snapshot by the same author within
// HISTORY_SPACING_MS of the newest one replaces it (a long stretch of typing compacts every 500
// updates, and would otherwise fill the history with near-copies), and only the newest
// HISTORY_LIMIT per note are kept.
export const HISTORY_LIMIT = 50;
export const HISTORY_SPACING_MS = 10 * 60_000;

export type NewHistoryEntry = Omit<NoteHistoryRow, 'seq'>;

export interface HistoryEntry {
	seq: number;
	at: number;
	by?: string;
}

const range = (db: UserDb, docId: string) =>
	db.noteHistory.where('[docId+seq]').between([docId, Dexie.minKey], [docId, Dexie.maxKey]);

// Inside the caller's transaction (with noteHistory in its scope): appends, replacing the newest
// entry when the same author made it moments before, then drops the oldest beyond the limit.
export async function addHistoryEntry(db: UserDb, entry: NewHistoryEntry): Promise<void> {
	const keys = await range(db, entry.docId).primaryKeys();
	const newestKey = keys.at(-1);
	const seq = (newestKey?.[1] ?? 0) + 1;
	const newest = newestKey && (await db.noteHistory.get(newestKey));
	if (newest && newest.by === entry.by && entry.at - newest.at < HISTORY_SPACING_MS) {
		await db.noteHistory.delete(newestKey!);
		keys.pop();
	}
	await db.noteHistory.add({ ...entry, seq });
	const over = keys.length + 1 - HISTORY_LIMIT;
	if (over > 0) await db.noteHistory.bulkDelete(keys.slice(0, over));
}

// Newest first; times and authors only (nothing is opened).
export async function listNoteHistory(db: UserDb, docId: string): Promise<HistoryEntry[]> {
	const rows = await range(db, docId).toArray();
	return rows
		.map(({ seq, at, by }) => (by === undefined ? { seq, at } : { seq, at, by }))
		.reverse();
}

// The text of one history entry; undefined when there is no such entry. Throws a
// NoteUpdateRefusedError when it does not open as this note's snapshot.
export async function readHistoryText({
	db,
	keys,
	profileId,
	docId,
	seq
}: {
	db: UserDb;
	keys: NoteKeys;
	profileId: string;
	docId: string;
	seq: number;
}): Promise<string | undefined> {
	const row = await db.noteHistory.get([docId, seq]);
	if (!row) return undefined;
	const { update } = await openNotePayload({
		keys,
		address: { profileId, docId, kind: 'note-snapshot' },
		envelope: row.envelope
	});
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, update);
		return noteText(doc).toString();
	} finally {
		doc.destroy();
	}
}
