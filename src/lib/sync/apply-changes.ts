import { Dexie } from 'dexie';
import { fromBase64Url, readEnvelopeKeyVersion, toBase64Url } from '../crypto/index.ts';
import {
	conflictMarkKey,
	listConflictedRecords,
	recordKey,
	sameEnvelope,
	writeConflictMarks,
	type ConflictMark,
	type RecordRef,
	type RecordRow,
	type UserDb
} from '../db/index.ts';
import type { Clock } from '../hlc/index.ts';
import {
	canonicalJson,
	isDeleted,
	latestStamp,
	listConflicts,
	mergeRecords,
	type RecordKind,
	type StoredRecord
} from '../shared/records/index.ts';
import type { Change } from '../shared/sync.ts';
import { openRecord, sealRecord } from '../vault/record-envelope.ts';
import type { VaultCrypto } from '../vault/index.ts';
import { openChange } from './open-change.ts';
import type { ProfileKeyRing } from './profile-key-ring.ts';
import { openPulledNotes, pulledNoteTables, storePulledNotes } from './pull-note-changes.ts';
import { CURSOR_SETTING, registeredKey } from './sync-settings.ts';

export interface ApplySummary {
	written: number;
	undecryptable: number;
	// Records whose merged copy holds conflicts now, and records that hold none.
	conflicted: RecordRef[];
	clear: RecordRef[];
}

// The kind of a record whose envelope does not open is unknown (it travels inside the
// ciphertext). Such a row only ever shows the "cannot be decrypted" placeholder, and the next
// version of the record that does open replaces it.
const UNKNOWN_RECORD_KIND: RecordKind = 'note';
const MAX_ATTEMPTS = 5;

class StaleRead extends Error {}

// Applies one pulled batch. Opening, merging and sealing happen first (WebCrypto cannot run
// inside an IndexedDB transaction without it committing early); then ONE transaction checks that
// no record changed meanwhile (a vault write in another tab — else the batch starts over), writes
// the merged records, any profiles new to this device, and the cursor. So a batch is applied
// whole or not at all, and a crash between batches resumes after the last one applied.
//
// Each record merges per field by HLC with what is stored (mergeRecords), so local edits still
// in the outbox survive, and a change of this device's own echoing back changes nothing.
export async function applyChanges({
	db,
	crypto,
	keys,
	clock,
	now,
	changes,
	cursor
}: {
	db: UserDb;
	crypto: VaultCrypto;
	keys: ProfileKeyRing;
	clock: Clock;
	now: () => number;
	changes: readonly Change[];
	cursor: string;
}): Promise<ApplySummary> {
	// Attachments are another module's; their changes only move the cursor.
	const relevant = changes.filter((c) => c.kind === 'record' || c.kind === 'profile');
	// Notes (issue 6): opened now, stored in the transaction below (pull-note-changes.ts).
	const notes = await openPulledNotes({ keys, changes });
	// A record is its profile's: the same entity id in two profiles is two records.
	const byRecord = new Map<string, Change[]>();
	for (const change of relevant) {
		const key = `${change.profileId}/${change.entityId}`;
		byRecord.set(key, [...(byRecord.get(key) ?? []), change]);
	}
	const groups = [...byRecord.values()];
	const keysOf = groups.map(([first]) =>
		recordKey({ profileId: first!.profileId, id: first!.entityId })
	);
	const newProfiles = await keys.missingProfiles(
		relevant.map((c) => c.profileId),
		now()
	);

	// The key each merged record is sealed under, looked up once per profile for the batch: the
	// lookup reads the profile row, and once per record it cost 4–8 s of a 10,000-record download
	// (bench/sync).
	const currentKeys = new Map<string, ReturnType<ProfileKeyRing['current']>>();
	const batchKeys: ProfileKeyRing = {
		...keys,
		current: (profileId) => {
			let key = currentKeys.get(profileId);
			if (!key) {
				key = keys.current(profileId);
				currentKeys.set(profileId, key);
			}
			return key;
		}
	};

	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const stored = await db.profileRecords.bulkGet(keysOf);
		const summary: ApplySummary = { written: 0, undecryptable: 0, conflicted: [], clear: [] };
		// Records this device holds are merged into (`updated`); the others are new here.
		const held: RecordRow[] = [];
		const updated: RecordRow[] = [];
		const added: RecordRow[] = [];
		for (const [index, changes] of groups.entries()) {
			const local = stored[index];
			if (local) held.push(local);
			const row = await mergeEntity({
				local,
				changes,
				summary,
				crypto,
				keys: batchKeys,
				clock,
				now
			});
			if (row) (local ? updated : added).push(row);
		}
		try {
			const scope = [db.profileRecords, db.profiles, db.settings, ...pulledNoteTables(db)];
			await db.transaction('rw', scope, async () => {
				// What was merged into must not have changed meanwhile; a record that was absent and
				// now exists fails its add below. (Reading all the ids again cost ≈ 0.5 s of a
				// first 10,000-record download, absent ones as much as present ones, bench/sync.)
				const current = await db.profileRecords.bulkGet(held.map(recordKey));
				if (current.some((row, i) => !sameEnvelope(row?.envelope, held[i]!.envelope))) {
					throw new StaleRead();
				}
				if (newProfiles.length > 0) {
					await db.profiles.bulkPut(newProfiles);
					await db.settings.bulkPut(
						newProfiles.map((p) => ({ key: registeredKey(p.id), value: true }))
					);
				}
				if (updated.length > 0) await db.profileRecords.bulkPut(updated);
				if (added.length > 0) {
					await db.profileRecords.bulkAdd(added).catch((error: unknown) => {
						throw error instanceof Dexie.BulkError ? new StaleRead() : error;
					});
				}
				await writeConflictMarks(db, await changedMarks(db, marks(summary)));
				summary.undecryptable += await storePulledNotes({ db, notes, now });
				await db.settings.put({ key: CURSOR_SETTING, value: cursor });
			});
			summary.written = updated.length + added.length;
			return summary;
		} catch (error) {
			if (error instanceof StaleRead) continue;
			throw error;
		}
	}
	throw new Error('Records kept changing while applying pulled changes; the next sync retries');
}

