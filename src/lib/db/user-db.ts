import { Dexie, type Collection, type EntityTable, type Table } from 'dexie';
import type { RecordKind } from '../shared/records/index.ts';
import { declareUserDbSchema } from './user-db-schema.ts';

export const USER_DB_PREFIX = 'charta-user-';

export interface ProfileRow {
	id: string;
	keyVersion: number;
	// The profile key wrapped for this user's own public key (ECIES).
	wrappedProfileKey: Uint8Array;
	updatedAt: number;
	deleted: boolean;
	// This user's role, as GET /v1/profiles last said (src/lib/sync/follow-key-rotation.ts);
	// absent on rows written before sharing existed, which were all made here, by their owner.
	role?: 'owner' | 'editor' | 'viewer';
	// The owner removed this user: the records stay on the device, the profile is not listed.
	revoked?: boolean;
	// This user's wrapped keys for the profile's earlier key versions (src/lib/sync/membership-keys.ts),
	// so what is still sealed under them opens offline after a rotation.
	olderKeys?: OlderProfileKey[];
}

export interface OlderProfileKey {
	keyVersion: number;
	wrappedProfileKey: Uint8Array;
}

export interface RecordRow {
	id: string;
	profileId: string;
	kind: RecordKind;
	keyVersion: number;
	// A sealed StoredRecord (src/lib/shared/records/stored-record.ts).
	envelope: Uint8Array;
	updatedAt: number;
	deleted: boolean;
}

// One row per change, written in the same transaction as the change, naming the entity that
// changed. A push sends that entity's record row as it is then (every write seals the whole
// merged record, so the newest copy carries every change queued for it) as a sync protocol v1
// mutation (DESIGN.md), and deletes the row once the server answers.
export interface OutboxRow {
	seq: number;
	mutationId: string;
	profileId: string;
	entityId: string;
	// An import's batch row names all its records (entityId is the first): one row instead of
	// one per record, which doubled an import's commit (bench/store). Each still travels as its
	// own mutation (src/lib/sync/push-outbox.ts).
	entityIds?: string[];
	kind: 'record' | 'profile';
	createdAt: number;
	attempts: number;
	lastError?: string;
}

// Device preferences and bookkeeping only (the HLC node id, lock timeout): never health data.
export interface SettingRow {
	key: string;
	value: string | number | boolean | null;
}

// One sealed Yjs update or snapshot of a note's document (src/lib/notes): the device's log of
// the note, replayed in seq order. The envelope is bound to { profileId, entityId: docId, kind }
// and holds a payload id and the update, so the same bytes are pushed as a sync mutation.
export interface NoteUpdateRow {
	// The Note record's docId (src/lib/shared/records/note.ts).
	docId: string;
	// Position in this document's log, counting from 1, never reused (src/lib/notes/note-log.ts).
	seq: number;
	profileId: string;
	kind: 'note-update' | 'note-snapshot';
	keyVersion: number;
	envelope: Uint8Array;
}

// A log row waiting to be pushed (same key as the row): its content is not on the server yet.
export interface NotePushRow {
	docId: string;
	seq: number;
	// The mutation id, equal to the payload id sealed inside the row's envelope.
	mutationId: string;
	// The server refused it (`code: message`); it waits for a retry.
	pushError?: string;
}

// A sealed note payload this device has applied or pushed, by the id sealed inside it, so a
// payload arriving again is refused as replayed. `pushed` becomes `echoed` when the server hands
// this device's own payload back once.
export interface NoteSeenRow {
	docId: string;
	id: string;
	source: 'pushed' | 'echoed' | 'pulled';
}

// When a note's document last changed here, and who changed it (the author's user id, from the
// server; absent for this device's own edits), for the note list.
export interface NoteDocRow {
	docId: string;
	profileId: string;
	editedAt: number;
	editedBy?: string;
}

// A snapshot of a note's document as it went through sync, kept for the note's history
// (src/lib/notes/note-history.ts). The envelope is the note-snapshot payload's, byte for byte.
export interface NoteHistoryRow {
	docId: string;
	// Counts per document from 1, newest highest.
	seq: number;
	profileId: string;
	keyVersion: number;
	envelope: Uint8Array;
	// When the snapshot was made here, or stored by the server (pulled); ms since the epoch.
	at: number;
	// The author's user id, for a pulled snapshot; absent for this device's own.
	by?: string;
}

