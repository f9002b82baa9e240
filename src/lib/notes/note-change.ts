import type { UserDb } from '../db/user-db.ts';
import type { NotePayloadKind } from './note-envelope.ts';

// What the sync layer needs to know of note changes before it loads the notes code (and Yjs with
// it, which the first screen does not need): which pulled changes are notes, and which tables
// storing them writes, so the pull's transaction can name them in its scope.
export const isNoteChange = <C extends { kind: string }>(
	change: C
): change is C & { kind: NotePayloadKind } =>
	change.kind === 'note-update' || change.kind === 'note-snapshot';

// The tables storeNoteChanges (remote-note-changes.ts) writes.
export const noteChangeTables = (db: UserDb) => [
	db.noteUpdates,
	db.noteSeen,
	db.noteDocs,
	db.noteHistory
];
