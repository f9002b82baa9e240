import * as Y from 'yjs';
import type { UserDb } from '../db/user-db.ts';
import { openNotePayload, type NoteKeys } from './note-envelope.ts';
import { readNoteRowsAfter } from './note-log.ts';
import { noteText } from './note-text.ts';

// A note's text read once from the encrypted store, without a persistence: for the note list,
// which must not write (no batching, no compaction) and needs no live updates. Rows that do not
// open are counted, as the persistence counts them.
export async function readNoteText({
	db,
	keys,
	profileId,
	docId
}: {
	db: UserDb;
	keys: NoteKeys;
	profileId: string;
	docId: string;
}): Promise<{ text: string; unreadableRows: number }> {
	const rows = await readNoteRowsAfter(db, docId, 0);
	const updates = await Promise.all(
		rows.map((row) =>
			openNotePayload({
				keys,
				address: { profileId, docId, kind: row.kind },
				envelope: row.envelope
			}).then(
				(payload) => payload.update,
				() => undefined
			)
		)
	);
	const doc = new Y.Doc();
	let unreadableRows = 0;
	try {
		doc.transact(() => {
			for (const update of updates) {
				try {
					if (!update) throw new Error('unreadable');
					Y.applyUpdate(doc, update);
				} catch {
					unreadableRows++;
				}
			}
		});
		return { text: noteText(doc).toString(), unreadableRows };
	} finally {
		doc.destroy();
	}
}

const MAX_TITLE = 80;

// A note's title is its first line with text, without Markdown's heading or list marks.
export function noteTitle(text: string): string {
	for (const line of text.split('\n')) {
		const bare = line.replace(/^\s*(#{1,6}\s+|[-*]\s+)/, '').trim();
		if (bare) return bare.length > MAX_TITLE ? `${bare.slice(0, MAX_TITLE - 1)}…` : bare;
	}
	return '';
}
