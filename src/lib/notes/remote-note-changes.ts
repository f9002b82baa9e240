import * as Y from 'yjs';
import { fromBase64Url, readEnvelopeKeyVersion } from '../crypto/index.ts';
import type { UserDb } from '../db/user-db.ts';
import type { Change } from '../shared/sync.ts';
import {
	NoteKeyUnavailableError,
	NoteUpdateMalformedError,
	NoteUpdateReplayedError,
	NoteUpdateUndecryptableError,
	type NoteUpdateRefusedError
} from './errors.ts';
import { openNotePayload, type NoteKeys, type NotePayloadKind } from './note-envelope.ts';
import { addHistoryEntry } from './note-history.ts';
import { appendRow } from './note-log.ts';
import { noteChangeTables } from './note-change.ts';

// What of a pulled change a note needs (a sync protocol v1 Change with a note kind).
export type NoteChange = Pick<Change, 'profileId' | 'entityId' | 'ciphertext'> &
	Partial<Pick<Change, 'authorId' | 'serverTime'>> & { kind: NotePayloadKind };

export interface OpenedNoteChange {
	change: NoteChange;
	envelope: Uint8Array;
	keyVersion: number;
	// Absent when the key to open it is not held: the change is stored sealed ("parked") and the
	// note opens it once the key is here.
	payloadId?: string;
}

export type NoteChangeOutcome =
	| { status: 'applied' | 'parked' }
	// This device's own payload, handed back once by the server: already in the note.
	| { status: 'own' }
	| { status: 'refused'; error: NoteUpdateRefusedError };

// Everything that needs crypto, before any transaction (IndexedDB commits a transaction that
// waits on WebCrypto): authenticate the envelope under this note's binding, read the payload, and
// decode the Yjs update inside, so a payload that would throw half-way through applying is
// refused here. Throws a NoteUpdateRefusedError; nothing is written either way.
export async function openNoteChange({
	keys,
	change
}: {
	keys: NoteKeys;
	change: NoteChange;
}): Promise<OpenedNoteChange> {
	let envelope: Uint8Array;
	let keyVersion: number;
	try {
		envelope = fromBase64Url(change.ciphertext);
		keyVersion = readEnvelopeKeyVersion(envelope);
	} catch (cause) {
		throw new NoteUpdateUndecryptableError('The note change is not an envelope', { cause });
	}
	const address = { profileId: change.profileId, docId: change.entityId, kind: change.kind };
	let update: Uint8Array;
	let payloadId: string;
	try {
		({ id: payloadId, update } = await openNotePayload({ keys, address, envelope }));
	} catch (error) {
		if (error instanceof NoteKeyUnavailableError) return { change, envelope, keyVersion };
		throw error;
	}
	try {
		Y.decodeUpdate(update);
	} catch (cause) {
		throw new NoteUpdateMalformedError('The note change holds no valid Yjs update', { cause });
	}
	return { change, envelope, keyVersion, payloadId };
}

// Stores opened changes in one transaction; called inside the sync layer's own transaction (with
// NOTE_CHANGE_TABLES in its scope) it joins it, so the changes and the pull cursor commit
// together. A payload seen before is refused as replayed; one claiming a note that belongs to
// another profile is refused as not opening here. An applied snapshot also joins the note's
// history. Open documents pick the rows up through their persistence's watch.
export async function storeNoteChanges({
	db,
	opened,
	now = Date.now
}: {
	db: UserDb;
	opened: readonly OpenedNoteChange[];
	now?: () => number;
}): Promise<NoteChangeOutcome[]> {
	return db.transaction('rw', noteChangeTables(db), async () => {
		const outcomes: NoteChangeOutcome[] = [];
		for (const { change, envelope, keyVersion, payloadId } of opened) {
			const docId = change.entityId;
			const known = await db.noteDocs.get(docId);
			if (known && known.profileId !== change.profileId) {
				const error = new NoteUpdateUndecryptableError(
					`Note ${docId} belongs to another profile than this change names`
				);
				outcomes.push({ status: 'refused', error });
				continue;
			}
			if (payloadId !== undefined) {
				const seen = await db.noteSeen.get([docId, payloadId]);
				if (seen?.source === 'pushed') {
					await db.noteSeen.put({ ...seen, source: 'echoed' });
					outcomes.push({ status: 'own' });
					continue;
				}
				if (seen) {
					outcomes.push({ status: 'refused', error: new NoteUpdateReplayedError(payloadId) });
					continue;
				}
				await db.noteSeen.add({ docId, id: payloadId, source: 'pulled' });
			}
			await appendRow(db, {
				docId,
				profileId: change.profileId,
				kind: change.kind,
				keyVersion,
				envelope
			});
			const at = change.serverTime ? Date.parse(change.serverTime) : now();
			if (change.kind === 'note-snapshot' && payloadId !== undefined) {
				await addHistoryEntry(db, {
					docId,
					profileId: change.profileId,
					keyVersion,
					envelope,
					at,
					...(change.authorId ? { by: change.authorId } : {})
				});
			}
			const editedAt = Math.max(known?.editedAt ?? 0, at);
			await db.noteDocs.put({
				docId,
				profileId: change.profileId,
				editedAt,
				...(change.authorId ? { editedBy: change.authorId } : {})
			});
			outcomes.push({ status: payloadId === undefined ? 'parked' : 'applied' });
		}
		return outcomes;
	});
}

// One pulled change, opened and stored; a refusal is thrown.
export async function applyRemoteNoteUpdate({
	db,
	keys,
	change,
	now
}: {
	db: UserDb;
	keys: NoteKeys;
	change: NoteChange;
	now?: () => number;
}): Promise<'applied' | 'parked' | 'own'> {
	const opened = await openNoteChange({ keys, change });
	const [outcome] = await storeNoteChanges({ db, opened: [opened], now });
	if (outcome!.status === 'refused') throw outcome!.error;
	return outcome!.status;
}