async function mergeEntity({
	local,
	changes,
	summary,
	crypto,
	keys,
	clock,
	now
}: {
	local: RecordRow | undefined;
	changes: Change[];
	summary: ApplySummary;
	crypto: VaultCrypto;
	keys: ProfileKeyRing;
	clock: Clock;
	now: () => number;
}): Promise<RecordRow | undefined> {
	const first = changes[0]!;
	// This device's own writes coming back (the pull after a push): the envelope is the stored
	// one, byte for byte (each seal has a random IV), so there is nothing to merge. Opening,
	// merging and comparing them made the pull after a 10,000-record push take 4.7–8.3 s; it
	// takes 1.6–1.8 s (bench/sync, echo_pull_ms).
	if (local) {
		const held = toBase64Url(local.envelope);
		if (changes.every((change) => change.ciphertext === held)) return undefined;
	}
	let localDoc: StoredRecord | undefined;
	if (local) {
		try {
			const profileKey = await keys.get(local.profileId, local.keyVersion);
			localDoc = await openRecord({ crypto, profileKey, row: local });
		} catch {
			// An unreadable local copy (an earlier undecryptable pull) is replaced by one that opens.
		}
	}

	let merged = localDoc;
	let unopened: Change | undefined;
	for (const change of changes) {
		try {
			const profileKey = await keys.get(change.profileId, change.keyVersion);
			const remote = await openChange({ crypto, profileKey, change });
			const stamp = latestStamp(remote);
			if (stamp !== undefined) clock.receive(stamp);
			merged = merged ? mergeRecords(merged, remote) : remote;
		} catch {
			summary.undecryptable++;
			unopened = change;
		}
	}

	if (merged) {
		const ref = { profileId: first.profileId, id: first.entityId };
		(listConflicts(merged).length > 0 ? summary.conflicted : summary.clear).push(ref);
		if (localDoc && canonicalJson(merged) === canonicalJson(localDoc)) return undefined;
		const profileKey = await keys.current(first.profileId);
		const target = { id: first.entityId, profileId: first.profileId, kind: merged.kind };
		// A record new to this device, in one change under the current key: the envelope that
		// opened is what sealing the merge would make (same record, binding and key), so it is
		// kept as it came (re-sealing was 0.1–0.25 s of a 10,000-record download, bench/sync).
		const received =
			!local && !unopened && changes.length === 1 ? fromBase64Url(first.ciphertext) : undefined;
		const envelope =
			received && safeKeyVersion(received, -1) === profileKey.version
				? received
				: await sealRecord({ crypto, profileKey, row: target, doc: merged });
		return {
			...target,
			keyVersion: profileKey.version,
			envelope,
			updatedAt: now(),
			deleted: isDeleted(merged)
		};
	}
	if (unopened && !local) {
		const envelope = fromBase64Url(unopened.ciphertext);
		return {
			id: unopened.entityId,
			profileId: unopened.profileId,
			kind: unopened.kind === 'profile' ? 'patient' : UNKNOWN_RECORD_KIND,
			keyVersion: safeKeyVersion(envelope, unopened.keyVersion),
			envelope,
			updatedAt: now(),
			deleted: unopened.deleted
		};
	}
	return undefined;
}

// The marks that change anything: every conflicted record, and of the clear ones only those that
// hold a mark now. Deleting a key that is not there still costs IndexedDB a write (0.6 s of a
// device's first 10,000-record sync, bench/sync); the marks present are few, one key scan finds them.
async function changedMarks(db: UserDb, all: ConflictMark[]): Promise<ConflictMark[]> {
	if (all.every((mark) => mark.conflicted)) return all;
	const present = new Set(
		await listConflictedRecords(db).then((list) => list.map(conflictMarkKey))
	);
	return all.filter((mark) => mark.conflicted || present.has(conflictMarkKey(mark)));
}

function marks(summary: ApplySummary): ConflictMark[] {
	return [
		...summary.conflicted.map((ref) => ({ ...ref, conflicted: true })),
		...summary.clear.map((ref) => ({ ...ref, conflicted: false }))
	];
}

function safeKeyVersion(envelope: Uint8Array, fallback: number): number {
	try {
		return readEnvelopeKeyVersion(envelope);
	} catch {
		return fallback;
	}
}
