import type { Dexie, Transaction } from 'dexie';
import { readEnvelopeKeyVersion } from '../crypto/index.ts';
import { CONFLICT_MARK_PREFIX, conflictMarkKey } from './conflict-marks.ts';

// Each version lists only the tables it changes; Dexie carries the rest forward. Never edit a
// shipped version: add the next one with an upgrade, or devices holding data in the old shape
// can no longer open it.
//
// Plaintext columns are ids, kinds, key versions, timestamps and booleans only. Everything a
// person typed is inside `envelope` (records, outbox) — see docs/ARCHITECTURE.md.
export const USER_DB_V1 = {
	profiles: 'id',
	records: 'id, [profileId+kind], [profileId+updatedAt]',
	outbox: '++seq, &mutationId, profileId, entityId',
	settings: 'key'
};

// v2: records carry the key version their envelope was sealed under, indexed per profile, so
// rotating a profile key (issue 4, revocation) can find what is still under an old version
// without decrypting everything.
export const USER_DB_V2 = {
	records: 'id, [profileId+kind], [profileId+updatedAt], [profileId+keyVersion]'
};

// v3: fewer indexes, because every index is a second write per row. The store bench showed the
// records' three compound indexes and the outbox's three tripling a 10,000-record import's commit
// against a bare table (2026-11, bench/store). Records keep [profileId+kind] (a profile's records
// of one kind, or all of them as a range over kinds); outbox rows are read in seq order only, and
// no longer copy the envelope: a push reads the record row it names (src/lib/sync/push-outbox.ts).
export const USER_DB_V3 = {
	records: 'id, [profileId+kind]',
	outbox: '++seq'
};

// v4: collaborative notes (issue 6, src/lib/notes). Each Yjs document's sealed updates are a
// log keyed [docId+seq] (seq counts per document), with no secondary index: typing writes and
// compaction deletes thousands of rows, and Chromium reads an index over such a table through its
// stale entries — a note's log read by index took 26 ms where the rows themselves took 3, and a
// push queue kept as a sparse index on the log 30–65 ms (2026-11, bench/notes). So the queue of
// rows waiting to be pushed is its own small table, `notePushes`, keyed like the log.
// `noteSeen` remembers which sealed payloads were applied, so a replayed one is refused;
// `noteDocs` holds when a note last changed and by whom.
export const USER_DB_V4 = {
	noteUpdates: '[docId+seq]',
	notePushes: '[docId+seq]',
	noteSeen: '[docId+id]',
	noteDocs: 'docId, profileId'
};

// v5: a note's history (issue 6): each snapshot that went through sync (pushed by this device or
// pulled from another) is kept sealed, as it was sent, so the note page can show earlier versions
// after compaction has replaced them in the log. Keyed like the log; no secondary index.
export const USER_DB_V5 = {
	noteHistory: '[docId+seq]'
};

// v6: imports and analyses (issue 5). A document's original is kept as sealed chunks
// (`attachmentChunks`, keyed [attachmentId+index], no secondary index: read and uploaded in
// order); `attachments` says how far each one's upload got, so a dropped upload resumes.
// `imports` is the service worker's queue of import jobs and `analyses` the queue of analysis
// requests; both are listed per profile. Plaintext columns stay ids, states, counts and times.
export const USER_DB_V6 = {
	attachments: 'id, profileId',
	attachmentChunks: '[attachmentId+index]',
	imports: 'id, profileId',
	analyses: 'id, profileId'
};

// v7: records keyed by [profileId+id], with no secondary index. The [profileId+kind] index was
// the largest cost of storing records beyond the bytes themselves: a 10,000-record import's
// commit took 765 ms with it, 622 with the compound key and 532 for bare { id, envelope } rows
// (bench/store, side by side, 2026-11-24). A profile's records are a range of the key; a record is
// looked up by its profile and id, which every caller knows (routes carry both). IndexedDB cannot
// change a store's key, so the rows move to a new table in the upgrade and the old one goes.
// Conflict marks, keyed by record id before, are keyed by profile and record (conflict-marks.ts).
export const USER_DB_V7 = {
	records: null,
	profileRecords: '[profileId+id]'
};

export const USER_DB_VERSION = 7;

// Rows whose envelope header cannot be read keep this version, so a re-encryption pass finds
// them and the upgrade never fails on one damaged row.
export const UNKNOWN_KEY_VERSION = -1;

export function envelopeKeyVersion(envelope: unknown): number {
	if (!(envelope instanceof Uint8Array)) return UNKNOWN_KEY_VERSION;
	try {
		return readEnvelopeKeyVersion(envelope);
	} catch {
		return UNKNOWN_KEY_VERSION;
	}
}

async function backfillKeyVersions(tx: Transaction): Promise<void> {
	await tx
		.table('records')
		.toCollection()
		.modify((row: { envelope?: unknown; keyVersion?: number }) => {
			row.keyVersion = envelopeKeyVersion(row.envelope);
		});
}

async function dropOutboxEnvelopes(tx: Transaction): Promise<void> {
	await tx
		.table('outbox')
		.toCollection()
		.modify((row: Record<string, unknown>) => {
			delete row.envelope;
			delete row.keyVersion;
			delete row.deleted;
		});
}

// Copied in pages by key, so a device holding many records never has them all in memory at once.
const MOVE_PAGE = 1000;
async function moveRecordsToProfileKey(tx: Transaction): Promise<void> {
	const from = tx.table('records');
	const to = tx.table('profileRecords');
	let after: string | undefined;
	for (;;) {
		const page: { id: string }[] = await (
			after === undefined ? from.orderBy(':id') : from.where(':id').above(after)
		)
			.limit(MOVE_PAGE)
			.toArray();
		if (page.length === 0) return;
		await to.bulkAdd(page);
		after = page[page.length - 1]!.id;
	}
}

// Conflict marks were keyed by record id alone; a record is now named by its profile too.
async function rekeyConflictMarks(tx: Transaction): Promise<void> {
	const settings = tx.table('settings');
	const marks: { key: string; value: unknown }[] = await settings
		.where('key')
		.startsWith(CONFLICT_MARK_PREFIX)
		.toArray();
	await settings.bulkDelete(marks.map((mark) => mark.key));
	await settings.bulkPut(
		marks.map(({ key, value }) => ({
			key: conflictMarkKey({
				profileId: String(value),
				id: key.slice(CONFLICT_MARK_PREFIX.length)
			}),
			value
		}))
	);
}

export function declareUserDbSchema(
	db: Dexie,
	upTo: 1 | 2 | 3 | 4 | 5 | 6 | 7 = USER_DB_VERSION
): void {
	db.version(1).stores(USER_DB_V1);
	if (upTo >= 2) db.version(2).stores(USER_DB_V2).upgrade(backfillKeyVersions);
	if (upTo >= 3) db.version(3).stores(USER_DB_V3).upgrade(dropOutboxEnvelopes);
	// New tables only: nothing to upgrade.
	if (upTo >= 4) db.version(4).stores(USER_DB_V4);
	if (upTo >= 5) db.version(5).stores(USER_DB_V5);
	if (upTo >= 6) db.version(6).stores(USER_DB_V6);
	if (upTo >= 7) {
		db.version(7)
			.stores(USER_DB_V7)
			.upgrade(async (tx) => {
				await moveRecordsToProfileKey(tx);
				await rekeyConflictMarks(tx);
			});
	}
}
