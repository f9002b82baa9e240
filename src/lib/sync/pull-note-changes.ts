import type { UserDb } from '../db/index.ts';
import { NoteUpdateRefusedError } from '../notes/errors.ts';
import { isNoteChange, noteChangeTables } from '../notes/note-change.ts';
import type { NoteKeys } from '../notes/note-envelope.ts';
import type { OpenedNoteChange, storeNoteChanges } from '../notes/remote-note-changes.ts';
import type { Change } from '../shared/sync.ts';

// The note half of applying a pulled page (issue 6). applyChanges opens the page's note changes
// with `openPulledNotes` before its transaction (WebCrypto cannot run inside one) and stores them
// with `storePulledNotes` inside it, beside the records and the cursor, so a page's notes and
// the cursor past them commit together. A change that is refused (damaged, moved, replayed,
// not a Yjs update) is counted and skipped: the note stays as it was and the cursor moves on.
//
// The notes code (and Yjs, ~25 KB gzip) is loaded only when a page holds a note change, so the
// first screen does not carry it (shell_js_gzip_kb).
export interface PulledNotes {
	opened: OpenedNoteChange[];
	refused: number;
	store?: typeof storeNoteChanges;
}

export const pulledNoteTables = noteChangeTables;

export async function openPulledNotes({
	keys,
	changes
}: {
	keys: NoteKeys;
	changes: readonly Change[];
}): Promise<PulledNotes> {
	const notes = changes.filter(isNoteChange);
	if (notes.length === 0) return { opened: [], refused: 0 };
	const { openNoteChange, storeNoteChanges } = await import('../notes/remote-note-changes.ts');
	// Side by side: WebCrypto works off the main thread.
	const outcomes = await Promise.allSettled(
		notes.map((change) => openNoteChange({ keys, change }))
	);
	const pulled: PulledNotes = { opened: [], refused: 0, store: storeNoteChanges };
	for (const outcome of outcomes) {
		if (outcome.status === 'fulfilled') pulled.opened.push(outcome.value);
		else if (outcome.reason instanceof NoteUpdateRefusedError) pulled.refused++;
		else throw outcome.reason;
	}
	return pulled;
}

// Inside the caller's transaction, whose scope holds pulledNoteTables(db). Returns how many of
// the page's note changes were refused.
export async function storePulledNotes({
	db,
	notes,
	now
}: {
	db: UserDb;
	notes: PulledNotes;
	now?: () => number;
}): Promise<number> {
	if (!notes.store || notes.opened.length === 0) return notes.refused;
	const outcomes = await notes.store({ db, opened: notes.opened, now });
	return notes.refused + outcomes.filter((outcome) => outcome.status === 'refused').length;
}