// A document's original file (a DocumentReference's attachment, issue 5), kept as sealed chunks
// in `attachmentChunks`. The row itself holds no content: sizes, counts and upload progress.
export interface AttachmentRow {
	id: string;
	profileId: string;
	// The DocumentReference record this file belongs to.
	documentId: string;
	keyVersion: number;
	chunkCount: number;
	// Plaintext size in bytes.
	size: number;
	// 'local': sealed here, not all on the server yet; 'uploaded': every chunk is on the server;
	// 'remote': another member's file, known from its record, chunks fetched when opened.
	state: 'local' | 'uploaded' | 'remote';
	// How many chunks, from index 0, the server has confirmed (resume point).
	uploadedChunks: number;
	updatedAt: number;
}

// One sealed chunk of an attachment; the envelope is bound to the profile, attachment and index.
export interface AttachmentChunkRow {
	attachmentId: string;
	index: number;
	envelope: Uint8Array;
}

// Where an import job is (src/lib/imports): what the status list shows, surviving reloads.
export type ImportState = 'queued' | 'uploading' | 'extracting' | 'ready' | 'accepted' | 'failed';

// One import in the service worker's queue. The file is the attachment's sealed chunks; the
// job's private key and the extraction are sealed under the profile key, so nothing here is
// readable without unlocking.
export interface ImportRow {
	id: string;
	profileId: string;
	documentId: string;
	attachmentId: string;
	state: ImportState;
	// 0–100 within the current state.
	percent: number;
	// The server's job, once POST /v1/imports answered, and the last event id read from it.
	jobId?: string;
	lastEventId?: number;
	// The job's ECDH private key (JWK), sealed under the profile key.
	sealedJobKey?: Uint8Array;
	// The extraction (ImportResult), sealed under the profile key, once `result` arrived.
	sealedResult?: Uint8Array;
	// Why it failed, as the server or the worker said it (never the document's content).
	error?: { code: string; message: string };
	createdAt: number;
	updatedAt: number;
}

// One analysis request (issue 5). The chosen record ids and the streamed text are sealed under
// the profile key; the finished analysis becomes an encrypted record.
export interface AnalysisRow {
	id: string;
	profileId: string;
	state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
	jobId?: string;
	lastEventId?: number;
	sealedRequest?: Uint8Array;
	sealedJobKey?: Uint8Array;
	sealedText?: Uint8Array;
	// The record the finished analysis was saved as.
	recordId?: string;
	error?: { code: string; message: string };
	createdAt: number;
	updatedAt: number;
}

// A record's key in `profileRecords`: records are stored under their profile (schema v7).
export interface RecordRef {
	profileId: string;
	id: string;
}
export const recordKey = ({ profileId, id }: RecordRef): [string, string] => [profileId, id];
// A profile's own patient record has the profile's id.
export const patientRef = (profileId: string): RecordRef => ({ profileId, id: profileId });

// Every record of one profile: a range of the key.
export function recordsOf(db: UserDb, profileId: string): Collection<RecordRow, [string, string]> {
	return db.profileRecords
		.where(':id')
		.between([profileId, Dexie.minKey], [profileId, Dexie.maxKey], true, true);
}

// EntityTable only where the key is generated (outbox.seq); elsewhere the caller supplies it.
export type UserDb = Dexie & {
	profiles: Table<ProfileRow, string>;
	profileRecords: Table<RecordRow, [string, string]>;
	outbox: EntityTable<OutboxRow, 'seq'>;
	settings: Table<SettingRow, string>;
	noteUpdates: Table<NoteUpdateRow, [string, number]>;
	notePushes: Table<NotePushRow, [string, number]>;
	noteSeen: Table<NoteSeenRow, [string, string]>;
	noteDocs: Table<NoteDocRow, string>;
	noteHistory: Table<NoteHistoryRow, [string, number]>;
	attachments: Table<AttachmentRow, string>;
	attachmentChunks: Table<AttachmentChunkRow, [string, number]>;
	imports: Table<ImportRow, string>;
	analyses: Table<AnalysisRow, string>;
};

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function userDbName(userId: string): string {
	if (!USER_ID.test(userId))
		throw new TypeError('A user id is 1–64 characters of A–Z, a–z, 0–9, _ or -');
	return `${USER_DB_PREFIX}${userId}`;
}

// One database per signed-in user, so signing in as someone else on a shared tablet never mixes
// their records, and removing one account's data is one deleteDatabase. Dexie opens it (and
// runs any upgrade) on first use; `await db.open()` to surface open errors earlier.
export function openUserDb(userId: string): UserDb {
	const db = new Dexie(userDbName(userId)) as UserDb;
	declareUserDbSchema(db);
	return db;
}
