// Collaborative clinical notes (issue 6): Yjs documents sealed at rest and in sync.
export * from './errors.ts';
export { NOTE_TEXT, noteText } from './note-text.ts';
export {
	sealNotePayload,
	openNotePayload,
	type NoteKeys,
	type NoteAddress,
	type NotePayloadKind
} from './note-envelope.ts';
export { NOTE_PAYLOAD_FORMAT, type NotePayload } from './note-payload.ts';
export {
	createNoteBatcher,
	BATCH_QUIET_MS,
	BATCH_MAX_UPDATES,
	type NoteBatcher
} from './note-batcher.ts';
export {
	createNotePersistence,
	COMPACT_AFTER_ROWS,
	type NotePersistence
} from './note-persistence.ts';
export {
	openNoteChange,
	storeNoteChanges,
	applyRemoteNoteUpdate,
	type NoteChange,
	type OpenedNoteChange,
	type NoteChangeOutcome
} from './remote-note-changes.ts';
export { isNoteChange, noteChangeTables } from './note-change.ts';
export {
	pendingNotePushes,
	acknowledgeNotePushes,
	retryRejectedNotePushes,
	retryStaleNotePushes,
	countNotePushes
} from './note-pushes.ts';
export {
	HISTORY_LIMIT,
	listNoteHistory,
	readHistoryText,
	type HistoryEntry
} from './note-history.ts';
export {
	createNotes,
	type Notes,
	type NoteSummary,
	type OpenNote,
	type WaitingNote
} from './create-notes.ts';
export { readNoteText, noteTitle } from './read-note.ts';
