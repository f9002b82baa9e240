import * as Y from 'yjs';
import type { UserDb } from '../db/user-db.ts';
import type { NoteKeys } from './note-envelope.ts';
import { listNoteHistory, readHistoryText, type HistoryEntry } from './note-history.ts';
import { createNotePersistence, type NotePersistence } from './note-persistence.ts';
import { noteText } from './note-text.ts';
import { noteTitle, readNoteText } from './read-note.ts';

export interface NoteSummary {
	docId: string;
	// The first line with text ('' for a note without any).
	title: string;
	editedAt: number;
	// The user who last changed it, when the change came from the server; absent for an edit made
	// on this device.
	editedBy?: string;
	// Stored rows that did not open (damaged, or sealed under a key version not held yet).
	unreadableRows: number;
}

export interface WaitingNote {
	docId: string;
	profileId: string;
	editedAt: number;
	// Batches of edits (or snapshots) not on the server yet.
	count: number;
	refused: string | null;
}

export interface OpenNote {
	doc: Y.Doc;
	text: Y.Text;
	persistence: NotePersistence;
	// Publishes a snapshot if this visit changed the note (it becomes a point in the note's
	// history on every device), then stops persisting and destroys the document.
	close(): Promise<void>;
}

// The notes of the unlocked session, for the pages (issue 6). `keys` opens and seals (the sync
// client's key ring); `onPending` hears when a batch of edits waits to be pushed, so the app can
// sync at once and the other device sees the edit within a second.
export function createNotes({
	db,
	keys,
	now = Date.now,
	onPending = () => {},
	report = (error) => console.error('notes:', error)
}: {
	db: UserDb;
	keys: NoteKeys;
	now?: () => number;
	onPending?: () => void;
	report?: (error: unknown) => void;
}) {
	return {
		// A profile's notes, last edited first. Each note is opened to read its first line: the
		// title is the text itself, not a copy that could disagree with it.
		async list(profileId: string): Promise<NoteSummary[]> {
			const docs = await db.noteDocs.where('profileId').equals(profileId).toArray();
			const notes = await Promise.all(
				docs.map(async (row): Promise<NoteSummary> => {
					const { text, unreadableRows } = await readNoteText({
						db,
						keys,
						profileId,
						docId: row.docId
					});
					return {
						docId: row.docId,
						title: noteTitle(text),
						editedAt: row.editedAt,
						...(row.editedBy ? { editedBy: row.editedBy } : {}),
						unreadableRows
					};
				})
			);
			return notes.sort((a, b) => b.editedAt - a.editedAt || (a.docId < b.docId ? -1 : 1));
		},

		// Who and when, for a note page's header; null for a note nothing was stored of yet (a new one).
		async details(docId: string): Promise<{ editedAt: number; editedBy?: string } | null> {
			const row = await db.noteDocs.get(docId);
			if (!row) return null;
			return row.editedBy
				? { editedAt: row.editedAt, editedBy: row.editedBy }
				: { editedAt: row.editedAt };
		},

		// The profile a stored note belongs to, or null when the device holds nothing of it.
		async profileOf(docId: string): Promise<string | null> {
			return (await db.noteDocs.get(docId))?.profileId ?? null;
		},

		// A note's document, loaded from the encrypted store and kept there as it is edited;
		// await `persistence.whenSynced` before showing it.
		open({ profileId, docId }: { profileId: string; docId: string }): OpenNote {
			const doc = new Y.Doc();
			const persistence = createNotePersistence({
				db,
				doc,
				profileId,
				docId,
				keys,
				now,
				onPending,
				report
			});
			// Not an 'update' listener: Yjs encodes every transaction's update while one listens,
			// loads included, and that cost as much as the load itself (bench/notes).
			let edited = false;
			const onTransaction = (transaction: Y.Transaction) => {
				if (transaction.origin !== persistence && transaction.changed.size > 0) edited = true;
			};
			doc.on('afterTransaction', onTransaction);
			let closing: Promise<void> | undefined;
			return {
				doc,
				text: noteText(doc),
				persistence,
				close() {
					closing ??= (async () => {
						doc.off('afterTransaction', onTransaction);
						try {
							if (edited) await persistence.compact({ publish: true });
						} finally {
							await persistence.destroy();
							doc.destroy();
						}
					})();
					return closing;
				}
			};
		},

		// Notes with edits the server does not have yet, for the "Offline changes" page: how many
		// batches wait, and the server's reason ("code: message") when it refused one.
		async waiting(): Promise<WaitingNote[]> {
			const byDoc = new Map<string, { count: number; refused: string | null }>();
			for (const entry of await db.notePushes.toArray()) {
				const note = byDoc.get(entry.docId) ?? { count: 0, refused: null };
				note.count++;
				note.refused ??= entry.pushError ?? null;
				byDoc.set(entry.docId, note);
			}
			const docs = await db.noteDocs.bulkGet([...byDoc.keys()]);
			return docs.flatMap((doc) =>
				doc
					? [
							{
								docId: doc.docId,
								profileId: doc.profileId,
								editedAt: doc.editedAt,
								...byDoc.get(doc.docId)!
							}
						]
					: []
			);
		},

		async title({ profileId, docId }: { profileId: string; docId: string }): Promise<string> {
			return noteTitle((await readNoteText({ db, keys, profileId, docId })).text);
		},

		history: (docId: string): Promise<HistoryEntry[]> => listNoteHistory(db, docId),

		historyText: (input: { profileId: string; docId: string; seq: number }) =>
			readHistoryText({ db, keys, ...input })
	};
}

export type Notes = ReturnType<typeof createNotes>;
